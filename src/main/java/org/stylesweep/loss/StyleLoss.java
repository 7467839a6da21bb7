package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;

/**
 * Style loss of one layer: the mean squared error between the image's Gram matrix and the style
 * image's, times the layer's weight (the tutorial's {@code F.mse_loss(G, target)}; Gatys et al.'s
 * {@code 1/(4N²M²)} factor corresponds to {@code gram_norm: none} with the weight folded in).
 *
 * <p>This is the definition, differentiated by autograd; runs compute the same value and gradient
 * with {@link FusedStyleLoss}, which needs one matrix product fewer per layer.
 */
public final class StyleLoss {
  private StyleLoss() {}

  /**
   * {@code weight · mean((G - A)²)} as a scalar attached to {@code gram}'s manager.
   *
   * @param gram the image's Gram matrix at a layer
   * @param targetGram the style image's Gram matrix at the same layer, no gradient
   * @param layerWeight the layer's weight (1 by default)
   */
  public static NDArray of(NDArray gram, NDArray targetGram, double layerWeight) {
    NDArray mse = gram.sub(targetGram).square().mean();
    return layerWeight == 1.0 ? mse : Scalars.times(mse, layerWeight);
  }
}
