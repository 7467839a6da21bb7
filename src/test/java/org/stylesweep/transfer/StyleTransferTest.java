package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.model.Vgg19;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.OptimizerKind;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

class StyleTransferTest {

  private static Vgg19 model;

  @BeforeAll
  static void loadModel() {
    model = Vgg19.random(0, Pooling.MAX, Device.cpu());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  /** RunParams with the defaults, changed through a small builder-like helper for readability. */
  private static TestParams params() {
    return new TestParams(RunParams.defaults());
  }

  private record TestParams(RunParams p) {
    TestParams size(int imageSize) {
      return new TestParams(p.with(Params.IMAGE_SIZE, imageSize));
    }

    TestParams steps(int steps) {
      return new TestParams(p.with(Params.STEPS, steps));
    }

    TestParams layers(List<String> content, List<String> style) {
      return new TestParams(
          p.with(Params.CONTENT_LAYERS, content)
              .with(Params.STYLE_LAYERS, style)
              .with(Params.STYLE_LAYER_WEIGHTS, List.of()));
    }

    TestParams weights(double content, double style, double tv) {
      return new TestParams(
          p.with(Params.CONTENT_WEIGHT, content)
              .with(Params.STYLE_WEIGHT, style)
              .with(Params.TV_WEIGHT, tv));
    }

    TestParams init(Init init) {
      return new TestParams(p.with(Params.INIT, init));
    }

    TestParams optimizer(OptimizerKind optimizer, double lr) {
      return new TestParams(p.with(Params.OPTIMIZER, optimizer).with(Params.LR, lr));
    }

    TestParams styleScale(double scale) {
      return new TestParams(p.with(Params.STYLE_SCALE, scale));
    }
  }

  private static double psnr(BufferedImage a, BufferedImage b) {
    double sum = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        for (int shift = 0; shift < 24; shift += 8) {
          int d = ((a.getRGB(x, y) >> shift) & 0xff) - ((b.getRGB(x, y) >> shift) & 0xff);
          sum += d * d;
        }
      }
    }
    double mse = sum / (3.0 * a.getWidth() * a.getHeight());
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  private static int liveArrays() {
    try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
      return probe.getParentManager().getManagedArrays().size();
    }
  }

  @Test
  void reconstructsContentFromNoiseAtConv1_1WithPsnrAbove30dB() {
    BufferedImage content = TestImages.content(64, 64);
    RunParams p =
        params().size(64).steps(60).init(Init.NOISE).layers(List.of("conv1_1"), List.of()).p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.RECONSTRUCT,
            content,
            null,
            p,
            ProgressListener.NONE);
    assertThat(result.error()).isNull();
    assertThat(result.image().getWidth()).isEqualTo(64);
    assertThat(psnr(result.image(), content)).isGreaterThanOrEqualTo(30.0);
    assertThat(result.lossHistory()[0])
        .isGreaterThan(1000 * result.lossHistory()[result.evaluations() - 1]);
    assertThat(result.styleLossHistory()).containsOnly(0f);
    assertThat(result.device()).isEqualTo("cpu()");
  }

  @Test
  void textureSynthesisLowersStyleLossHundredfoldWithin100Evaluations() {
    RunParams p =
        params()
            .size(32)
            .steps(100)
            .init(Init.NOISE)
            .layers(List.of(), List.of("conv1_1", "relu2_1", "conv3_1"))
            .p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TEXTURE,
            null,
            TestImages.style(48, 40),
            p,
            ProgressListener.NONE);
    assertThat(result.error()).isNull();
    assertThat(result.evaluations()).isLessThanOrEqualTo(100);
    float[] style = result.styleLossHistory();
    assertThat(style[0] / style[style.length - 1]).isGreaterThanOrEqualTo(100f);
    assertThat(result.contentLossHistory()).containsOnly(0f);
    // no content image: a square result of image_size
    assertThat(result.image().getWidth()).isEqualTo(32);
    assertThat(result.image().getHeight()).isEqualTo(32);
  }

  @Test
  void transferKeepsContentAspectRatioAndRecordsEveryEvaluation() {
    List<Integer> reported = new ArrayList<>();
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void onProgress(
              int evaluation, int steps, double loss, double contentLoss, double styleLoss) {
            reported.add(evaluation);
            assertThat(steps).isEqualTo(7);
            assertThat(loss)
                .isCloseTo(
                    contentLoss + styleLoss, org.assertj.core.data.Percentage.withPercentage(1e-4));
          }

          @Override
          public int every() {
            return 3;
          }
        };
    RunParams p =
        params()
            .size(32)
            .steps(7)
            .styleScale(0.75)
            .layers(List.of("conv2_1"), List.of("conv1_1", "relu2_1"))
            .p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.CAFFE,
            Task.TRANSFER,
            TestImages.content(80, 40),
            TestImages.style(50, 50),
            p,
            listener);
    assertThat(result.error()).isNull();
    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_EVALUATIONS);
    assertThat(result.evaluations()).isEqualTo(7);
    assertThat(result.lossHistory()).hasSize(7);
    assertThat(result.contentLossHistory()[0])
        .isZero(); // init content: the content loss starts at 0
    assertThat(result.styleLossHistory()[0]).isPositive();
    assertThat(reported).containsExactly(3, 6, 7);
    assertThat(result.image().getWidth()).isEqualTo(32);
    assertThat(result.image().getHeight()).isEqualTo(16);
    assertThat(result.msPerEvaluation()).isPositive();
    assertThat(result.totalMillis()).isGreaterThanOrEqualTo(result.setupMillis());
    assertThat(result.resultEvaluation()).isEqualTo(argmin(result.lossHistory()) + 1);
  }

  static int argmin(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] < values[best]) {
        best = i;
      }
    }
    return best;
  }

  @Test
  void nonFiniteLossFailsNamingTheEvaluation() {
    RunParams p =
        params()
            .size(32)
            .steps(20)
            .weights(1e300, 1e6, 0)
            .layers(List.of("conv1_1"), List.of("conv1_1"))
            .init(Init.NOISE)
            .p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 32),
            TestImages.style(32, 32),
            p,
            ProgressListener.NONE);
    assertThat(result.ok()).isFalse();
    assertThat(result.stopReason()).isEqualTo(StopReason.NON_FINITE_LOSS);
    assertThat(result.stopReason().key()).isEqualTo("non_finite_loss");
    assertThat(result.image()).isNull();
    float[] history = result.lossHistory();
    int last = history.length;
    assertThat(last).isBetween(1, 20);
    assertThat(history[last - 1]).matches(v -> !Float.isFinite(v), "is NaN or infinite");
    for (int i = 0; i < last - 1; i++) {
      assertThat(history[i]).as("loss %d", i + 1).matches(Float::isFinite, "is finite");
    }
    String what = Float.isNaN(history[last - 1]) ? "NaN" : "infinite";
    assertThat(result.error())
        .contains("loss became " + what + " at evaluation " + last + " of 20");
  }

  @Test
  void badInputBecomesFailedResultNamingTheProblem() {
    RunParams unknownLayer =
        params().size(32).steps(5).layers(List.of("conv9_9"), List.of("conv1_1")).p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 32),
            TestImages.style(32, 32),
            unknownLayer,
            ProgressListener.NONE);
    assertThat(result.error()).contains("content_layers", "'conv9_9'", "conv1_1, relu1_1");
    assertRejected(result);

    RunParams ok = params().size(32).steps(5).p();
    result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            null,
            TestImages.style(32, 32),
            ok,
            ProgressListener.NONE);
    assertThat(result.error()).contains("task 'transfer' needs a content image");
    assertRejected(result);

    result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TEXTURE,
            null,
            TestImages.style(32, 32),
            ok,
            ProgressListener.NONE);
    assertThat(result.error())
        .contains("init = content", "task texture has no content image", "use noise or style");

    assertThat(StyleTransfer.problems(Task.TRANSFER, params().steps(0).weights(-1, 1, 0).p()))
        .anySatisfy(s -> assertThat(s).contains("steps = 0: must be a positive integer"))
        .anySatisfy(s -> assertThat(s).contains("content_weight = -1.0: must not be negative"));
    RunParams mismatched =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, 32)
            .with(Params.STEPS, 5)
            .with(Params.STYLE_LAYERS, List.of("conv1_1", "conv2_1"))
            .with(Params.STYLE_LAYER_WEIGHTS, List.of(1.0));
    assertThat(StyleTransfer.problems(Task.TRANSFER, mismatched))
        .singleElement()
        .asString()
        .contains(
            "style_layer_weights = [1.0]: has 1 weights for 2 style layers [conv1_1, conv2_1]");
  }

  @Test
  void weightsNotReachingARequestedLayerFailNamingTheMissingKey() throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      ai.djl.ndarray.NDList list = new ai.djl.ndarray.NDList();
      for (int conv = 0; conv < 2; conv++) {
        ai.djl.ndarray.NDArray w = model.weight(conv).duplicate();
        w.setName("features." + org.stylesweep.model.VggLayers.convFeatureIndex(conv) + ".weight");
        ai.djl.ndarray.NDArray b = model.bias(conv).duplicate();
        b.setName("features." + org.stylesweep.model.VggLayers.convFeatureIndex(conv) + ".bias");
        list.add(w);
        list.add(b);
      }
      list.encode(out, ai.djl.ndarray.NDList.Encoding.SAFETENSORS);
    }
    try (Vgg19 partial =
        Vgg19.fromStream(
            new java.io.ByteArrayInputStream(out.toByteArray()),
            "block1.safetensors",
            Pooling.MAX,
            Device.cpu())) {
      RunParams p =
          params().size(32).steps(3).layers(List.of("conv1_2"), List.of("conv1_1", "conv2_1")).p();
      TransferResult result =
          StyleTransfer.run(
              partial,
              Normalization.IMAGENET,
              Task.TRANSFER,
              TestImages.content(32, 32),
              TestImages.style(32, 32),
              p,
              ProgressListener.NONE);
      assertThat(result.error())
          .contains("block1.safetensors", "features.5.weight", "(128, 64, 3, 3)", "conv2_1");
      assertRejected(result);
      RunParams shallow =
          params().size(32).steps(3).layers(List.of("conv1_2"), List.of("conv1_1", "pool1")).p();
      assertThat(
              StyleTransfer.run(
                      partial,
                      Normalization.IMAGENET,
                      Task.TRANSFER,
                      TestImages.content(32, 32),
                      TestImages.style(32, 32),
                      shallow,
                      ProgressListener.NONE)
                  .error())
          .isNull();
    }
  }

  /**
   * A run refused before its first evaluation says so, not max_evaluations (issue 12, issue 18 item
   * 12).
   */
  private static void assertRejected(TransferResult result) {
    assertThat(result.ok()).isFalse();
    assertThat(result.stopReason()).isEqualTo(StopReason.REJECTED);
    assertThat(result.stopReason().key()).isEqualTo("rejected");
    assertThat(result.evaluations()).isZero();
    assertThat(result.lossHistory()).isEmpty();
    assertThat(result.image()).isNull();
  }

  @Test
  void imageTooSmallForTheDeepestLayerIsRejectedBeforeTheOptimizerStarts() {
    // 32 x 1 pixels cannot pass pool1 on the way to conv2_1: libtorch throws while the targets are
    // built.
    int before = liveArrays();
    RunParams p = params().size(32).steps(5).layers(List.of("conv2_1"), List.of("conv1_1")).p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(320, 10),
            TestImages.style(32, 32),
            p,
            ProgressListener.NONE);
    assertThat(result.error()).isNotBlank();
    assertRejected(result);
    assertThat(liveArrays()).as("live NDArrays after the failed run").isEqualTo(before);
  }

  @Test
  void contentImageTooThinForConv5_1IsRejectedNamingItsSizeAndTheSmallestSideThatWorks() {
    // 4000 x 10 px at image_size 512 is 512 x 1 px: conv5_1 lies behind 4 poolings, so it needs a
    // shorter side of 2^4 = 16 px (issue 18 item 10).
    int before = liveArrays();
    RunParams p =
        params().size(512).steps(5).layers(List.of("conv4_2"), List.of("conv1_1", "conv5_1")).p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(4000, 10),
            TestImages.style(32, 32),
            p,
            ProgressListener.NONE);
    assertThat(result.error())
        .contains("the content image (4000x10 px, resized to 512x1)")
        .contains("too thin for layer conv5_1")
        .contains("4 2x2 poolings")
        .contains("at least 16 px after resizing")
        .doesNotContain("Output size is too small");
    assertRejected(result);
    assertThat(liveArrays()).as("live NDArrays after the rejected run").isEqualTo(before);

    // 16 px is enough: 8000 x 250 at image_size 512 is 512 x 16.
    RunParams fits = params().size(512).steps(1).layers(List.of(), List.of("conv5_1")).p();
    assertThat(
            StyleTransfer.tooThin(
                "the content image",
                TestImages.content(8000, 250),
                new int[] {512, 16},
                org.stylesweep.model.VggLayers.resolveAll(fits.get(Params.STYLE_LAYERS))))
        .isNull();
    assertThat(
            StyleTransfer.tooThin(
                "the content image",
                TestImages.content(8000, 234),
                new int[] {512, 15},
                org.stylesweep.model.VggLayers.resolveAll(fits.get(Params.STYLE_LAYERS))))
        .contains("at least 16 px");
  }

  @Test
  void styleImageTooThinForItsDeepestStyleLayerIsRejectedNamingTheStyleImage() {
    RunParams p =
        params().size(64).steps(5).layers(List.of("conv1_1"), List.of("conv1_1", "conv3_1")).p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(64, 64),
            TestImages.style(640, 20),
            p,
            ProgressListener.NONE);
    // 640 x 20 at 64 px is 64 x 2; conv3_1 lies behind 2 poolings and needs 4 px.
    assertThat(result.error())
        .contains("the style image (640x20 px, resized to 64x2)")
        .contains("too thin for layer conv3_1")
        .contains("at least 4 px after resizing");
    assertRejected(result);
  }

  @Test
  void textureSmallerThanTheDeepestLayerNeedsIsRejectedNamingImageSize() {
    // No content image: the result is image_size x image_size, 8 px, and conv5_1 needs 16; the
    // style image (style_scale 4: 32 px) fits.
    RunParams p =
        params()
            .size(8)
            .steps(5)
            .styleScale(4)
            .init(Init.NOISE)
            .layers(List.of(), List.of("conv1_1", "conv5_1"))
            .p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TEXTURE,
            null,
            TestImages.style(64, 64),
            p,
            ProgressListener.NONE);
    assertThat(result.error())
        .contains("image_size 8")
        .contains("too thin for layer conv5_1")
        .contains("at least 16 px")
        .doesNotContain("Output size is too small");
    assertRejected(result);
  }

  @Test
  void exceptionAfterTheOptimizerStartedIsAnErrorKeepingTheHistory() {
    int before = liveArrays();
    ProgressListener failing =
        new ProgressListener() {
          @Override
          public void onProgress(
              int evaluation, int steps, double loss, double contentLoss, double styleLoss) {
            if (evaluation == 3) {
              throw new IllegalStateException("device lost at evaluation 3");
            }
          }

          @Override
          public int every() {
            return 1;
          }
        };
    RunParams p = params().size(32).steps(10).layers(List.of("conv2_1"), List.of("conv1_1")).p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 32),
            TestImages.style(32, 32),
            p,
            failing);
    assertThat(result.ok()).isFalse();
    assertThat(result.error()).isEqualTo("device lost at evaluation 3");
    assertThat(result.stopReason()).isEqualTo(StopReason.ERROR);
    assertThat(result.evaluations()).isEqualTo(3);
    assertThat(result.lossHistory()).hasSize(3);
    for (float loss : result.lossHistory()) {
      assertThat(loss).matches(Float::isFinite, "is finite");
    }
    assertThat(result.msPerEvaluation()).isPositive();
    assertThat(liveArrays()).as("live NDArrays after the failed run").isEqualTo(before);
  }

  @Test
  void noiseInitIsDeterministicPerSeedAndAdamRuns() {
    RunParams p =
        params()
            .size(32)
            .steps(5)
            .init(Init.NOISE)
            .optimizer(OptimizerKind.ADAM, 0.02)
            .layers(List.of("conv2_1"), List.of("conv1_1", "conv2_1"))
            .p();
    TransferResult a =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 32),
            TestImages.style(32, 32),
            p,
            ProgressListener.NONE);
    TransferResult b =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(32, 32),
            TestImages.style(32, 32),
            p,
            ProgressListener.NONE);
    assertThat(a.error()).isNull();
    assertThat(a.evaluations()).isEqualTo(5);
    assertThat(a.lossHistory()).isEqualTo(b.lossHistory());
    assertThat(a.lossHistory()[4]).isLessThan(a.lossHistory()[0]);
  }

  @Test
  void liveArraysStayFlatOver300Evaluations() {
    int before = liveArrays();
    Map<Integer, Integer> live = new TreeMap<>();
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void onProgress(
              int evaluation, int steps, double loss, double contentLoss, double styleLoss) {
            live.put(evaluation, liveArrays());
          }

          @Override
          public int every() {
            return 25;
          }
        };
    // Content and style pull apart, so L-BFGS keeps going for all 300 evaluations. The only
    // growth allowed is L-BFGS's history filling up (at most 100 pairs of 2 arrays); once full
    // (here from about evaluation 200), the count must not move.
    RunParams p =
        params()
            .size(64)
            .steps(300)
            .weights(1, 1e6, 1e-4)
            .init(Init.NOISE)
            .layers(List.of("relu1_1"), List.of("conv1_1"))
            .p();
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            TestImages.content(64, 64),
            TestImages.style(64, 64),
            p,
            listener);
    assertThat(result.error()).isNull();
    assertThat(result.evaluations()).isEqualTo(300);
    assertThat(live).containsKeys(25, 200, 300);
    int first = live.get(25);
    int steady = live.get(300);
    assertThat(steady).as("live NDArrays %s", live).isLessThanOrEqualTo(first + 2 * 100);
    live.forEach(
        (evaluation, count) -> {
          if (evaluation >= 225) {
            assertThat(count)
                .as("live NDArrays at evaluation %d of %s", evaluation, live)
                .isEqualTo(steady);
          }
        });
    assertThat(liveArrays()).as("live NDArrays after the run").isEqualTo(before);
  }
}
