package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;

/**
 * The temporal loss of Ruder et al. (2016, eq. 7): {@code (1/D) Σ c ⊙ (x − ω)²} with x the (1, C,
 * H, W) image in [0, 1], ω the previous stylised frame warped into this one (same shape), c the (1,
 * 1, H, W) per-pixel weights (0 at disocclusions and motion boundaries) broadcast over the
 * channels, and D = C·H·W.
 */
public final class TemporalLoss {
  private TemporalLoss() {}

  /** The loss as a scalar attached to the image's manager. */
  public static NDArray of(NDArray image, NDArray warped, NDArray weights) {
    if (!image.getShape().equals(warped.getShape())) {
      throw new IllegalArgumentException(
          "the warped frame's shape "
              + warped.getShape()
              + " is not the image's "
              + image.getShape());
    }
    double d = image.getShape().size();
    return Scalars.dividedBy(image.sub(warped).square().mul(weights).sum(), d);
  }
}
