package org.stylesweep.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A differentiable function of a flat parameter vector, as the optimizers see it: the analogue
 * of the closure passed to {@code torch.optim.LBFGS.step}.
 */
@FunctionalInterface
public interface Objective {

  /**
   * Evaluates the loss and its gradient at {@code x}.
   *
   * <p>The objective may modify {@code x} in place before evaluating (the tutorial's
   * {@code clamp: closure}); it must not keep references to {@code x} or to {@code scope}.
   *
   * @param x the current point, on the run's device; never closed by the objective
   * @param scope manager that the returned gradient must be attached to; the caller owns it
   * @return the loss and a gradient with the shape of {@code x}, attached to {@code scope}
   */
  Evaluation evaluate(NDArray x, NDManager scope);

  /**
   * One evaluation of an objective.
   *
   * @param loss the loss, possibly NaN or infinite (the optimizer then stops with {@link
   *     StopReason#NON_FINITE_LOSS})
   * @param gradient the gradient, attached to the scope given to {@link #evaluate}
   */
  record Evaluation(double loss, NDArray gradient) {}
}
