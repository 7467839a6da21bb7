package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.image.Colors;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.ColorControl;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

/** color_control end to end on random weights and tiny images (issue 13's "done when"). */
class ColorControlTest {
  private static final double ONE_LEVEL = 1 / 255.0;
  private static Vgg19 model;

  @BeforeAll
  static void loadModel() {
    model = Vgg19.random(0, Pooling.MAX, Device.cpu());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private static TransferResult run(ColorControl color) {
    RunParams p =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, 32)
            .with(Params.STEPS, 20)
            .with(Params.CONTENT_LAYERS, List.of("conv2_1"))
            .with(Params.STYLE_LAYERS, List.of("conv1_1", "relu2_1"))
            .with(Params.COLOR_CONTROL, color);
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 24),
            TestImages.style(40, 40),
            p,
            ProgressListener.NONE);
    assertThat(result.error()).isNull();
    return result;
  }

  private static float[] planar(BufferedImage image) {
    return ImageTensors.toPlanar(image).data();
  }

  /** Pixels where no channel is at 0 or 255: the recombined colour was not clipped there. */
  private static boolean[] unclipped(BufferedImage image) {
    float[] p = planar(image);
    int plane = p.length / 3;
    boolean[] ok = new boolean[plane];
    for (int i = 0; i < plane; i++) {
      ok[i] = true;
      for (int k = 0; k < 3; k++) {
        float v = p[k * plane + i];
        ok[i] &= v > 0 && v < 1;
      }
    }
    return ok;
  }

  /** Largest |I, Q| difference between the result and the content at the result's size. */
  private static double chrominanceError(BufferedImage result, boolean[] where) {
    float[] content =
        ImageTensors.planarAt(TestImages.content(32, 24), result.getWidth(), result.getHeight());
    float[] a = Colors.toYiq(planar(result));
    float[] b = Colors.toYiq(content);
    int plane = where.length;
    double worst = 0;
    int counted = 0;
    for (int i = 0; i < plane; i++) {
      if (where[i]) {
        counted++;
        worst = Math.max(worst, Math.abs(a[plane + i] - b[plane + i]));
        worst = Math.max(worst, Math.abs(a[2 * plane + i] - b[2 * plane + i]));
      }
    }
    assertThat(counted).isGreaterThan(plane / 2);
    return worst;
  }

  @Test
  void originalColorsKeepTheContentsChrominanceAndTheOptimisedLuminance() {
    TransferResult plain = run(ColorControl.NONE);
    TransferResult kept = run(ColorControl.ORIGINAL_COLORS);
    // the same optimisation: original_colors only changes the output
    assertThat(kept.lossHistory()).containsExactly(plain.lossHistory());
    boolean[] where = unclipped(kept.image());
    assertThat(chrominanceError(kept.image(), where)).isLessThanOrEqualTo(ONE_LEVEL);
    float[] yKept = Colors.luminance(planar(kept.image()));
    float[] yPlain = Colors.luminance(planar(plain.image()));
    double worst = 0;
    for (int i = 0; i < where.length; i++) {
      if (where[i]) {
        worst = Math.max(worst, Math.abs(yKept[i] - yPlain[i]));
      }
    }
    assertThat(worst).isLessThanOrEqualTo(ONE_LEVEL);
  }

  @Test
  void luminanceRunsOnOneChannelAndTakesTheContentsChrominance() {
    assertThat(TransferRun.optimizedShape(ColorControl.LUMINANCE, new int[] {32, 24}))
        .isEqualTo(new Shape(1, 1, 24, 32));
    assertThat(TransferRun.optimizedShape(ColorControl.ORIGINAL_COLORS, new int[] {32, 24}))
        .isEqualTo(new Shape(1, 3, 24, 32));
    TransferResult result = run(ColorControl.LUMINANCE);
    float[] style = result.styleLossHistory();
    assertThat(style[style.length - 1]).isLessThan(style[0]);
    assertThat(chrominanceError(result.image(), unclipped(result.image())))
        .isLessThanOrEqualTo(ONE_LEVEL);
  }

  @Test
  void matchHistogramChangesTheStyleTargetOnly() {
    TransferResult plain = run(ColorControl.NONE);
    TransferResult matched = run(ColorControl.MATCH_HISTOGRAM);
    assertThat(matched.contentLossHistory()[0]).isEqualTo(plain.contentLossHistory()[0]);
    assertThat(matched.styleLossHistory()[0]).isNotEqualTo(plain.styleLossHistory()[0]);
  }

  @Test
  void colourControlNeedsATransfer() {
    RunParams p = RunParams.defaults().with(Params.COLOR_CONTROL, ColorControl.LUMINANCE);
    assertThat(StyleTransfer.problems(Task.TEXTURE, p))
        .anySatisfy(problem -> assertThat(problem).contains("color_control").contains("transfer"));
    assertThat(StyleTransfer.problems(Task.TRANSFER, p)).isEmpty();
  }
}
