package org.stylesweep.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stylesweep.model.VggWeights;

/**
 * The header of a safetensors file: tensor names, dtypes, shapes and byte ranges, read without
 * loading the tensors.
 *
 * <p>Format (huggingface/safetensors): 8 bytes little-endian u64 {@code N}, then {@code N} bytes of
 * JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets relative to the end of the header), an optional {@code "__metadata__"} object, then the
 * data. Reading only the header lets the downloader check a 548 MB file in milliseconds, and
 * comparing the promised data length with the file length catches a truncated download before
 * anything loads it.
 */
public final class SafetensorsHeader {
  /** Headers above this size are not safetensors headers (the timm VGG-19 header is ~3 KB). */
  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final Map<String, Integer> DTYPE_BYTES =
      Map.ofEntries(
          Map.entry("F64", 8),
          Map.entry("F32", 4),
          Map.entry("F16", 2),
          Map.entry("BF16", 2),
          Map.entry("I64", 8),
          Map.entry("I32", 4),
          Map.entry("I16", 2),
          Map.entry("I8", 1),
          Map.entry("U8", 1),
          Map.entry("BOOL", 1));

  /** One tensor's entry: its dtype, shape and byte range in the data section. */
  public record Entry(String dtype, long[] shape, long begin, long end) {}

  private final Map<String, Entry> entries;
  private final long dataBytes;

  private SafetensorsHeader(Map<String, Entry> entries, long dataBytes) {
    this.entries = Collections.unmodifiableMap(entries);
    this.dataBytes = dataBytes;
  }

  /** Tensor entries by name, in file order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /**
   * Reads and checks the header of a safetensors file.
   *
   * @throws IOException when the file is not safetensors, the header is malformed, an entry's byte
   *     range does not fit its dtype and shape, or the file is shorter or longer than the header
   *     promises (a truncated download); the message names the file and, where it applies, the key
   */
  public static SafetensorsHeader read(Path file) throws IOException {
    return read(file, file.toString());
  }

  /**
   * Reads and checks the header of a safetensors file; see {@link #read(Path)}.
   *
   * @param name how messages name the file (a download's final name rather than its {@code .part})
   */
  public static SafetensorsHeader read(Path file, String name) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileBytes = channel.size();
      if (fileBytes < 8) {
        throw new IOException(
            name + ": " + fileBytes + " bytes is too short for a safetensors file");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerBytes = lengthBytes.flip().getLong();
      if (headerBytes <= 0 || headerBytes > MAX_HEADER_BYTES) {
        throw new IOException(
            name + ": header length " + headerBytes + " is not plausible; not a safetensors file?");
      }
      if (8 + headerBytes > fileBytes) {
        throw new IOException(
            name
                + ": truncated inside the header ("
                + fileBytes
                + " bytes, header needs "
                + (8 + headerBytes)
                + ")");
      }
      ByteBuffer json = ByteBuffer.allocate((int) headerBytes);
      readFully(channel, json, 8);
      SafetensorsHeader header = parse(name, new String(json.array(), StandardCharsets.UTF_8));
      long expected = 8 + headerBytes + header.dataBytes;
      if (fileBytes != expected) {
        throw new IOException(
            name
                + ": "
                + (fileBytes < expected ? "truncated" : "has trailing bytes")
                + ": "
                + fileBytes
                + " bytes, the header promises "
                + expected
                + " ("
                + describeMissing(header, fileBytes - 8 - headerBytes)
                + ")");
      }
      return header;
    }
  }

  /** Names the first tensor whose data lies beyond the end of a truncated file. */
  private static String describeMissing(SafetensorsHeader header, long dataPresent) {
    for (Map.Entry<String, Entry> e : header.entries.entrySet()) {
      if (e.getValue().end() > dataPresent) {
        return "data of '" + e.getKey() + "' is incomplete";
      }
    }
    return "data section is longer than every tensor";
  }

  private static SafetensorsHeader parse(String name, String json) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IOException(name + ": header is not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException(name + ": header is not a JSON object");
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    long dataBytes = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String key = field.getKey();
      if (key.equals("__metadata__")) {
        continue;
      }
      Entry entry = parseEntry(name, key, field.getValue());
      entries.put(key, entry);
      dataBytes = Math.max(dataBytes, entry.end());
    }
    return new SafetensorsHeader(entries, dataBytes);
  }

  private static Entry parseEntry(String name, String key, JsonNode node) throws IOException {
    JsonNode dtype = node.get("dtype");
    JsonNode shape = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtype == null
        || shape == null
        || !shape.isArray()
        || offsets == null
        || !offsets.isArray()
        || offsets.size() != 2) {
      throw new IOException(name + ": entry '" + key + "' lacks dtype, shape or data_offsets");
    }
    Integer itemBytes = DTYPE_BYTES.get(dtype.asText());
    if (itemBytes == null) {
      throw new IOException(name + ": entry '" + key + "' has unknown dtype " + dtype.asText());
    }
    long[] dims = new long[shape.size()];
    long count = 1;
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shape.get(i).asLong(-1);
      if (dims[i] < 0) {
        throw new IOException(
            name + ": entry '" + key + "' has a negative or non-numeric dimension");
      }
      count = Math.multiplyExact(count, dims[i]);
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin || end - begin != count * itemBytes) {
      throw new IOException(
          name
              + ": entry '"
              + key
              + "' has data_offsets ["
              + begin
              + ", "
              + end
              + "] that do not hold "
              + dtype.asText()
              + " "
              + VggWeights.formatShape(dims));
    }
    return new Entry(dtype.asText(), dims, begin, end);
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, at);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      at += n;
    }
  }
}
