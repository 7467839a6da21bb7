package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.OptimizerKind;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

class MemoryPlanTest {
  private static RunParams at(int size) {
    return RunParams.defaults().with(Params.IMAGE_SIZE, size);
  }

  @Test
  void activationsGrowWithThePixelsAndTheDeepestLayer() {
    MemoryPlan.Estimate small = MemoryPlan.estimate(Task.TRANSFER, at(256), 4);
    MemoryPlan.Estimate large = MemoryPlan.estimate(Task.TRANSFER, at(512), 4);
    assertThat((double) large.activations() / small.activations()).isCloseTo(4.0, within(1e-3));
    assertThat((double) large.optimizer() / small.optimizer()).isCloseTo(4.0, within(1e-3));
    RunParams shallow =
        at(256)
            .with(Params.CONTENT_LAYERS, List.of("conv1_1"))
            .with(Params.STYLE_LAYERS, List.of("conv1_1"));
    assertThat(MemoryPlan.estimate(Task.TRANSFER, shallow, 4).activations())
        .isLessThan(small.activations() / 2);
    // half precision halves the activations, not the float32 optimizer state
    MemoryPlan.Estimate half = MemoryPlan.estimate(Task.TRANSFER, at(256), 2);
    assertThat(half.activations()).isLessThan(small.activations());
    assertThat(half.optimizer()).isEqualTo(small.optimizer());
  }

  @Test
  void theOptimizerTermCountsTheHistoryPairsThatFillWithinTheSteps() {
    double vector = 3.0 * 256 * 256 * 4;
    long full = MemoryPlan.estimate(Task.TRANSFER, at(256), 4).optimizer();
    long ten =
        MemoryPlan.estimate(Task.TRANSFER, at(256).with(Params.LBFGS_HISTORY, 10), 4).optimizer();
    long short_ = MemoryPlan.estimate(Task.TRANSFER, at(256).with(Params.STEPS, 10), 4).optimizer();
    assertThat(full - ten).isEqualTo((long) (2 * 90 * vector));
    assertThat(short_).isEqualTo(ten);
    long adam =
        MemoryPlan.estimate(Task.TRANSFER, at(256).with(Params.OPTIMIZER, OptimizerKind.ADAM), 4)
            .optimizer();
    assertThat(adam).isEqualTo((long) (MemoryPlan.ADAM_VECTORS * vector));
  }

  @Test
  void aMultiScaleRunPeaksAtItsLargestStage() {
    RunParams staged =
        at(512).with(Params.STAGES, List.of("256:200:lbfgs_history=100", "512:50:lbfgs_history=5"));
    MemoryPlan.Estimate e = MemoryPlan.estimate(Task.TRANSFER, staged, 4);
    assertThat(e.size()).isEqualTo(512);
    assertThat(e.total())
        .isEqualTo(
            MemoryPlan.estimate(
                    Task.TRANSFER, at(512).with(Params.STEPS, 50).with(Params.LBFGS_HISTORY, 5), 4)
                .total());
  }

  @Test
  void theLargestFittingSizeIsTheLastOneUnderTheBudget() {
    long budget = 1L << 30;
    RunParams run = at(2048);
    int fits = MemoryPlan.largestFittingSize(Task.TRANSFER, run, 4, budget);
    assertThat(fits).isBetween(16, 2047);
    assertThat(MemoryPlan.estimate(Task.TRANSFER, at(fits), 4).total()).isLessThanOrEqualTo(budget);
    assertThat(MemoryPlan.estimate(Task.TRANSFER, at(fits + 1), 4).total()).isGreaterThan(budget);
    assertThat(MemoryPlan.refusal(Task.TRANSFER, run, 4, budget, "a test budget"))
        .contains("needs about", "1024 MiB a run may use (a test budget)")
        .contains("the largest image_size that fits is " + fits + " px");
    // a schedule shrinks in proportion
    RunParams staged = at(2048).with(Params.STAGES, List.of("1024:10", "2048:10"));
    int stagedFits = MemoryPlan.largestFittingSize(Task.TRANSFER, staged, 4, budget);
    assertThat(
            MemoryPlan.estimate(Task.TRANSFER, MemoryPlan.resized(staged, stagedFits), 4).total())
        .isLessThanOrEqualTo(budget);
    assertThat(MemoryPlan.resized(staged, 1000).get(Params.STAGES))
        .containsExactly("500:10", "1000:10");
  }

  @Test
  void theModelsWeightsCountOnlyTheConvolutionsTheRunNeeds() {
    // the default layers reach conv5_1, the 13th of VGG-19's 16 convolutions: 12,944,960 weights
    // and biases (all 16: 20,024,384)
    assertThat(MemoryPlan.weightsBytes(Task.TRANSFER, at(256), 4)).isEqualTo(4L * 12_944_960);
    RunParams shallow =
        at(256)
            .with(Params.CONTENT_LAYERS, List.of("conv1_1"))
            .with(Params.STYLE_LAYERS, List.of("conv1_2"));
    assertThat(MemoryPlan.weightsBytes(Task.TRANSFER, shallow, 4))
        .isEqualTo(4L * (3 * 64 * 9 + 64 + 64 * 64 * 9 + 64));
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
