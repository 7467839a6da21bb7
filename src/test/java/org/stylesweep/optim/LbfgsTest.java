package org.stylesweep.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.LineSearch;

class LbfgsTest {

  private NDManager manager;

  @BeforeEach
  void openManager() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void closeManager() {
    manager.close();
  }

  private static Lbfgs.Builder precise(LineSearch lineSearch, int maxEvaluations) {
    return Lbfgs.builder()
        .lineSearch(lineSearch)
        .toleranceGrad(1e-12)
        .toleranceChange(1e-20)
        .maxEvaluations(maxEvaluations);
  }

  private static void assertAllOnes(NDArray x) {
    assertThat(Arrays.stream(x.toDoubleArray()).boxed())
        .allSatisfy(v -> assertThat(v).isCloseTo(1.0, within(1e-6)));
  }

  @Test
  void lbfgsReachesRosenbrockOptimumIn2D() {
    NDArray x = manager.create(new double[] {-1.2, 1.0});

    OptimResult result =
        precise(LineSearch.STRONG_WOLFE, 500).build().minimize(x, TestObjectives.rosenbrock());

    assertAllOnes(x);
    assertThat(result.finalLoss()).isLessThan(1e-12);
    assertThat(result.evaluations()).isLessThan(500);
  }

  @Test
  void lbfgsReachesRosenbrockOptimumIn100D() {
    NDArray x = manager.zeros(new Shape(100), DataType.FLOAT64);

    OptimResult result =
        precise(LineSearch.STRONG_WOLFE, 3000)
            .historySize(20)
            .build()
            .minimize(x, TestObjectives.rosenbrock());

    assertAllOnes(x);
    assertThat(result.stopReason()).isNotEqualTo(StopReason.MAX_EVALUATIONS);
  }

  @Test
  void lbfgsWithoutLineSearchReachesRosenbrockOptimumWithSmallSteps() {
    NDArray x = manager.create(new double[] {-1.2, 1.0});

    OptimResult result =
        precise(LineSearch.NONE, 5000)
            .lr(0.1)
            .historySize(10)
            .build()
            .minimize(x, TestObjectives.rosenbrock());

    assertThat(result.stopReason()).isNotEqualTo(StopReason.MAX_EVALUATIONS);
    assertAllOnes(x);
  }

  @Test
  void gradientToleranceStopsAtAnOptimalStartAfterOneEvaluation() {
    NDArray x = manager.ones(new Shape(5), DataType.FLOAT64);

    OptimResult result =
        Lbfgs.builder().maxEvaluations(50).build().minimize(x, TestObjectives.rosenbrock());

    assertThat(result).isEqualTo(new OptimResult(StopReason.GRADIENT_TOLERANCE, 1, 0.0));
    assertThat(x.toDoubleArray()).containsOnly(1.0);
  }

  @Test
  void changeToleranceStopsWhenTheLossBarelyMoves() {
    NDArray x = manager.create(new double[] {-1.2, 1.0});
    TestObjectives.Recording recording = new TestObjectives.Recording(TestObjectives.rosenbrock());

    OptimResult result =
        Lbfgs.builder()
            .lineSearch(LineSearch.STRONG_WOLFE)
            .toleranceChange(1e-3)
            .maxEvaluations(500)
            .build()
            .minimize(x, recording);

    assertThat(result.stopReason()).isEqualTo(StopReason.CHANGE_TOLERANCE);
    assertThat(result.evaluations()).isEqualTo(recording.losses.size()).isLessThan(500);
  }

  @Test
  void nanLossStopsAtOnceWithItsEvaluationIndex() {
    NDArray x = manager.create(new double[] {-1.2, 1.0});
    Objective rosenbrock = TestObjectives.rosenbrock();
    int[] calls = {0};
    Objective failsAtFourth =
        (point, scope) -> {
          calls[0]++;
          Objective.Evaluation real = rosenbrock.evaluate(point, scope);
          return calls[0] == 4 ? new Objective.Evaluation(Double.NaN, null) : real;
        };

    OptimResult result = Lbfgs.builder().maxEvaluations(100).build().minimize(x, failsAtFourth);

    assertThat(result.stopReason()).isEqualTo(StopReason.NON_FINITE_LOSS);
    assertThat(result.evaluations()).isEqualTo(4).isEqualTo(calls[0]);
    assertThat(result.finalLoss()).isNaN();
  }

  @Test
  void infiniteLossInsideTheLineSearchLeavesXAtTheEvaluatedPoint() {
    NDArray x = manager.create(new double[] {-1.2, 1.0});
    Objective rosenbrock = TestObjectives.rosenbrock();
    List<double[]> points = new ArrayList<>();
    Objective failsAtThird =
        (point, scope) -> {
          points.add(point.toDoubleArray());
          Objective.Evaluation real = rosenbrock.evaluate(point, scope);
          return points.size() == 3
              ? new Objective.Evaluation(Double.POSITIVE_INFINITY, real.gradient())
              : real;
        };

    OptimResult result =
        Lbfgs.builder()
            .lineSearch(LineSearch.STRONG_WOLFE)
            .maxEvaluations(100)
            .build()
            .minimize(x, failsAtThird);

    assertThat(result.stopReason()).isEqualTo(StopReason.NON_FINITE_LOSS);
    assertThat(result.evaluations()).isEqualTo(3);
    assertThat(result.finalLoss()).isInfinite();
    assertThat(x.toDoubleArray()).containsExactly(points.get(2));
  }

