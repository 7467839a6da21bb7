package org.stylesweep.optim;

import ai.djl.ndarray.NDArray;

/**
 * Minimizes an {@link Objective} over a flat parameter vector, in place.
 *
 * <p>Implementations keep all their state (moments, curvature history) as NDArrays on the device of
 * {@code x}, in a manager that is closed before {@link #minimize} returns; only scalars such as dot
 * products come to the host. Each evaluation gets its own sub-manager, so a run of any length holds
 * a bounded number of native arrays.
 */
public interface Optimizer {

  /**
   * Runs one minimization, the analogue of one {@code optimizer.step(closure)} call of a PyTorch
   * optimizer configured with the same budget.
   *
   * @param x the starting point: a flat 1-D float32 or float64 array; it is updated in place and
   *     holds the result when this method returns
   * @param objective the function to minimize
   * @return why the optimization stopped, how many times the objective was evaluated, and the last
   *     loss the optimizer accepted
   * @throws IllegalArgumentException if {@code x} is not a 1-D float32 or float64 array
   */
  OptimResult minimize(NDArray x, Objective objective);
}
