package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The building blocks of the feed-forward networks that DJL 0.36 does not have, written with
 * differentiable tensor ops so that libtorch's autograd gives their backward pass. Each matches the
 * PyTorch module named in its Javadoc forward and backward (to 1e-5, {@code
 * FeedforwardBlocksParityTest}; fixtures from {@code tools/parity/make_feedforward_fixtures.py}).
 * All take and return NCHW float32 tensors; results attach to the input's manager.
 */
public final class Blocks {
  private Blocks() {}

  /** {@code torch.nn.InstanceNorm2d}'s default epsilon. */
  public static final double INSTANCE_NORM_EPS = 1e-5;

  /**
   * {@code torch.nn.InstanceNorm2d(C, affine=True)} (no running statistics): each (sample, channel)
   * plane normalised by its own mean and biased variance, then scaled by {@code gamma} and shifted
   * by {@code beta} (both of shape (C)).
   */
  public static NDArray instanceNorm(NDArray x, NDArray gamma, NDArray beta) {
    Shape shape = x.getShape();
    // DJL's PyTorch mean takes one axis: flatten each plane to one axis of H·W values.
    NDArray planes = x.reshape(shape.get(0), shape.get(1), shape.get(2) * shape.get(3));
    NDArray centred = planes.sub(planes.mean(new int[] {2}, true));
    NDArray variance = centred.square().mean(new int[] {2}, true);
    NDArray normalised = centred.div(variance.add(INSTANCE_NORM_EPS).sqrt()).reshape(shape);
    Shape perChannel = new Shape(1, gamma.getShape().get(0), 1, 1);
    // The reshaped views would attach to the weights' long-lived manager: move them to x's.
    NDArray scale = gamma.reshape(perChannel);
    NDArray shift = beta.reshape(perChannel);
    scale.attach(x.getManager());
    shift.attach(x.getManager());
    return normalised.mul(scale).add(shift);
  }

  /**
   * {@code torch.nn.ReflectionPad2d(p)}: pads H and W by {@code p} on each side with the mirror
   * image of the border, the border row itself not repeated. Needs {@code p < H} and {@code p < W}.
   */
  public static NDArray reflectionPad(NDArray x, int p) {
    if (p == 0) {
      return x;
    }
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    if (p >= h || p >= w) {
      throw new IllegalArgumentException(
          "reflection padding "
              + p
              + " needs an input larger than "
              + p
              + " px; got "
              + h
              + "×"
              + w);
    }
    NDArray rows = mirror(x, 2, p, h);
    return mirror(rows, 3, p, w);
  }

  /** Pads one axis: rows 1..p flipped, the array, rows n-1-p..n-2 flipped. */
  private static NDArray mirror(NDArray x, int axis, int p, long n) {
    String lead = axis == 2 ? ":, :, " : ":, :, :, ";
    NDArray before = x.get(new NDIndex(lead + "1:" + (p + 1))).flip(axis);
    NDArray after = x.get(new NDIndex(lead + (n - 1 - p) + ":" + (n - 1))).flip(axis);
    return NDArrays.concat(new NDList(before, x, after), axis);
  }

  /**
   * {@code torch.nn.functional.interpolate(x, scale_factor=factor, mode="nearest")}: libtorch's own
   * nearest-neighbour upsampling, each pixel repeated factor × factor times.
   */
  public static NDArray upsampleNearest(NDArray x, int factor) {
    if (!(x instanceof PtNDArray pt)) {
      throw new IllegalStateException("stylesweep needs DJL's PyTorch engine for upsampling");
    }
    long[] size = {x.getShape().get(2) * factor, x.getShape().get(3) * factor};
    return JniUtils.interpolate(pt, size, 0, false); // mode 0: nearest (PtNDArrayEx's table)
  }

  /**
   * pytorch/examples' {@code ConvLayer}: reflection padding of {@code kernel / 2}, then a
   * convolution with the given stride and no padding.
   */
  public static NDArray conv(NDArray x, NDArray weight, NDArray bias, int stride) {
    int kernel = (int) weight.getShape().get(2);
    NDArray padded = reflectionPad(x, kernel / 2);
    return Conv2d.conv2d(
            padded, weight, bias, new Shape(stride, stride), new Shape(0, 0), new Shape(1, 1), 1)
        .singletonOrThrow();
  }
}
