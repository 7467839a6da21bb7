package org.stylesweep.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Calls an {@link Objective} at the optimizer's point, each time inside fresh sub-managers, and
 * counts the calls (torch's {@code func_evals}).
 *
 * <p>{@code x} is temporarily attached to an outer per-evaluation manager, so every array the
 * objective computes from {@code x} lands there; the objective receives an inner manager as its
 * {@code scope}, so an objective that itself does {@code scope.tempAttachAll(x)} (DJL's usual
 * pattern) nests cleanly. Both are closed before {@link #evaluate} returns: only a copy of the
 * gradient survives, attached to the manager the caller names.
 */
final class Evaluator {

  /** One evaluated point: a loss and, when the loss is finite, a private copy of the gradient. */
  record Sample(double loss, NDArray gradient) {
    boolean finite() {
      return Double.isFinite(loss);
    }
  }

  private final NDArray x;
  private final Objective objective;
  private final NDManager run;
  private int evaluations;

  Evaluator(NDArray x, Objective objective, NDManager run) {
    this.x = x;
    this.objective = objective;
    this.run = run;
  }

  /** How many times the objective has been called. */
  int evaluations() {
    return evaluations;
  }

  /**
   * Evaluates the objective at the current {@code x}.
   *
   * @param owner the manager the gradient copy is attached to
   * @return the loss, and the gradient (null when the loss is NaN or infinite)
   * @throws IllegalStateException if the objective returns no evaluation or a gradient whose size
   *     differs from x's
   */
  Sample evaluate(NDManager owner) {
    evaluations++;
    try (NDManager outer = run.newSubManager(x.getDevice())) {
      outer.tempAttachAll(x);
      try (NDManager scope = outer.newSubManager()) {
        Objective.Evaluation evaluation = objective.evaluate(x, scope);
        if (evaluation == null) {
          throw new IllegalStateException(
              "objective returned no evaluation at evaluation " + evaluations);
        }
        if (x.hasGradient()) {
          throw new IllegalStateException(
              "objective left x requiring a gradient at evaluation "
                  + evaluations
                  + "; differentiate a copy (leaf = x.duplicate();"
                  + " leaf.setRequiresGradient(true)) so that the optimizer can update x in"
                  + " place on any thread");
        }
        double loss = evaluation.loss();
        if (!Double.isFinite(loss)) {
          return new Sample(loss, null);
        }
        NDArray copy = flatCopy(evaluation.gradient());
        copy.attach(owner);
        return new Sample(loss, copy);
      }
    }
  }

  /**
   * A private copy of the gradient (torch's {@code _gather_flat_grad} also copies): the objective
   * may hand back a live view of {@code x.getGradient()} that the next backward pass changes.
   */
  private NDArray flatCopy(NDArray gradient) {
    if (gradient == null) {
      throw new IllegalStateException(
          "objective returned a finite loss but no gradient at evaluation " + evaluations);
    }
    if (gradient.size() != x.size()) {
      throw new IllegalStateException(
          "objective returned a gradient of shape "
              + gradient.getShape()
              + " for x of shape "
              + x.getShape()
              + " at evaluation "
              + evaluations);
    }
    if (gradient.getDataType() != x.getDataType()) {
      // toType with copy=true always makes a new array.
      NDArray converted = gradient.toType(x.getDataType(), true);
      return reshapeFlat(converted);
    }
    return reshapeFlat(gradient.duplicate());
  }

  private NDArray reshapeFlat(NDArray copy) {
    if (copy.getShape().dimension() == 1) {
      return copy;
    }
    NDArray flat = copy.reshape(new Shape(x.size()));
    if (flat != copy) {
      // reshape of a fresh contiguous copy is a view; close the other handle, the data stays.
      copy.close();
    }
    return flat;
  }
}
