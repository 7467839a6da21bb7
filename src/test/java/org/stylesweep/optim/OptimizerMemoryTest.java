package org.stylesweep.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.LineSearch;

/**
 * Long runs must hold a bounded number of native arrays: the live count, over every manager in the
 * process, is the same late in a run as early on, and back to its start value afterwards.
 */
class OptimizerMemoryTest {

  private static final int EVALUATIONS = 300;

  /** Every NDArray alive in the process (all managers descend from the system manager). */
  private static int liveArrays() {
    return SYSTEM_MANAGER.getManagedArrays().size();
  }

  private static final NDManager SYSTEM_MANAGER = systemManager();

  private static NDManager systemManager() {
    try (NDManager probe = NDManager.newBaseManager()) {
      return probe.getParentManager();
    }
  }

  /** Runs the optimizer on an autograd objective, recording the live count at each evaluation. */
  private static List<Integer> liveCountsDuring(Optimizer optimizer) {
    List<Integer> counts = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      // A fixed start: from some random starts strong Wolfe reaches float32 precision and stops
      // early.
      java.util.Random random = new java.util.Random(7);
      float[] start = new float[64];
      for (int i = 0; i < start.length; i++) {
        start[i] = random.nextFloat() * 4 - 2;
      }
      NDArray x = manager.create(start, new Shape(64));
      Objective rosenbrock = TestObjectives.rosenbrockAutograd();
      Objective counting =
          (point, scope) -> {
            counts.add(liveArrays());
            return rosenbrock.evaluate(point, scope);
          };
      int before = liveArrays();

      OptimResult result = optimizer.minimize(x, counting);

      assertThat(result.evaluations()).isEqualTo(EVALUATIONS);
      assertThat(liveArrays()).as("live arrays after minimize").isEqualTo(before);
    }
    return counts;
  }

  private static void assertFlat(List<Integer> counts) {
    assertThat(counts).hasSize(EVALUATIONS);
    int early = Collections.max(counts.subList(20, 100));
    int late = Collections.max(counts.subList(100, EVALUATIONS));
    assertThat(late).as("live arrays late in the run vs early").isLessThanOrEqualTo(early);
  }

  @Test
  void lbfgsKeepsLiveArrayCountFlatOverManyEvaluations() {
    Lbfgs lbfgs =
        Lbfgs.builder()
            .lr(1e-3)
            .historySize(10)
            .toleranceGrad(-1)
            .toleranceChange(-1)
            .maxEvaluations(EVALUATIONS)
            .build();

    List<Integer> counts = liveCountsDuring(lbfgs);

    assertFlat(counts);
    // once the history is full, every evaluation sees exactly the same number of arrays
    assertThat(counts.subList(20, EVALUATIONS)).containsOnly(counts.get(20));
  }

  @Test
  void lbfgsWithStrongWolfeKeepsLiveArrayCountFlatOverManyEvaluations() {
    Lbfgs lbfgs =
        Lbfgs.builder()
            .lineSearch(LineSearch.STRONG_WOLFE)
            .historySize(10)
            .toleranceGrad(-1)
            .toleranceChange(-1)
            .maxEvaluations(EVALUATIONS)
            .build();

    assertFlat(liveCountsDuring(lbfgs));
  }

  @Test
  void adamKeepsLiveArrayCountFlatOverManyEvaluations() {
    List<Integer> counts =
        liveCountsDuring(Adam.builder().lr(0.01).maxEvaluations(EVALUATIONS).build());

    assertThat(counts.subList(1, EVALUATIONS)).containsOnly(counts.get(1));
  }
}
