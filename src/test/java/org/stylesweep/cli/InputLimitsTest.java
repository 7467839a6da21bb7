package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Limits `validate` enforces before Spark starts (issue 18, items 2 and 4), on the manifests of the
 * shared bad-input folder ({@code src/test/resources/bad-inputs}).
 */
class InputLimitsTest {
  private static final Path BAD_INPUTS = Path.of("src/test/resources/bad-inputs").toAbsolutePath();

  private static CliResult validate(String caseName) {
    return CliResult.execute(
        null, "validate", BAD_INPUTS.resolve(caseName).resolve("manifest.yaml").toString());
  }

  @Test
  void aMillionRunSweepIsRefusedAtValidationWithTheCountAndTheCap() {
    CliResult result = validate("million-runs");

    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err())
        .contains("sweep: the sweep has 1000000 runs")
        .contains("1 contents x 1 styles x 1000 seed x 1000 tv_weight")
        .contains("cap of 100000 runs");
    assertThat(result.out()).doesNotContain("runs      1000000");
  }

  @Test
  void imageSize100000IsRefusedAtValidationInPixelsAndBytes() {
    CliResult result = validate("image-size-100000");

    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(result.err())
        .contains("defaults.image_size = 100000: must be at most 4096 pixels")
        .contains("1.00e+10 pixels, 120 GB");
  }
}
