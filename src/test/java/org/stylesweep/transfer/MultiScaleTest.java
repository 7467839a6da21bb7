package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.model.Vgg19;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

class MultiScaleTest {
  private static Vgg19 model;

  @BeforeAll
  static void loadModel() {
    model = Vgg19.random(0, Pooling.MAX, Device.cpu());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private static RunParams reconstruct(int size, int steps) {
    return RunParams.defaults()
        .with(Params.IMAGE_SIZE, size)
        .with(Params.STEPS, steps)
        .with(Params.INIT, Init.NOISE)
        .with(Params.CONTENT_LAYERS, List.of("conv2_1"));
  }

  @Test
  void eachStageStartsFromTheLastOnesResultUpsampled() {
    BufferedImage content = TestImages.content(64, 48);
    List<int[]> progress = new ArrayList<>();
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void onProgress(int evaluation, int steps, double loss, double c, double s) {
            progress.add(new int[] {evaluation, steps});
          }

          @Override
          public int every() {
            return 5;
          }
        };
    RunParams staged = reconstruct(64, 10).with(Params.STAGES, List.of("32:30", "64:10"));
    TransferResult result =
        StyleTransfer.run(
            model, Normalization.IMAGENET, Task.RECONSTRUCT, content, null, staged, listener);
    TransferResult fresh =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.RECONSTRUCT,
            content,
            null,
            reconstruct(64, 10),
            ProgressListener.NONE);

    assertThat(result.error()).isNull();
    assertThat(result.stages()).hasSize(2);
    assertThat(result.stages().get(0).width()).isEqualTo(32);
    assertThat(result.stages().get(0).height()).isEqualTo(24);
    assertThat(result.stages().get(0).image().getWidth()).isEqualTo(32);
    assertThat(result.stages().get(1).width()).isEqualTo(64);
    assertThat(result.image().getWidth()).isEqualTo(64);
    assertThat(result.image().getHeight()).isEqualTo(48);
    assertThat(result.evaluations()).isEqualTo(40);
    assertThat(result.lossHistory()).hasSize(40);
    assertThat(result.stages().get(0).evaluations()).isEqualTo(30);
    assertThat(result.resultEvaluation()).isGreaterThan(30);
    // Progress is counted over the whole schedule.
    assertThat(progress).allSatisfy(p -> assertThat(p[1]).isEqualTo(40));
    assertThat(progress.get(progress.size() - 1)[0]).isEqualTo(40);
    // Stage 2 starts from stage 1's reconstruction, far below a fresh start from noise.
    float stage2First = result.lossHistory()[30];
    assertThat(stage2First).isLessThan(fresh.lossHistory()[0] / 10);
    // and it ends lower than the same 10 evaluations at full size alone
    assertThat(result.stages().get(1).finalLoss())
        .isLessThan(fresh.lossHistory()[fresh.resultEvaluation() - 1]);
  }

  @Test
  void aFailingStageEndsTheRunNamingTheStage() {
    // 8 px is too small for conv5_1 (behind four poolings, the side must be at least 16 px)
    RunParams staged =
        reconstruct(64, 5)
            .with(Params.CONTENT_LAYERS, List.of("conv5_1"))
            .with(Params.STAGES, List.of("8:5", "64:5"));
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.RECONSTRUCT,
            TestImages.content(64, 64),
            null,
            staged,
            ProgressListener.NONE);
    assertThat(result.error()).startsWith("stage 1 of 2 (8:5): ").contains("too thin");
    assertThat(result.stopReason()).isEqualTo(StopReason.REJECTED);
    assertThat(result.stages()).hasSize(1);
  }

  @Test
  void aScheduleThatDoesNotEndAtImageSizeIsRejectedBeforeAnyWork() {
    RunParams staged = reconstruct(64, 5).with(Params.STAGES, List.of("16:5", "32:5"));
    TransferResult result =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.RECONSTRUCT,
            TestImages.content(64, 64),
            null,
            staged,
            ProgressListener.NONE);
    assertThat(result.error()).contains("stages", "image_size (64)");
    assertThat(result.evaluations()).isZero();
  }

  @Test
  void upsamplingKeepsAConstantImageAndWorksOnOneOrThreePlanes() {
    float[] grey = new float[4 * 3];
    java.util.Arrays.fill(grey, 0.25f);
    float[] up = MultiScale.upsample(grey, new int[] {4, 3}, new int[] {8, 6});
    assertThat(up).hasSize(48).containsOnly(0.25f);
    float[] rgb = new float[3 * 4 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = i < 12 ? 0f : 1f; // black red plane, white green and blue
    }
    float[] upRgb = MultiScale.upsample(rgb, new int[] {4, 3}, new int[] {8, 6});
    assertThat(upRgb).hasSize(3 * 48);
    assertThat(java.util.Arrays.copyOfRange(upRgb, 0, 48)).containsOnly(0f);
    assertThat(java.util.Arrays.copyOfRange(upRgb, 48, 144)).containsOnly(1f);
  }
}
