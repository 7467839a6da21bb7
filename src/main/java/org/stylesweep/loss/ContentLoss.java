package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import org.stylesweep.spec.ContentLossKind;

/**
 * Content loss of Gatys et al.: how far the features of the image are from the content image's
 * features at one layer.
 *
 * <ul>
 *   <li>{@code mean}: {@code mean((F - P)²)}, the PyTorch tutorial's {@code F.mse_loss}.
 *   <li>{@code sum}: {@code Σ (F - P)²}, the squared L2 norm of the assignment's formula (Gatys et
 *       al. write it with a factor ½, folded here into the content weight).
 * </ul>
 */
public final class ContentLoss {
  private ContentLoss() {}

  /**
   * The content loss as a scalar array attached to {@code features}' manager.
   *
   * @param features the image's features at a layer, any shape
   * @param target the content image's features at the same layer, same shape, no gradient
   */
  public static NDArray of(NDArray features, NDArray target, ContentLossKind kind) {
    NDArray squared = features.sub(target).square();
    return kind == ContentLossKind.MEAN ? squared.mean() : squared.sum();
  }
}
