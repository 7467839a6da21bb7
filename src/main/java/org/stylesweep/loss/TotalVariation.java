package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Total variation regularizer: the sum of squared differences between horizontally and vertically
 * neighbouring pixels, over all channels, {@code Σ (x[i, j+1] - x[i, j])² + Σ (x[i+1, j] - x[i,
 * j])²}, of the image in [0,1] (before normalization). Squared differences (as neural-style's
 * TVLoss gradient) keep it smooth for L-BFGS; being a sum, it grows with the pixel count, so {@code
 * tv_weight} depends on image size.
 */
public final class TotalVariation {
  private TotalVariation() {}

  /**
   * The total variation of an (N, C, H, W) image as a scalar attached to its manager.
   *
   * @throws IllegalArgumentException if the image is not 4-dimensional
   */
  public static NDArray of(NDArray image) {
    if (image.getShape().dimension() != 4) {
      throw new IllegalArgumentException(
          "total variation needs an (N, C, H, W) image, got shape " + image.getShape());
    }
    NDArray dx = image.get(new NDIndex(":, :, :, 1:")).sub(image.get(new NDIndex(":, :, :, :-1")));
    NDArray dy = image.get(new NDIndex(":, :, 1:, :")).sub(image.get(new NDIndex(":, :, :-1, :")));
    return dx.square().sum().add(dy.square().sum());
  }
}
