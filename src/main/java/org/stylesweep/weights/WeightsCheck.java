package org.stylesweep.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.stylesweep.model.VggLayers;
import org.stylesweep.model.VggWeights;

/**
 * Checks a weights file before it is trusted: every needed key present with the right shape. The
 * downloader runs it on a finished download before renaming it into the cache.
 */
@FunctionalInterface
public interface WeightsCheck {
  /**
   * Problems found in the file, each a sentence naming the key, the expected and the found shape.
   *
   * @param file the file to check (a download still named {@code .part})
   * @param name the name to use in messages (the file's name in the cache)
   * @return an empty list when the file is usable
   * @throws IOException when the file cannot be read as weights at all (truncated, not a weights
   *     file)
   */
  List<String> problems(Path file, String name) throws IOException;

  /**
   * The check for VGG-19 weights that must reach {@code deepestLayer}: the file is whole ({@link
   * WeightsIntegrity}), then {@link VggWeights#validate} finds every key up to that layer with
   * VGG-19's shape and a float dtype. Both read headers only.
   *
   * @param deepestLayer canonical name or alias, e.g. {@code conv5_4} for all of VGG-19
   * @throws IllegalArgumentException for an unknown layer name
   */
  static WeightsCheck vgg19UpTo(String deepestLayer) {
    VggLayers.resolve(deepestLayer);
    return (file, name) -> {
      WeightsIntegrity.requireWhole(file, name);
      try (var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file))) {
        return VggWeights.validate(in, name, deepestLayer).stream()
            .map(VggWeights.Problem::message)
            .toList();
      }
    };
  }

  /** {@link #vgg19UpTo} the last convolution: what a full VGG-19 download must hold. */
  static WeightsCheck vgg19() {
    return vgg19UpTo(VggLayers.convName(VggLayers.CONV_COUNT - 1));
  }
}
