package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

/** Style blends (issue 13's "done when"): (1, 0) is the single style; the target is Σ w_i G_i. */
class StyleBlendTest {
  private static Vgg19 model;

  @BeforeAll
  static void loadModel() {
    model = Vgg19.random(0, Pooling.MAX, Device.cpu());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private static final BufferedImage A = TestImages.style(40, 40);
  private static final BufferedImage B = TestImages.content(48, 32);

  private static RunParams params(List<Double> blend) {
    return RunParams.defaults()
        .with(Params.IMAGE_SIZE, 32)
        .with(Params.STEPS, 15)
        .with(Params.CONTENT_LAYERS, List.of("conv2_1"))
        .with(Params.STYLE_LAYERS, List.of("conv1_1", "relu2_1", "conv3_1"))
        .with(Params.STYLE_BLEND_WEIGHTS, blend);
  }

  private static TransferResult run(List<BufferedImage> styles, List<Double> blend) {
    TransferResult result =
        StyleTransfer.runBlend(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 24),
            styles,
            params(blend),
            ProgressListener.NONE);
    assertThat(result.error()).isNull();
    return result;
  }

  @Test
  void weightsOneZeroGiveTheSingleStylesLossHistoryBitForBit() {
    TransferResult single = run(List.of(A), List.of());
    TransferResult blend = run(List.of(A, B), List.of(1.0, 0.0));
    TransferResult scaled = run(List.of(A, B), List.of(2.5, 0.0));
    assertThat(blend.lossHistory()).containsExactly(single.lossHistory());
    assertThat(scaled.lossHistory()).containsExactly(single.lossHistory());
    TransferResult other = run(List.of(B, A), List.of(0.0, 3.0));
    assertThat(other.lossHistory()).containsExactly(single.lossHistory());
    // and a real blend differs
    assertThat(run(List.of(A, B), List.of(0.5, 0.5)).lossHistory()[0])
        .isNotEqualTo(single.lossHistory()[0]);
  }

  @Test
  void targetIsTheWeightedSumOfTheGramMatricesTo1e6() {
    List<VggLayers.Layer> layers = VggLayers.resolveAll(List.of("conv1_1", "relu2_1", "conv3_1"));
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      InputNormalizer normalizer =
          InputNormalizer.create(Normalization.IMAGENET, manager, model.dataType());
      List<NDArray> blended = grams(List.of(A, B), List.of(1.0, 3.0), layers, normalizer, manager);
      List<NDArray> ga = grams(List.of(A), List.of(), layers, normalizer, manager);
      List<NDArray> gb = grams(List.of(B), List.of(), layers, normalizer, manager);
      for (int i = 0; i < layers.size(); i++) {
        float[] expected = ga.get(i).mul(0.25).add(gb.get(i).mul(0.75)).toFloatArray();
        float[] actual = blended.get(i).toFloatArray();
        double worst = 0;
        double scale = 0;
        for (int k = 0; k < expected.length; k++) {
          worst = Math.max(worst, Math.abs(expected[k] - actual[k]));
          scale = Math.max(scale, Math.abs(expected[k]));
        }
        assertThat(worst / scale).as(layers.get(i).name()).isLessThanOrEqualTo(1e-6);
      }
    }
  }

  @Test
  void badBlendWeightsAreRejectedBeforeTheRun() {
    TransferResult wrongCount =
        StyleTransfer.runBlend(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 24),
            List.of(A, B),
            params(List.of(1.0, 1.0, 1.0)),
            ProgressListener.NONE);
    assertThat(wrongCount.error()).contains("style_blend_weights").contains("3 weights");
    TransferResult zeros =
        StyleTransfer.runBlend(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 24),
            List.of(A, B),
            params(List.of(0.0, 0.0)),
            ProgressListener.NONE);
    assertThat(zeros.error()).contains("style_blend_weights").contains("all 0");
  }

  private static List<NDArray> grams(
      List<BufferedImage> styles,
      List<Double> blend,
      List<VggLayers.Layer> layers,
      InputNormalizer normalizer,
      NDManager manager) {
    TransferRun run =
        new TransferRun(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 24),
            styles,
            params(blend),
            ProgressListener.NONE);
    return Autograd.withGradMode(false, () -> run.blendedGrams(layers, normalizer, manager));
  }
}
