package org.stylesweep.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Whether a weights file is whole, from its headers: a truncated copy or a cut download is caught
 * here, before anything loads it. A safetensors file must be exactly as long as its header promises
 * ({@link SafetensorsHeader}); an npz (a zip, sniffed by its {@code PK} start, since a download in
 * progress is named {@code .part}) must have its central directory, which sits at the end.
 */
public final class WeightsIntegrity {
  private WeightsIntegrity() {}

  /**
   * Checks that a safetensors or npz file is whole.
   *
   * @param name the file's name for messages
   * @throws IOException naming the file and what is wrong (truncated, not safetensors or npz)
   */
  public static void requireWhole(Path file, String name) throws IOException {
    byte[] magic;
    try (InputStream in = Files.newInputStream(file)) {
      magic = in.readNBytes(2);
    }
    if (magic.length == 2 && magic[0] == 'P' && magic[1] == 'K') {
      try (ZipFile zip = new ZipFile(file.toFile())) {
        if (zip.size() == 0) {
          throw new IOException("weights '" + name + "': the npz holds no arrays");
        }
      } catch (ZipException e) {
        throw new IOException(
            "weights '" + name + "': not a readable npz (truncated?): " + e.getMessage(), e);
      }
      return;
    }
    SafetensorsHeader.read(file, "weights '" + name + "'");
  }

  /**
   * Reads the header of a local weights file (cheap: a few bytes and the JSON header), so that an
   * empty, truncated or foreign file fails at validation, before Spark starts, with a message
   * naming it, not as {@code EOFException: null} in every run. Remote files are checked when a task
   * loads them.
   */
  public static void requireWholeIfLocal(org.apache.hadoop.fs.Path path) throws IOException {
    if (!"file".equals(path.toUri().getScheme())) {
      return;
    }
    java.nio.file.Path local = java.nio.file.Path.of(path.toUri());
    if (!java.nio.file.Files.isRegularFile(local)) {
      throw new java.io.FileNotFoundException("weights file not found: " + local);
    }
    try {
      requireWhole(local, local.toString());
    } catch (IOException e) {
      throw new IOException(
          e.getMessage()
              + ". Use a VGG-19 .safetensors or .npz file (see docs/weights.md),"
              + " or model.weights: auto",
          e);
    }
  }
}
