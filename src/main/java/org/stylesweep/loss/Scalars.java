package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Scalar arithmetic that keeps the array's float type and is safe inside the autograd graph. */
public final class Scalars {
  private Scalars() {}

  /**
   * {@code array · factor} in the array's own float type.
   *
   * <p>DJL's {@code mul(Number)} turns a {@code double} into a float64 0-dim tensor, and libtorch
   * promotes a 0-dim float32 loss times a 0-dim float64 factor to float64; PyTorch's Python scalars
   * do not promote. Passing the factor as the array's type keeps float32 runs in float32, as the
   * tutorial computes them.
   *
   * <p>The factor is a tensor that libtorch owns. DJL makes a CPU scalar by wrapping a Java direct
   * buffer without a copy and drops the buffer when the scalar's handle closes, which {@code
   * mul(Number)} does at once; autograd keeps the factor for the backward pass, which then read
   * freed memory once a garbage collection had run (gradients of 1e30, a run jumping to an infinite
   * loss at a random evaluation). {@code ScalarsTest} reproduces it.
   */
  public static NDArray times(NDArray array, double factor) {
    try (NDArray owned = ownedScalar(array, factor)) {
      return array.mul(owned);
    }
  }

  /**
   * {@code array / divisor} in the array's own float type, with the same care as {@link #times}.
   */
  public static NDArray dividedBy(NDArray array, double divisor) {
    try (NDArray owned = ownedScalar(array, divisor)) {
      return array.div(owned);
    }
  }

  /** A 0-dim copy of {@code value} in {@code like}'s type and manager, in libtorch's own memory. */
  private static NDArray ownedScalar(NDArray like, double value) {
    boolean wide = like.getDataType() == DataType.FLOAT64;
    try (NDArray javaBacked =
        wide ? like.getManager().create(value) : like.getManager().create((float) value)) {
      return javaBacked.duplicate();
    }
  }
}
