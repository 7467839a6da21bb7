package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.stylesweep.spec.GramNorm;

/**
 * Gram matrix of a layer's features: {@code G = F Fᵀ / n} with F the (N·C, H·W) feature matrix, as
 * the PyTorch tutorial's {@code gram_matrix} (batch size N is 1 for a run).
 *
 * <ul>
 *   <li>{@code chw}: n = N·C·H·W, the tutorial's normalization (default).
 *   <li>{@code hw}: n = H·W, so the Gram is the mean feature correlation per position.
 *   <li>{@code none}: n = 1, Gatys et al.'s unnormalized Gram.
 * </ul>
 */
public final class Gram {
  private Gram() {}

  /**
   * The (N·C, N·C) Gram matrix of (N, C, H, W) features, attached to their manager.
   *
   * @throws IllegalArgumentException if the features are not 4-dimensional
   */
  public static NDArray of(NDArray features, GramNorm norm) {
    Shape shape = features.getShape();
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException(
          "Gram matrix needs (N, C, H, W) features, got shape " + shape);
    }
    long rows = shape.get(0) * shape.get(1);
    long positions = shape.get(2) * shape.get(3);
    NDArray matrix = features.reshape(rows, positions);
    NDArray gram = matrix.matMul(matrix.transpose());
    return norm == GramNorm.NONE ? gram : Scalars.dividedBy(gram, divisor(shape, norm));
  }

  /**
   * The n that {@code F Fᵀ} is divided by for (N, C, H, W) features: N·C·H·W, H·W or 1.
   *
   * @throws IllegalArgumentException if the shape is not 4-dimensional
   */
  public static long divisor(Shape shape, GramNorm norm) {
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException(
          "Gram matrix needs (N, C, H, W) features, got shape " + shape);
    }
    long positions = shape.get(2) * shape.get(3);
    return switch (norm) {
      case CHW -> shape.get(0) * shape.get(1) * positions;
      case HW -> positions;
      case NONE -> 1;
    };
  }
}
