package org.stylesweep.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Writes small safetensors files for tests: F32 tensors of given shapes filled from a seeded
 * generator, laid out as the safetensors specification says (u64 header length, JSON, data).
 */
final class TestSafetensors {
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  /** VGG-19's first three convolutions, conv1_1 to conv2_1, with torchvision's keys. */
  static TestSafetensors vggUpToConv2_1() {
    return new TestSafetensors()
        .put("features.0.weight", 64, 3, 3, 3).put("features.0.bias", 64)
        .put("features.2.weight", 64, 64, 3, 3).put("features.2.bias", 64)
        .put("features.5.weight", 128, 64, 3, 3).put("features.5.bias", 128);
  }

  /** Adds (or replaces) a tensor. */
  TestSafetensors put(String key, long... shape) {
    shapes.put(key, shape);
    return this;
  }

  /** The file's bytes, with data from {@code seed}. */
  byte[] bytes(long seed) throws IOException {
    Random random = new Random(seed);
    StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long count = 1;
      for (long d : e.getValue()) {
        count *= d;
      }
      ByteBuffer values = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (long i = 0; i < count; i++) {
        values.putFloat((float) (random.nextGaussian() * 0.05));
      }
      long begin = data.size();
      data.write(values.array());
      json.append(String.format(Locale.ROOT, ",\"%s\":{\"dtype\":\"F32\",\"shape\":%s,\"data_offsets\":[%d,%d]}",
          e.getKey(), java.util.Arrays.toString(e.getValue()).replace(" ", ""), begin, data.size()));
    }
    json.append('}');
    // The specification pads the header with spaces to a multiple of 8 bytes.
    while (json.length() % 8 != 0) {
      json.append(' ');
    }
    byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
    file.write(header);
    data.writeTo(file);
    return file.toByteArray();
  }
}
