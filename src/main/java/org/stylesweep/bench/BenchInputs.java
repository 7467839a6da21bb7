package org.stylesweep.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The inputs every benchmark measures on (a picocli mixin, so {@code bench} and {@code
 * bench-stylize} take them under the same names and defaults): one content image, one style image
 * and the VGG-19 weights.
 */
public final class BenchInputs {
  @Option(
      names = "--content",
      defaultValue = "samples/content/astronaut.png",
      description = "Content image (default: ${DEFAULT-VALUE}).")
  Path content;

  @Option(
      names = "--style",
      defaultValue = "samples/style/swirl.png",
      description = "Style image (default: ${DEFAULT-VALUE}).")
  Path style;

  @Option(
      names = "--weights",
      defaultValue = "random:0",
      description =
          "VGG-19: random:<seed> or a .safetensors/.npz file with torchvision's keys (default:"
              + " ${DEFAULT-VALUE}).")
  String weights;
}
