package org.stylesweep.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The tensor names and shapes a weights file holds, read from its headers only: the safetensors
 * JSON header, or the {@code .npy} headers inside an npz. No tensor data is loaded, so checking a
 * 548 MiB download takes milliseconds and no native memory.
 *
 * <p>The format is sniffed from the content (an npz is a zip and starts with {@code PK}), since a
 * download in progress is named {@code .part}.
 */
public final class WeightsShapes {
  private static final Pattern NPY_SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

  private WeightsShapes() {}

  /**
   * Reads the shapes of every tensor in a safetensors or npz file.
   *
   * @return shape by tensor name, in file order
   * @throws IOException when the file is neither format or is truncated; the message names the file
   */
  public static Map<String, long[]> read(Path file) throws IOException {
    byte[] magic;
    try (InputStream in = Files.newInputStream(file)) {
      magic = in.readNBytes(2);
    }
    if (magic.length == 2 && magic[0] == 'P' && magic[1] == 'K') {
      return readNpz(file);
    }
    Map<String, long[]> shapes = new LinkedHashMap<>();
    SafetensorsHeader.read(file).entries().forEach((key, entry) -> shapes.put(key, entry.shape()));
    return shapes;
  }

  private static Map<String, long[]> readNpz(Path file) throws IOException {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    // ZipFile reads the central directory at the end of the file: a truncated npz fails here.
    try (ZipFile zip = new ZipFile(file.toFile())) {
      for (Enumeration<? extends ZipEntry> it = zip.entries(); it.hasMoreElements(); ) {
        ZipEntry entry = it.nextElement();
        String key = entry.getName().endsWith(".npy")
            ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName();
        try (InputStream in = zip.getInputStream(entry)) {
          shapes.put(key, npyShape(in, file + "!" + entry.getName()));
        }
      }
    } catch (java.util.zip.ZipException e) {
      throw new IOException(file + ": not a readable npz (truncated?): " + e.getMessage(), e);
    }
    return shapes;
  }

  /** The shape from a {@code .npy} header (NumPy format versions 1 to 3). */
  private static long[] npyShape(InputStream in, String name) throws IOException {
    byte[] prefix = in.readNBytes(8);
    if (prefix.length < 8 || (prefix[0] & 0xff) != 0x93 || prefix[1] != 'N' || prefix[2] != 'U') {
      throw new IOException(name + ": not a .npy array");
    }
    int major = prefix[6];
    int headerLength;
    if (major == 1) {
      headerLength = ByteBuffer.wrap(in.readNBytes(2)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
    } else {
      headerLength = ByteBuffer.wrap(in.readNBytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
    String header = new String(in.readNBytes(headerLength), StandardCharsets.ISO_8859_1);
    Matcher m = NPY_SHAPE.matcher(header);
    if (!m.find()) {
      throw new IOException(name + ": .npy header has no shape: " + header.trim());
    }
    String[] parts = m.group(1).split(",");
    return java.util.Arrays.stream(parts).map(String::trim).filter(s -> !s.isEmpty())
        .mapToLong(Long::parseLong).toArray();
  }
}
