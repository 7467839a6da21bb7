package org.stylesweep.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdamTest {

  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  @Test
  void adamReachesTheMinimumOfAQuadratic() {
    NDArray matrix = manager.create(new double[][] {{3, 1}, {1, 2}});
    NDArray vector = manager.create(new double[] {1, -1});
    NDArray x = manager.create(new double[] {4, -3});

    OptimResult result =
        Adam.builder()
            .lr(0.05)
            .maxEvaluations(2000)
            .build()
            .minimize(x, TestObjectives.quadratic(matrix, vector));

    // A x = b at x = (0.6, -0.8)
    assertThat(x.toDoubleArray()[0]).isCloseTo(0.6, within(1e-4));
    assertThat(x.toDoubleArray()[1]).isCloseTo(-0.8, within(1e-4));
    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_EVALUATIONS);
    assertThat(result.evaluations()).isEqualTo(2000);
  }

  @Test
  void firstAdamStepMovesEachCoordinateByTheLearningRate() {
    // with bias correction, m̂ = g and v̂ = g², so the first step is lr·sign(g)
    NDArray x = manager.create(new double[] {-1.2, 1.0, 3.0});

    Adam.builder().lr(0.01).maxEvaluations(1).build().minimize(x, TestObjectives.rosenbrock());

    double[] moved = x.toDoubleArray();
    assertThat(Arrays.stream(new double[] {moved[0] + 1.2, moved[1] - 1.0, moved[2] - 3.0}).boxed())
        .allSatisfy(delta -> assertThat(Math.abs(delta)).isCloseTo(0.01, within(1e-8)));
  }

  @Test
  void adamStopsAtTheFirstNonFiniteLoss() {
    NDArray x = manager.create(new double[] {-1.2, 1.0});
    Objective rosenbrock = TestObjectives.rosenbrock();
    int[] calls = {0};
    Objective failsAtSixth =
        (point, scope) -> {
          calls[0]++;
          Objective.Evaluation real = rosenbrock.evaluate(point, scope);
          return calls[0] == 6 ? new Objective.Evaluation(Double.NaN, null) : real;
        };

    OptimResult result = Adam.builder().maxEvaluations(50).build().minimize(x, failsAtSixth);

    assertThat(result.stopReason()).isEqualTo(StopReason.NON_FINITE_LOSS);
    assertThat(result.evaluations()).isEqualTo(6).isEqualTo(calls[0]);
  }

  @Test
  void builderRejectsBadSettingsNamingTheValue() {
    assertThatThrownBy(() -> Adam.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEvaluations");
    assertThatThrownBy(() -> Adam.builder().maxEvaluations(3).beta1(1.0).build())
        .hasMessageContaining("beta1")
        .hasMessageContaining("1.0");
    assertThatThrownBy(() -> Adam.builder().maxEvaluations(3).lr(Double.NaN).build())
        .hasMessageContaining("lr")
        .hasMessageContaining("NaN");
  }
}
