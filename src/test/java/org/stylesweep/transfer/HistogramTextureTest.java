package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

/**
 * Texture synthesis from noise with and without the histogram loss (random weights, 64 px, 100
 * evaluations): over five seeds the per-channel Wasserstein distance to the style at the histogram
 * layers drops by at least 2× (measured 2.05×), while the Gram style loss grows at most 1.5×
 * (measured 1.24×).
 *
 * <p>64 px, not smaller: at 32 px relu4_1 has 4 × 4 values per channel (the style 4 × 3), too few
 * for its histogram to move; there the distance dropped only 1.60× (relu1_1 2.4×, relu4_1 1.1×).
 */
class HistogramTextureTest {

  private static final int SIZE = 64;
  private static final int STEPS = 100;

  /**
   * Measured at 32 px: weight 1 and 0.01 gave 1.44× and 1.47× lower distances but 17.7× and 13.7×
   * the style loss; 1e-4 gave 1.60× and 1.32×. At 64 px, 1e-3 gives the same distances as 1e-4 at
   * 3× the style loss.
   */
  static final double HISTOGRAM_WEIGHT = 1e-4;

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
  void histogramLossLowersTheWassersteinDistanceAtItsLayersOverFiveSeeds() {
    BufferedImage style = TestImages.style(48, 40);
    double gramOnlyW = 0;
    double histogramW = 0;
    double gramOnlyStyle = 0;
    double histogramStyle = 0;
    for (long seed = 0; seed < 5; seed++) {
      RunParams base =
          RunParams.defaults()
              .with(Params.IMAGE_SIZE, SIZE)
              .with(Params.STEPS, STEPS)
              .with(Params.INIT, Init.NOISE)
              .with(Params.SEED, seed);
      TransferResult gram = run(base, style);
      TransferResult histogram = run(base.with(Params.HISTOGRAM_WEIGHT, HISTOGRAM_WEIGHT), style);
      double wGram = wasserstein(gram.image(), style);
      double wHistogram = wasserstein(histogram.image(), style);
      double sGram = finalStyle(gram);
      double sHistogram = finalStyle(histogram);
      System.out.printf(
          "seed %d: W gram %.4f histogram %.4f; style loss gram %.4g histogram %.4g%n",
          seed, wGram, wHistogram, sGram, sHistogram);
      gramOnlyW += wGram;
      histogramW += wHistogram;
      gramOnlyStyle += sGram;
      histogramStyle += sHistogram;
    }
    System.out.printf(
        "mean over 5 seeds: W gram %.4f histogram %.4f (x%.2f); style gram %.4g histogram %.4g"
            + " (x%.2f)%n",
        gramOnlyW / 5,
        histogramW / 5,
        gramOnlyW / histogramW,
        gramOnlyStyle / 5,
        histogramStyle / 5,
        histogramStyle / gramOnlyStyle);
    assertThat(gramOnlyW / histogramW).isGreaterThanOrEqualTo(2.0);
    assertThat(histogramStyle / gramOnlyStyle).isLessThanOrEqualTo(1.5);
  }

  private static TransferResult run(RunParams p, BufferedImage style) {
    TransferResult result =
        StyleTransfer.run(
            model, Normalization.IMAGENET, Task.TEXTURE, null, style, p, ProgressListener.NONE);
    assertThat(result.error()).isNull();
    return result;
  }

  private static double finalStyle(TransferResult r) {
    return r.styleLossHistory()[r.resultEvaluation() - 1];
  }

  /** Mean over the default histogram layers of the per-channel Wasserstein distance. */
  private static double wasserstein(BufferedImage result, BufferedImage style) {
    List<VggLayers.Layer> layers = VggLayers.resolveAll(Params.HISTOGRAM_LAYERS.defaultValue());
    int[] size = ImageTensors.scaledSize(style.getWidth(), style.getHeight(), SIZE);
    return Autograd.withGradMode(
        false,
        () -> {
          try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            InputNormalizer n =
                InputNormalizer.create(Normalization.IMAGENET, manager, model.dataType());
            Map<String, NDArray> o =
                model.forward(n.apply(ImageTensors.toTensor(result, SIZE, SIZE, manager)), layers);
            Map<String, NDArray> s =
                model.forward(
                    n.apply(ImageTensors.toTensor(style, size[0], size[1], manager)), layers);
            double sum = 0;
            for (VggLayers.Layer layer : layers) {
              sum += QualityMetrics.wasserstein(o.get(layer.name()), s.get(layer.name()));
            }
            return sum / layers.size();
          }
        });
  }
}
