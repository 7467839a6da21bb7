package org.stylesweep.feedforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.ContentLossKind;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Pooling;
import org.stylesweep.transfer.TestImages;

/**
 * Training a (narrow) transformation network on random VGG-19 weights and tiny synthetic images:
 * the loss falls, a seed fixes the curve, a checkpoint reloads bit for bit, and a killed training
 * resumes from its last checkpoint to the same end.
 */
class StyleTrainerTest {
  static final TransformerNet.Recipe NARROW = new TransformerNet.Recipe(List.of(8, 16, 16), 1, 9);
  static NDManager manager;
  static Vgg19 vgg;
  static NDArray style;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    vgg = Vgg19.random(7, Pooling.MAX, Device.cpu());
    style = ImageTensors.toTensor(TestImages.style(32, 32), manager);
  }

  @AfterAll
  static void tearDown() {
    vgg.close();
    manager.close();
  }

  static StyleTrainer.Settings settings(int steps, int checkpointEvery, double lr) {
    return new StyleTrainer.Settings(
        NARROW,
        steps,
        lr,
        checkpointEvery,
        3,
        List.of("relu2_2"),
        List.of("relu1_2", "relu2_2", "relu3_3"),
        List.of(),
        1.0,
        1.0e4,
        0.0,
        GramNorm.CHW,
        ContentLossKind.MEAN);
  }

  static TrainingImages data() {
    return data(24);
  }

  static TrainingImages data(int crop) {
    List<BufferedImage> images =
        List.of(
            TestImages.content(48, 40),
            TestImages.content(40, 48),
            TestImages.style(44, 44),
            TestImages.content(64, 48));
    return new TrainingImages(images.size(), images::get, crop, 2, 11);
  }

  /** Records the curve and keeps each checkpoint's bytes. */
  static final class Recorder implements StyleTrainer.Listener {
    final List<Double> losses = new ArrayList<>();
    final List<byte[]> checkpoints = new ArrayList<>();
    final List<Integer> checkpointSteps = new ArrayList<>();
    int killAt = Integer.MAX_VALUE;

    @Override
    public void onStep(int step, int steps, double total, double content, double style) {
      if (step == killAt) {
        throw new IllegalStateException("killed at step " + step);
      }
      losses.add(total);
    }

    @Override
    public void onCheckpoint(Checkpoint checkpoint) {
      checkpoints.add(checkpoint.encode());
      checkpointSteps.add(checkpoint.step());
    }
  }

  static Checkpoint train(StyleTrainer.Settings s, Checkpoint resume, Recorder recorder) {
    return StyleTrainer.train(
        vgg, Normalization.IMAGENET, style, data(), s, resume, recorder, manager);
  }

  @Test
  void threeHundredStepsCutTheLossThreefold() {
    Recorder recorder = new Recorder();
    // 16 px crops keep 300 steps within a few seconds per 100 on one core.
    StyleTrainer.train(
        vgg,
        Normalization.IMAGENET,
        style,
        data(16),
        settings(300, 1000, 1e-2),
        null,
        recorder,
        manager);

    double first = mean(recorder.losses.subList(0, 10));
    double last = mean(recorder.losses.subList(290, 300));
    assertThat(recorder.losses).hasSize(300);
    assertThat(last).as("loss of the last 10 steps vs the first 10").isLessThan(first / 3);
  }

  @Test
  void theSameSeedGivesTheSameCurveAndCheckpointsAtEveryNAndTheEnd() {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    train(settings(12, 5, 1e-2), null, a);
    train(settings(12, 5, 1e-2), null, b);

    assertThat(a.losses).isEqualTo(b.losses);
    assertThat(a.checkpointSteps).containsExactly(5, 10, 12);
  }

  @Test
  void aReloadedCheckpointGivesBitIdenticalOutputs() {
    Recorder recorder = new Recorder();
    Checkpoint trained = train(settings(6, 100, 1e-2), null, recorder);
    BufferedImage input = TestImages.content(40, 32);

    byte[] bytes = trained.encode();
    try (Stylizer fromMemory = new Stylizer(bytes, "memory", manager);
        Stylizer fromLastCheckpoint = new Stylizer(recorder.checkpoints.get(0), "disk", manager)) {
      BufferedImage a = fromMemory.apply(input, 0);
      BufferedImage b = fromLastCheckpoint.apply(input, 0);
      assertThat(a.getWidth()).isEqualTo(40);
      assertThat(a.getRGB(0, 0, 40, 32, null, 0, 40))
          .isEqualTo(b.getRGB(0, 0, 40, 32, null, 0, 40));
    }
    try (NDManager scope = manager.newSubManager()) {
      Checkpoint reloaded = Checkpoint.decode(bytes, "memory", scope);
      NDArray x = ImageTensors.toTensor(input, scope);
      float[] before = TransformerNet.forward(trained.weights(), NARROW, x).toFloatArray();
      float[] after = TransformerNet.forward(reloaded.weights(), NARROW, x).toFloatArray();
      assertThat(after).isEqualTo(before);
      assertThat(reloaded.step()).isEqualTo(6);
      assertThat(reloaded.adamM()).hasSameSizeAs(trained.weights());
    }
  }

  @Test
  void aKilledTrainingResumesFromItsLastCheckpointToTheSameEnd() {
    Recorder straight = new Recorder();
    train(settings(16, 5, 1e-2), null, straight);

    Recorder killed = new Recorder();
    killed.killAt = 13;
    assertThatThrownBy(() -> train(settings(16, 5, 1e-2), null, killed))
        .hasMessageContaining("killed at step 13");
    assertThat(killed.checkpointSteps).containsExactly(5, 10);

    Recorder resumed = new Recorder();
    Checkpoint last;
    try (NDManager scope = manager.newSubManager()) {
      last = Checkpoint.decode(killed.checkpoints.get(1), "checkpoint-10", scope);
      Checkpoint end = train(settings(16, 5, 1e-2), last, resumed);
      assertThat(end.step()).isEqualTo(16);
      assertThat(resumed.losses).hasSize(6);
      // Steps 11..16 after the resume are the steps 11..16 of a training that never stopped.
      assertThat(resumed.losses).isEqualTo(straight.losses.subList(10, 16));
      float[] curve = end.total();
      assertThat(curve[15]).isEqualTo(straight.losses.get(15).floatValue());
    }
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
