package org.stylesweep.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks that a weights file holds VGG-19's convolutions up to a given one, with torchvision's
 * key names ({@code features.<i>.weight|bias}, the {@code features.} prefix optional) and shapes,
 * from the file's headers only (see {@link WeightsShapes}). Other keys (timm's {@code pre_logits},
 * {@code head}; torchvision's {@code classifier}) are ignored.
 */
public final class VggShapeCheck implements WeightsCheck {
  /** VGG-19's convolutions: name, index in torchvision's {@code features}, out and in channels. */
  private static final Object[][] CONVS = {
    {"conv1_1", 0, 64, 3}, {"conv1_2", 2, 64, 64},
    {"conv2_1", 5, 128, 64}, {"conv2_2", 7, 128, 128},
    {"conv3_1", 10, 256, 128}, {"conv3_2", 12, 256, 256}, {"conv3_3", 14, 256, 256},
    {"conv3_4", 16, 256, 256},
    {"conv4_1", 19, 512, 256}, {"conv4_2", 21, 512, 512}, {"conv4_3", 23, 512, 512},
    {"conv4_4", 25, 512, 512},
    {"conv5_1", 28, 512, 512}, {"conv5_2", 30, 512, 512}, {"conv5_3", 32, 512, 512},
    {"conv5_4", 34, 512, 512},
  };

  private final int convCount;

  private VggShapeCheck(int convCount) {
    this.convCount = convCount;
  }

  /** Every one of the 16 convolutions (what a full VGG-19 download must hold). */
  public static VggShapeCheck allLayers() {
    return new VggShapeCheck(CONVS.length);
  }

  /**
   * The convolutions up to and including {@code conv}, e.g. {@code conv2_1}.
   *
   * @throws IllegalArgumentException naming the valid convolution names
   */
  public static VggShapeCheck upTo(String conv) {
    for (int i = 0; i < CONVS.length; i++) {
      if (CONVS[i][0].equals(conv)) {
        return new VggShapeCheck(i + 1);
      }
    }
    throw new IllegalArgumentException("unknown VGG-19 convolution '" + conv + "'; expected one of "
        + Arrays.stream(CONVS).map(c -> (String) c[0]).toList());
  }

  @Override
  public List<String> problems(Path file) throws IOException {
    Map<String, long[]> found = WeightsShapes.read(file);
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < convCount; i++) {
      String name = (String) CONVS[i][0];
      int index = (Integer) CONVS[i][1];
      long out = (Integer) CONVS[i][2];
      long in = (Integer) CONVS[i][3];
      check(found, name, "features." + index + ".weight", new long[] {out, in, 3, 3}, problems);
      check(found, name, "features." + index + ".bias", new long[] {out}, problems);
    }
    return problems;
  }

  private static void check(
      Map<String, long[]> found, String layer, String key, long[] expected, List<String> problems) {
    long[] shape = found.containsKey(key) ? found.get(key) : found.get(key.substring("features.".length()));
    String expectedText = SafetensorsHeader.Entry.shapeText(expected);
    if (shape == null) {
      problems.add("missing key " + key + " (" + layer + "), expected shape " + expectedText);
    } else if (!Arrays.equals(shape, expected)) {
      problems.add("key " + key + " (" + layer + ") has shape " + SafetensorsHeader.Entry.shapeText(shape)
          + ", expected " + expectedText);
    }
  }
}
