package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.Task;

/**
 * The quality measures: SSIM and colour against closed forms, determinism, which task gets what.
 */
class QualityMetricsTest {

  private static Vgg19 model;

  @BeforeAll
  static void loadModel() {
    model = Vgg19.random(0, Pooling.MAX, Device.cpu());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  @Test
  void ssimOfAnImageWithItselfIsOneAndOfTwoFlatImagesIsTheClosedForm() {
    double[] x = new double[20 * 16];
    for (int i = 0; i < x.length; i++) {
      x[i] = (i * 37 % 101) / 100.0;
    }
    assertThat(Ssim.of(x, x.clone(), 20, 16)).isCloseTo(1.0, within(1e-12));
    double a = 0.3;
    double b = 0.6;
    double[] flatA = new double[x.length];
    double[] flatB = new double[x.length];
    java.util.Arrays.fill(flatA, a);
    java.util.Arrays.fill(flatB, b);
    double c1 = 1e-4;
    // flat images: no variance, so SSIM is the luminance term alone
    assertThat(Ssim.of(flatA, flatB, 20, 16))
        .isCloseTo((2 * a * b + c1) / (a * a + b * b + c1), within(1e-9));
    double[] noisy = x.clone();
    for (int i = 0; i < noisy.length; i += 3) {
      noisy[i] = 1 - noisy[i];
    }
    double s = Ssim.of(x, noisy, 20, 16);
    assertThat(s).isLessThan(0.9).isEqualTo(Ssim.of(noisy, x, 20, 16), within(1e-12));
  }

  @Test
  void colorStatsAreTheMeanAndCovarianceOfThePixels() {
    // two pixels: (0, 0, 0) and (1, 0.5, 0)
    ImageTensors.Planar p = new ImageTensors.Planar(2, 1, new float[] {0, 1, 0, 0.5f, 0, 0});
    ColorStats stats = ColorStats.of(p);
    assertThat(stats.mean()).containsExactly(new double[] {0.5, 0.25, 0}, within(1e-12));
    assertThat(stats.covariance())
        .containsExactly(new double[] {0.25, 0.125, 0, 0.125, 0.0625, 0, 0, 0, 0}, within(1e-12));
    assertThat(stats.distance(stats)).isZero();
    ImageTensors.Planar black = new ImageTensors.Planar(2, 1, new float[6]);
    double expected = Math.sqrt(0.25 + 0.0625) + Math.sqrt(0.0625 + 2 * 0.015625 + 0.00390625);
    assertThat(stats.distance(ColorStats.of(black))).isCloseTo(expected, within(1e-12));
  }

  @Test
  void measuresAreDeterministicZeroForTheSameImageAndFollowTheTask() {
    BufferedImage content = TestImages.content(40, 32);
    BufferedImage style = TestImages.style(40, 32);
    Map<String, Double> same =
        QualityMetrics.measure(
            model, Normalization.IMAGENET, Task.TRANSFER, content, content, style);
    assertThat(same.keySet()).containsExactlyElementsOf(QualityMetrics.COLUMNS);
    assertThat(same.get(QualityMetrics.CONTENT_FEATURE)).isZero();
    assertThat(same.get(QualityMetrics.CONTENT_SSIM)).isCloseTo(1.0, within(1e-12));
    assertThat(same.get(QualityMetrics.COLOR_CONTENT)).isZero();
    assertThat(same.get(QualityMetrics.STYLE_GRAM)).isPositive();
    Map<String, Double> again =
        QualityMetrics.measure(
            model, Normalization.IMAGENET, Task.TRANSFER, content, content, style);
    assertThat(again).isEqualTo(same);

    Map<String, Double> texture =
        QualityMetrics.measure(model, Normalization.IMAGENET, Task.TEXTURE, style, null, style);
    assertThat(texture.keySet())
        .containsExactly(
            QualityMetrics.STYLE_GRAM,
            QualityMetrics.STYLE_WASSERSTEIN,
            QualityMetrics.COLOR_STYLE);
    assertThat(texture.get(QualityMetrics.STYLE_GRAM)).isCloseTo(0.0, within(1e-6));
    assertThat(texture.get(QualityMetrics.STYLE_WASSERSTEIN)).isCloseTo(0.0, within(1e-6));
    Map<String, Double> reconstruct =
        QualityMetrics.measure(
            model, Normalization.IMAGENET, Task.RECONSTRUCT, style, content, null);
    assertThat(reconstruct.keySet())
        .containsExactly(
            QualityMetrics.CONTENT_FEATURE,
            QualityMetrics.CONTENT_SSIM,
            QualityMetrics.COLOR_CONTENT);
    assertThat(reconstruct.get(QualityMetrics.CONTENT_SSIM)).isLessThan(0.9);
  }
}