  @Test
  void fixedStepsSpendExactlyTheEvaluationBudget() {
    NDArray x = manager.create(new double[] {-1.2, 1.0, 0.5, 2.0});
    TestObjectives.Recording recording = new TestObjectives.Recording(TestObjectives.rosenbrock());

    OptimResult result =
        Lbfgs.builder()
            .lr(0.01)
            .toleranceGrad(-1)
            .toleranceChange(-1)
            .maxEvaluations(7)
            .build()
            .minimize(x, recording);

    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_EVALUATIONS);
    assertThat(result.evaluations()).isEqualTo(7);
    assertThat(recording.losses).hasSize(7);
    assertThat(result.finalLoss()).isEqualTo(recording.losses.get(6));
  }

  @Test
  void strongWolfeNeverRunsPastTheEvaluationBudget() {
    for (int budget = 1; budget <= 30; budget++) {
      NDArray x = manager.create(new double[] {-1.2, 1.0});
      TestObjectives.Recording recording =
          new TestObjectives.Recording(TestObjectives.rosenbrock());

      OptimResult result = precise(LineSearch.STRONG_WOLFE, budget).build().minimize(x, recording);

      assertThat(result.stopReason()).isEqualTo(StopReason.MAX_EVALUATIONS);
      assertThat(result.evaluations()).isEqualTo(budget).isEqualTo(recording.losses.size());
      // x ends at the lowest point the search found, never above the start
      assertThat(result.finalLoss()).isLessThanOrEqualTo(recording.losses.get(0));
      double atX = TestObjectives.rosenbrock().evaluate(x, manager).loss();
      assertThat(atX).isEqualTo(result.finalLoss());
    }
  }

  @Test
  void fewerIterationsThanEvaluationsStopOnTheIterationBudget() {
    NDArray x = manager.create(new double[] {-1.2, 1.0});
    TestObjectives.Recording recording = new TestObjectives.Recording(TestObjectives.rosenbrock());

    OptimResult result =
        Lbfgs.builder().lr(0.01).maxIterations(3).maxEvaluations(10).build().minimize(x, recording);

    // torch: one initial evaluation, one per iteration but the last
    assertThat(result.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
    assertThat(result.evaluations()).isEqualTo(3).isEqualTo(recording.losses.size());
  }

  @Test
  void lineSearchFailsWhenNoStepLowersTheLoss() {
    NDArray x = manager.create(new double[] {0.5, -1.0, 2.0});
    // f = |x|², but the gradient reported points uphill's opposite: every step increases f
    Objective wrongGradient =
        (point, scope) ->
            new Objective.Evaluation(point.dot(point).toDoubleArray()[0], point.mul(-2));

    OptimResult result =
        Lbfgs.builder()
            .lineSearch(LineSearch.STRONG_WOLFE)
            .toleranceChange(-1)
            .maxEvaluations(200)
            .build()
            .minimize(x, wrongGradient);

    assertThat(result.stopReason()).isEqualTo(StopReason.LINE_SEARCH_FAILED);
    assertThat(result.evaluations()).isLessThan(200);
    assertThat(x.toDoubleArray()).containsExactly(0.5, -1.0, 2.0);
    assertThat(result.finalLoss()).isEqualTo(5.25);
  }

  @Test
  void float32PointsAreOptimizedInFloat32() {
    NDArray x = manager.create(new float[] {-1.2f, 1.0f});

    Lbfgs.builder()
        .lineSearch(LineSearch.STRONG_WOLFE)
        .maxEvaluations(200)
        .build()
        .minimize(x, TestObjectives.rosenbrock());

    assertThat(x.getDataType()).isEqualTo(DataType.FLOAT32);
    assertThat(Arrays.asList(x.toArray()))
        .allSatisfy(v -> assertThat(v.doubleValue()).isCloseTo(1.0, within(1e-3)));
  }

  @Test
  void rejectsPointsThatAreNotFlatFloatVectors() {
    Lbfgs lbfgs = Lbfgs.builder().maxEvaluations(5).build();
    NDArray matrix = manager.zeros(new Shape(2, 3), DataType.FLOAT32);
    NDArray integers = manager.zeros(new Shape(3), DataType.INT32);

    assertThatThrownBy(() -> lbfgs.minimize(matrix, TestObjectives.rosenbrock()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(2, 3)")
        .hasMessageContaining("reshape(-1)");
    assertThatThrownBy(() -> lbfgs.minimize(integers, TestObjectives.rosenbrock()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("int32");
  }

  @Test
  void builderRejectsBadSettingsNamingTheValue() {
    assertThatThrownBy(() -> Lbfgs.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEvaluations")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> Lbfgs.builder().maxEvaluations(5).lr(-0.5).build())
        .hasMessageContaining("lr")
        .hasMessageContaining("-0.5");
    assertThatThrownBy(() -> Lbfgs.builder().maxEvaluations(5).historySize(0).build())
        .hasMessageContaining("historySize")
        .hasMessageContaining("got 0");
    assertThatThrownBy(() -> Lbfgs.builder().maxEvaluations(5).maxIterations(0).build())
        .hasMessageContaining("maxIterations")
        .hasMessageContaining("got 0");
  }

  @Test
  void objectiveThatLeavesXRequiringAGradientIsRejected() {
    NDArray x = manager.create(new double[] {-1.2, 1.0});
    Objective rosenbrock = TestObjectives.rosenbrock();
    Objective careless =
        (point, scope) -> {
          point.setRequiresGradient(true);
          return rosenbrock.evaluate(point, scope);
        };

    assertThatThrownBy(() -> Lbfgs.builder().maxEvaluations(5).build().minimize(x, careless))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("requiring a gradient")
        .hasMessageContaining("duplicate");
    x.setRequiresGradient(false);
  }
}
