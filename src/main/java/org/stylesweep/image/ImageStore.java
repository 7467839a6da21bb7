package org.stylesweep.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;

/**
 * Images in and out through Hadoop's FileSystem ({@code file:}, {@code s3a:}, {@code hdfs:}, plain
 * paths). Reading names the file when it is missing or cannot be decoded; writing is durable (see
 * {@link HadoopFiles#writeDurably}).
 */
public final class ImageStore {
  private ImageStore() {}

  static {
    // Executors decode in memory; ImageIO's disk cache would only add temporary files.
    ImageIO.setUseCache(false);
  }

  /**
   * Reads and decodes an image (PNG, JPEG, BMP, GIF: whatever ImageIO reads).
   *
   * @throws IOException naming the file when it is missing, unreadable or not a decodable image
   */
  public static BufferedImage read(String uri, Configuration conf) throws IOException {
    byte[] bytes = HadoopFiles.readAll(new Path(uri), conf);
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot decode image " + uri + ": " + e.getMessage(), e);
    }
    if (image == null) {
      throw new IOException("cannot decode image " + uri + " (" + bytes.length
          + " bytes): not an image format Java reads; use one of "
          + new TreeSet<>(Arrays.asList(ImageIO.getReaderFileSuffixes())));
    }
    return image;
  }

  /** Writes the image as PNG, durably, replacing any previous file. */
  public static void writePng(BufferedImage image, String uri, Configuration conf) throws IOException {
    HadoopFiles.writeDurably(new Path(uri), png(image), conf);
  }

  /** The image encoded as PNG; the same image always gives the same bytes. */
  public static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException("no PNG writer for an image of type " + image.getType());
    }
    return png.toByteArray();
  }
}
