package org.stylesweep.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Reductions and updates on flat vectors that bring only a scalar to the host and leave no
 * temporary array behind: every intermediate is closed before the method returns.
 */
final class FlatVectors {
  private FlatVectors() {}

  /**
   * Checks that {@code x} is what the optimizers update: a 1-D float32 or float64 array.
   *
   * @throws IllegalArgumentException naming the shape and type found
   */
  static void checkPoint(NDArray x) {
    if (x == null) {
      throw new IllegalArgumentException("x must be a flat 1-D float32 or float64 array, got null");
    }
    DataType type = x.getDataType();
    boolean floating = type == DataType.FLOAT32 || type == DataType.FLOAT64;
    if (x.getShape().dimension() != 1 || !floating) {
      throw new IllegalArgumentException(
          "x must be a flat 1-D float32 or float64 array, got shape "
              + x.getShape()
              + " of "
              + type
              + "; flatten the parameters with reshape(-1) first");
    }
  }

  /** The value of a one-element array, widened to double. */
  static double toHost(NDArray scalar) {
    return toHostArray(scalar)[0];
  }

  /** The values of an array, widened to double. */
  static double[] toHostArray(NDArray array) {
    DataType type = array.getDataType();
    if (type == DataType.FLOAT64) {
      return array.toDoubleArray();
    }
    if (type == DataType.FLOAT32) {
      float[] narrow = array.toFloatArray();
      double[] wide = new double[narrow.length];
      for (int i = 0; i < narrow.length; i++) {
        wide[i] = narrow[i];
      }
      return wide;
    }
    try (NDArray wide = array.toType(DataType.FLOAT64, false)) {
      return wide.toDoubleArray();
    }
  }

  /** {@code a · b}. */
  static double dot(NDArray a, NDArray b) {
    try (NDArray product = a.dot(b)) {
      return toHost(product);
    }
  }

  /** {@code max |a_i|}, the infinity norm. */
  static double maxAbs(NDArray a) {
    try (NDArray abs = a.abs();
        NDArray max = abs.max()) {
      return toHost(max);
    }
  }

  /** {@code Σ |a_i|}, the 1-norm. */
  static double sumAbs(NDArray a) {
    try (NDArray abs = a.abs();
        NDArray sum = abs.sum()) {
      return toHost(sum);
    }
  }

  /** {@code target += alpha · v}, in place (torch's {@code target.add_(v, alpha=alpha)}). */
  static void addScaled(NDArray target, NDArray v, double alpha) {
    try (NDArray scaled = v.mul(alpha)) {
      target.addi(scaled);
    }
  }

  /** Python's {@code max(a, b)}: the first argument unless the second is strictly greater. */
  static double pyMax(double a, double b) {
    return b > a ? b : a;
  }

  /** Python's {@code min(a, b)}: the first argument unless the second is strictly smaller. */
  static double pyMin(double a, double b) {
    return b < a ? b : a;
  }
}
