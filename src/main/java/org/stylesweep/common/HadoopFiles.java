package org.stylesweep.common;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Reading and durable writing of whole files through Hadoop's {@link FileSystem}, so that plain
 * paths, {@code file:}, {@code s3a:} and {@code hdfs:} behave alike.
 *
 * <p>A durable write never leaves a half-written file under the final name: on a file system with
 * an atomic rename the bytes go to a temporary sibling first and are renamed over the target; on an
 * object store one PUT of the final object is already atomic, so it is written in place.
 */
public final class HadoopFiles {
  private HadoopFiles() {}

  /** Schemes whose stores publish an object only when its upload completes (one atomic PUT). */
  private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss", "cos");

  /**
   * A Hadoop configuration holding every {@code spark.hadoop.*} system property (set by
   * spark-submit or the launcher).
   */
  public static Configuration configurationFromSystemProperties() {
    Configuration conf = new Configuration();
    for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.startsWith("spark.hadoop.")) {
        conf.set(key.substring("spark.hadoop.".length()), String.valueOf(e.getValue()));
      }
    }
    return conf;
  }

  /**
   * The file system of a path, with the local one unwrapped so that no {@code .crc} side files
   * appear.
   */
  public static FileSystem fileSystem(Path path, Configuration conf) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRaw() : fs;
  }

  /**
   * The path made absolute with its scheme, e.g. {@code out/x} becomes {@code file:/home/me/out/x}.
   */
  public static Path qualify(Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf).makeQualified(path);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot reach the file system of " + path + ": " + e.getMessage(), e);
    }
  }

  /** True when the file or directory exists. */
  public static boolean exists(Path path, Configuration conf) throws IOException {
    return fileSystem(path, conf).exists(path);
  }

  /** Creates the folder and any missing parents. */
  public static void mkdirs(Path folder, Configuration conf) throws IOException {
    fileSystem(folder, conf).mkdirs(folder);
  }

  /** Removes a file or a folder with everything in it; nothing happens when it does not exist. */
  public static void deleteRecursively(Path path, Configuration conf) throws IOException {
    FileSystem fs = fileSystem(path, conf);
    if (fs.exists(path)) {
      fs.delete(path, true);
    }
  }

  /** All bytes of a file. The error names the file. */
  public static byte[] readAll(Path path, Configuration conf) throws IOException {
    FileSystem fs = fileSystem(path, conf);
    try (InputStream in = fs.open(path)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("file not found: " + path);
    }
  }

  /** Writes the bytes durably (see the class comment), replacing any previous file. */
  public static void writeDurably(Path target, byte[] bytes, Configuration conf)
      throws IOException {
    writeDurably(target, out -> out.write(bytes), conf);
  }

  /** Receives the output stream of a durable write. */
  @FunctionalInterface
  public interface Writer {
    /** Writes the whole content; the stream is closed by the caller. */
    void write(OutputStream out) throws IOException;
  }

  /** Writes through {@code writer} durably (see the class comment), replacing any previous file. */
  public static void writeDurably(Path target, Writer writer, Configuration conf)
      throws IOException {
    FileSystem fs = fileSystem(target, conf);
    String scheme = fs.getUri().getScheme();
    if (scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT))) {
      try (FSDataOutputStream out = fs.create(target, true)) {
        writer.write(out);
      }
      return;
    }
    // Local disks fail a write with FSError, an Error whose message names no file (e.g. a full
    // disk: "java.io.IOException: No space left on device"); it becomes an IOException naming it.
    // A temporary sibling keeps the rename within one directory (atomic on POSIX and HDFS); the
    // random part keeps two attempts of the same task from sharing one temporary file.
    Path temp =
        new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
    try {
      try (FSDataOutputStream out = fs.create(temp, true)) {
        writer.write(out);
      } catch (org.apache.hadoop.fs.FSError e) {
        throw cannotWrite(target, e);
      }
      renameOver(fs, temp, target, conf);
    } finally {
      if (fs.exists(temp)) {
        fs.delete(temp, false);
      }
    }
  }

  /**
   * An {@link org.apache.hadoop.fs.FSError} (how the local file system reports a failed write, a
   * full disk among them) as an IOException that names the file: {@code cannot write PATH: No space
   * left on device}.
   */
  public static IOException cannotWrite(Path file, org.apache.hadoop.fs.FSError e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = root.getMessage() == null ? root.toString() : root.getMessage();
    return new IOException("cannot write " + file + ": " + why, e);
  }

  private static void renameOver(FileSystem fs, Path temp, Path target, Configuration conf)
      throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      // The raw local file system renames with rename(2), which replaces the target atomically.
      if (!fs.rename(temp, target)) {
        throw new IOException("could not rename " + temp + " to " + target);
      }
      return;
    }
    FileContext context = FileContext.getFileContext(fs.getUri(), conf);
    context.rename(temp, target, Options.Rename.OVERWRITE);
  }
}
