package org.stylesweep.testing;

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
public final class TestSafetensors {
  private final Map<String, long[]> shapes = new LinkedHashMap<>();

  /** Values to fill tensors with. */
  @FunctionalInterface
  public interface FloatSupplier {
    /** The next value. */
    float next();
  }

  /** VGG-19's first three convolutions, conv1_1 to conv2_1, with torchvision's keys. */
  public static TestSafetensors vggUpToConv2_1() {
    return new TestSafetensors()
        .put("features.0.weight", 64, 3, 3, 3)
        .put("features.0.bias", 64)
        .put("features.2.weight", 64, 64, 3, 3)
        .put("features.2.bias", 64)
        .put("features.5.weight", 128, 64, 3, 3)
        .put("features.5.bias", 128);
  }

  /** All 16 convolutions of VGG-19 with torchvision's keys and shapes (80 MB of data). */
  public static TestSafetensors vgg19() {
    TestSafetensors file = new TestSafetensors();
    int[][] convs = {
      {0, 64, 3},
      {2, 64, 64},
      {5, 128, 64},
      {7, 128, 128},
      {10, 256, 128},
      {12, 256, 256},
      {14, 256, 256},
      {16, 256, 256},
      {19, 512, 256},
      {21, 512, 512},
      {23, 512, 512},
      {25, 512, 512},
      {28, 512, 512},
      {30, 512, 512},
      {32, 512, 512},
      {34, 512, 512}
    };
    for (int[] c : convs) {
      file.put("features." + c[0] + ".weight", c[1], c[2], 3, 3)
          .put("features." + c[0] + ".bias", c[1]);
    }
    return file;
  }

  /** Adds (or replaces) a tensor. */
  public TestSafetensors put(String key, long... shape) {
    shapes.put(key, shape);
    return this;
  }

  /** The file's bytes, with normal data from {@code seed}. */
  public byte[] bytes(long seed) throws IOException {
    Random random = new Random(seed);
    return bytes(() -> (float) (random.nextGaussian() * 0.05));
  }

  /** The file's bytes with every value from {@code values} (a constant makes big files fast). */
  public byte[] bytes(FloatSupplier values) throws IOException {
    StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long count = 1;
      for (long d : e.getValue()) {
        count *= d;
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (long i = 0; i < count; i++) {
        buffer.putFloat(values.next());
      }
      long begin = data.size();
      data.write(buffer.array());
      json.append(
          String.format(
              Locale.ROOT,
              ",\"%s\":{\"dtype\":\"F32\",\"shape\":%s,\"data_offsets\":[%d,%d]}",
              e.getKey(),
              java.util.Arrays.toString(e.getValue()).replace(" ", ""),
              begin,
              data.size()));
    }
    json.append('}');
    // The specification pads the header with spaces to a multiple of 8 bytes.
    while (json.length() % 8 != 0) {
      json.append(' ');
    }
    byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.write(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
    file.write(header);
    data.writeTo(file);
    return file.toByteArray();
  }
}
