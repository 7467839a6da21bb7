package org.stylesweep.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.stylesweep.image.ImageStore;

/**
 * Every read and write of the report goes through Hadoop {@link FileSystem}, so outputs on s3a://
 * or hdfs:// work like local ones.
 */
final class ReportFiles {
  private final Configuration conf;

  ReportFiles(Configuration conf) {
    this.conf = conf;
  }

  /**
   * The file system to write to. On the local file system the checksumming wrapper is skipped: it
   * would put a hidden {@code .crc} file next to every page, image and chart of the report.
   */
  private FileSystem writable(Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
  }

  boolean exists(Path path) throws IOException {
    return path.getFileSystem(conf).exists(path);
  }

  byte[] read(Path path) throws IOException {
    try (InputStream in = path.getFileSystem(conf).open(path)) {
      return in.readAllBytes();
    }
  }

  void write(Path path, byte[] bytes) throws IOException {
    try (OutputStream out = writable(path).create(path, true)) {
      out.write(bytes);
    }
  }

  /** Removes a folder the report owns, so files of an earlier build do not linger. */
  void deleteFolder(Path folder) throws IOException {
    FileSystem fs = folder.getFileSystem(conf);
    if (fs.exists(folder)) {
      fs.delete(folder, true);
    }
  }

  void mkdirs(Path folder) throws IOException {
    writable(folder).mkdirs(folder);
  }

  /**
   * Decodes an image for a grid or a table cell, or throws naming the file when it cannot be
   * decoded; the header is checked against the input pixel budget first and a very large image is
   * decoded subsampled to what a cell shows (see {@link ImageStore#read(String, Configuration, int)}).
   */
  BufferedImage readImage(Path path) throws IOException {
    return ImageStore.read(path.toString(), conf, 2 * ReportBuilder.MAX_CELL);
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", bytes)) {
        throw new IllegalStateException("no PNG encoder in this Java runtime");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
