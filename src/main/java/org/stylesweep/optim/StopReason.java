package org.stylesweep.optim;

import org.stylesweep.common.Choice;

/**
 * Why an optimization stopped, or for a failed run how far it got. Recorded in the metrics table as
 * {@link #key()}.
 */
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
  NON_FINITE_LOSS,
  /**
   * The run never reached the optimizer: its input was refused or could not be prepared (bad
   * parameters, an unreadable or missing image, weights without a requested layer, a model that
   * would not load). Not set by an optimizer; the run is a failure with no evaluations.
   */
  REJECTED,
  /**
   * Something other than the loss failed after the optimizer started (an exception from the device,
   * say). Not set by an optimizer; the run is a failure whose error says what happened.
   */
  ERROR;

  /** The spelling recorded in metrics. */
  public String key() {
    return Choice.key(this);
  }
}
