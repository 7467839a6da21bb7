package org.stylesweep.optim;

import org.stylesweep.common.Choice;

/** Why an optimization stopped. Recorded in the metrics table as {@link #key()}. */
public enum StopReason {
  /** The evaluation budget ({@code steps}) was spent. */
  MAX_EVALUATIONS,
  /**
   * L-BFGS ran its {@code maxIterations} iterations before spending its evaluation budget (only
   * when {@code maxIterations} was set below {@code maxEvaluations}).
   */
  MAX_ITERATIONS,
  /** The gradient's largest absolute entry fell to {@code tolerance_grad} or below. */
  GRADIENT_TOLERANCE,
  /** The step or the loss changed by less than {@code tolerance_change}. */
  CHANGE_TOLERANCE,
  /** The strong Wolfe line search found no acceptable step. */
  LINE_SEARCH_FAILED,
  /** The loss became NaN or infinite; the run is a failure. */
  NON_FINITE_LOSS;

  /** The spelling recorded in metrics. */
  public String key() {
    return Choice.key(this);
  }
}
