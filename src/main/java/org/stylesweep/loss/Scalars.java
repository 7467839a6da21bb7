package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Scalar arithmetic that keeps the array's float type. */
public final class Scalars {
  private Scalars() {}

  /**
   * {@code array · factor} in the array's own float type.
   *
   * <p>DJL's {@code mul(Number)} turns a {@code double} into a float64 0-dim tensor, and libtorch
   * promotes a 0-dim float32 loss times a 0-dim float64 factor to float64; PyTorch's Python
   * scalars do not promote. Passing the factor as the array's type keeps float32 runs in float32,
   * as the tutorial computes them.
   */
  public static NDArray times(NDArray array, double factor) {
    return array.getDataType() == DataType.FLOAT64 ? array.mul(factor) : array.mul((float) factor);
  }
}
