package org.stylesweep.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import org.stylesweep.optim.Objective;

/**
 * Watches one run's evaluations beside the objective: records each one's losses in the {@link
 * LossHistory}, reports progress to the {@link ProgressListener}, and keeps a device copy of the
 * evaluated point with the lowest loss, the run's result.
 *
 * <p>Why the best point: L-BFGS without a line search (the tutorial's default) sometimes overshoots
 * and recovers, so the last point can be a spike. Keeping the best costs one device copy per
 * improvement and no host transfer; the loss sequence is untouched, so parity with torch holds.
 */
final class RunMonitor {
  private final LossHistory history = new LossHistory();
  private final ProgressListener listener;
  private final int budget;
  private final NDArray bestPoint;
  private double bestLoss = Double.POSITIVE_INFINITY;
  private int bestEvaluation;
  private int lastReported;

  /**
   * @param listener receives progress every {@link ProgressListener#every()} evaluations
   * @param budget the evaluation budget, passed on to the listener
   * @param start the starting point; its copy, in the same manager, holds the best point
   */
  RunMonitor(ProgressListener listener, int budget, NDArray start) {
    this.listener = listener;
    this.budget = budget;
    this.bestPoint = start.duplicate();
  }

  /**
   * The objective as the optimizer sees it: each evaluation of {@code objective}, then this
   * monitor's bookkeeping at the point just evaluated.
   */
  Objective watch(
      java.util.function.BiFunction<NDArray, ai.djl.ndarray.NDManager, TransferObjective.Value>
          objective) {
    return (x, scope) -> {
      TransferObjective.Value value = objective.apply(x, scope);
      // x as evaluated (after clamp: closure), still attached to the optimizer's evaluation scope.
      onEvaluation(x, value);
      return new Objective.Evaluation(value.total(), value.gradient());
    };
  }

  private void onEvaluation(NDArray x, TransferObjective.Value value) {
    int evaluation = history.record(value.total(), value.content(), value.style());
    if (value.total() < bestLoss) {
      bestPoint.set(new NDIndex("..."), x);
      bestLoss = value.total();
      bestEvaluation = evaluation;
    }
    listener.onEvaluation(evaluation);
    if (evaluation % Math.max(1, listener.every()) == 0) {
      report(evaluation, value.total(), value.content(), value.style());
    }
  }

  /** Reports the last evaluation unless it was reported already, so every run ends on N/N. */
  void finish() {
    int evaluations = history.size();
    if (evaluations > 0 && lastReported != evaluations) {
      report(evaluations, history.lastTotal(), history.lastContent(), history.lastStyle());
    }
  }

  private void report(int evaluation, double total, double content, double style) {
    listener.onProgress(evaluation, budget, total, content, style);
    lastReported = evaluation;
  }

  /** The losses of every evaluation so far. */
  LossHistory history() {
    return history;
  }

  /** The 1-based evaluation with the lowest finite loss so far, or 0 when there is none. */
  int bestEvaluation() {
    return bestEvaluation;
  }

  /** The point of {@link #bestEvaluation()}; meaningless while that is 0. */
  NDArray bestPoint() {
    return bestPoint;
  }
}
