package org.stylesweep.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.SplittableRandom;
import org.stylesweep.optim.Lbfgs;
import org.stylesweep.optim.Objective;

/**
 * (e) What L-BFGS itself costs per iteration at a run's size: {@link Lbfgs} (history 100, no line
 * search) on a separable quadratic with as many variables as the image has values, whose own
 * evaluation is three vector operations. The two-loop recursion grows with the history, so a short
 * benchmark run (history below 20 pairs) shows less of it than a full run does once 100 pairs are
 * kept; this measures both.
 */
final class OptimizerCost {

  /**
   * Per-iteration times.
   *
   * @param early over evaluations 1..steps (history 0..steps-1 pairs), as in the timed runs
   * @param full over {@code steps} evaluations once the history holds 100 pairs
   */
  record Result(Timing early, Timing full) {}

  private static final int HISTORY = 100;

  private OptimizerCost() {}

  static Result measure(Device device, long variables, int steps) {
    int settle = HISTORY + 10;
    int budget = settle + steps;
    Timing.Mark[] marks = new Timing.Mark[4];
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      // Curvatures log-uniform over [1e-4, 1]: ill-conditioned enough that L-BFGS keeps making
      // progress (and keeping pairs) for the whole budget.
      float[] curvature = new float[Math.toIntExact(variables)];
      SplittableRandom random = new SplittableRandom(0);
      for (int i = 0; i < curvature.length; i++) {
        curvature[i] = (float) Math.pow(10, -4 * random.nextDouble());
      }
      NDArray d = manager.create(curvature, new Shape(variables));
      NDArray x = manager.zeros(new Shape(variables), DataType.FLOAT32);
      int[] evaluations = {0};
      Objective quadratic =
          (point, scope) -> {
            NDArray offset = point.sub(1f);
            NDArray gradient = offset.mul(d); // attached to the evaluation's manager, like offset
            double loss = gradient.dot(offset).getFloat() / 2;
            int evaluation = ++evaluations[0];
            if (evaluation == 1) {
              marks[0] = Timing.now();
            } else if (evaluation == steps) {
              marks[1] = Timing.now();
            } else if (evaluation == settle + 1) {
              marks[2] = Timing.now();
            } else if (evaluation == budget) {
              marks[3] = Timing.now();
            }
            return new Objective.Evaluation(loss, gradient);
          };
      Lbfgs.builder()
          .maxEvaluations(budget)
          .historySize(HISTORY)
          .toleranceGrad(-1)
          .toleranceChange(-1)
          .build()
          .minimize(x, quadratic);
      if (evaluations[0] != budget) {
        throw new IllegalStateException(
            "L-BFGS stopped after "
                + evaluations[0]
                + " of "
                + budget
                + " evaluations of the benchmark's quadratic");
      }
      return new Result(
          Timing.between(marks[0], marks[1], steps - 1),
          Timing.between(marks[2], marks[3], steps - 1));
    } finally {
      JniUtils.setGradMode(previous);
    }
  }
}
