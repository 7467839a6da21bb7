package org.stylesweep.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A differentiable function of a flat parameter vector, as the optimizers see it: the analogue of
 * the closure passed to {@code torch.optim.LBFGS.step}.
 */
@FunctionalInterface
public interface Objective {

  /**
   * Evaluates the loss and its gradient at {@code x}.
   *
   * <p>The objective may modify {@code x} in place before evaluating (the tutorial's {@code clamp:
   * closure}); it must not keep references to {@code x} or to {@code scope}.
   *
   * <p>Memory: the optimizer calls this inside a fresh per-evaluation manager to which {@code x} is
   * temporarily attached, so every array computed from {@code x} is freed after the call; {@code
   * scope} is a child of it and is closed right after too. Calling {@code scope.tempAttachAll(x)}
   * once is fine (it nests); attaching {@code x} twice to the same manager makes DJL 0.36 close
   * {@code x} with that manager.
   *
   * <p>Gradients: differentiate with respect to a copy, not {@code x} itself ({@code leaf =
   * x.duplicate(); leaf.setRequiresGradient(true)}, then {@code leaf.getGradient()}). The copy dies
   * with the scope, so gradients never accumulate across evaluations, and {@code x} never requires
   * a gradient: libtorch refuses in-place updates of a leaf that does whenever grad mode is on,
   * which it is on every thread but the one that loaded the engine. The optimizer throws if {@code
   * x} requires a gradient after the call.
   *
   * @param x the current point, on the run's device; never closed by the objective
   * @param scope manager that the returned gradient must be attached to; the caller owns it
   * @return the loss and a gradient with the shape of {@code x}, attached to {@code scope}; the
   *     optimizer copies the gradient, so a view is fine
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
