package org.stylesweep.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Reverse-mode gradients through libtorch's autograd, without DJL's {@code GradientCollector}.
 *
 * <p>DJL 0.36's {@code PtGradientCollector} allows one collector per JVM at a time (a static flag)
 * and its {@code zeroGradients} walks every live array of the process. Spark runs several tasks as
 * threads of one executor JVM, so each run drives autograd directly instead: libtorch's grad mode
 * is thread-local, so enabling it here affects only the calling thread, and each evaluation
 * differentiates with respect to a fresh leaf, so gradients never accumulate.
 */
public final class Autograd {
  private Autograd() {}

  /**
   * Runs {@code body} with libtorch's grad mode set as given on this thread, restoring it after.
   */
  public static <T> T withGradMode(boolean enabled, Supplier<T> body) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(enabled);
    try {
      return body.get();
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  /** Backpropagates from the scalar {@code loss}; call inside {@code withGradMode(true, ...)}. */
  public static void backward(NDArray loss) {
    if (!(loss instanceof PtNDArray ptLoss)) {
      throw new IllegalStateException(
          "stylesweep needs DJL's PyTorch engine; the loss is a " + loss.getClass().getName());
    }
    try (NDArray seed = loss.onesLike()) {
      JniUtils.backward(ptLoss, (PtNDArray) seed, false, false);
    }
  }
}
