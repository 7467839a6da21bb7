package org.stylesweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.stylesweep.loss.Scalars;
import org.stylesweep.spec.Normalization;

/**
 * Maps an RGB image in [0,1] to what the weights expect, as differentiable tensor ops so that
 * gradients flow back to the pixels.
 *
 * <ul>
 *   <li>{@code imagenet} (torchvision): {@code (x - mean) / std} per channel, mean (0.485, 0.456,
 *       0.406), std (0.229, 0.224, 0.225), as the PyTorch tutorial's {@code Normalization} module.
 *   <li>{@code caffe} (Caffe-converted weights, neural-style): channels reversed to BGR, scaled to
 *       0-255 and the BGR mean (103.939, 116.779, 123.68) subtracted.
 * </ul>
 *
 * <p>The constants live in the manager given to {@link #create}; {@link #apply} results attach to
 * the input's manager.
 */
public final class InputNormalizer {

  // Doubles, rounded once to the model's type, as torch.tensor([0.485, ...], dtype=...) does.
  private static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
  private static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};
  private static final double[] CAFFE_MEAN_BGR = {103.939, 116.779, 123.68};

  private final Normalization normalization;
  private final NDArray mean;
  private final NDArray std;

  private InputNormalizer(Normalization normalization, NDArray mean, NDArray std) {
    this.normalization = normalization;
    this.mean = mean;
    this.std = std;
  }

  /** Creates the constants in {@code manager} with the given float type (that of the model). */
  public static InputNormalizer create(
      Normalization normalization, NDManager manager, DataType dataType) {
    Shape perChannel = new Shape(1, 3, 1, 1);
    return switch (normalization) {
      case IMAGENET ->
          new InputNormalizer(
              normalization,
              manager.create(IMAGENET_MEAN, perChannel).toType(dataType, false),
              manager.create(IMAGENET_STD, perChannel).toType(dataType, false));
      case CAFFE ->
          new InputNormalizer(
              normalization,
              manager.create(CAFFE_MEAN_BGR, perChannel).toType(dataType, false),
              null);
    };
  }

  /** The normalization this applies. */
  public Normalization normalization() {
    return normalization;
  }

  /** Normalizes a (1, 3, H, W) RGB image in [0,1]. */
  public NDArray apply(NDArray rgb) {
    return switch (normalization) {
      case IMAGENET -> rgb.sub(mean).div(std);
      case CAFFE -> Scalars.times(rgb.flip(1), 255).sub(mean);
    };
  }
}
