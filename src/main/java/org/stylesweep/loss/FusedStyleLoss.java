package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * The style loss of one layer ({@link StyleLoss} of {@link Gram}) with its gradient written out,
 * so that a backward pass costs one matrix product instead of autograd's two.
 *
 * <p>Why: for {@code L = w · mean((F Fᵀ / n − A)²)} over a C×C Gram, autograd differentiates the
 * product {@code F Fᵀ} as a product of two different operands and computes {@code ∂L/∂G · F} and
 * {@code (Fᵀ · ∂L/∂G)ᵀ} separately, then adds them. {@code ∂L/∂G} is symmetric, so both are the
 * same matrix: {@code ∂L/∂F = 2 · ∂L/∂G · F} with {@code ∂L/∂G = 2w (G/n − A) / (C² n)}. This
 * class computes the value and {@code P = s · ∂L/∂F} with gradients off and returns a surrogate,
 * {@code Σ P ⊙ F}, whose gradient with respect to F is exactly P. Adding the surrogate to the
 * scalar a run backpropagates gives every layer's style gradient for one product per layer;
 * measured at 128 px the Gram work per evaluation fell from three products per layer to two.
 *
 * <p>The value is the tutorial's arithmetic ({@code G.div(n)}, minus the target, squared, mean);
 * the gradient equals autograd's up to rounding (checked in float64 by {@code LossGradientTest}).
 */
public final class FusedStyleLoss {
  private FusedStyleLoss() {}

  /**
   * One layer's style loss and its gradient carrier.
   *
   * @param value {@code layerWeight · mean((G − A)²)}, a scalar outside the autograd graph
   * @param surrogate a scalar in the graph of the features whose gradient with respect to them is
   *     {@code scale} times the gradient of {@code value}; its own value has no meaning
   */
  public record Term(NDArray value, NDArray surrogate) {}

  /**
   * Computes the style term of one layer.
   *
   * @param features the image's (N, C, H, W) features at the layer, in the autograd graph
   * @param targetGram the style image's normalized Gram matrix at the layer, no gradient
   * @param norm how the Gram matrices are normalized
   * @param layerWeight the layer's weight
   * @param scale the factor the loss is multiplied by in the objective (the style weight)
   * @return the value and the surrogate, attached to the features' manager
   */
  public static Term of(NDArray features, NDArray targetGram, GramNorm norm, double layerWeight, double scale) {
    Shape shape = features.getShape();
    long divisor = Gram.divisor(shape, norm);
    long rows = shape.get(0) * shape.get(1);
    long positions = shape.get(2) * shape.get(3);
    NDArray matrix = features.stopGradient().reshape(rows, positions);
    NDArray gram = matrix.matMul(matrix.transpose());
    NDArray normalized = norm == GramNorm.NONE ? gram : gram.div(divisor);
    NDArray error = normalized.sub(targetGram);
    NDArray mse = error.square().mean();
    NDArray value = layerWeight == 1.0 ? mse : Scalars.times(mse, layerWeight);

    // P = scale · 2 · (2w (G/n − A) / (C² n)) · F, scaled on the C×C side (the smaller one).
    double factor = scale * layerWeight * 4.0 / ((double) rows * rows * divisor);
    NDArray gradient = Scalars.times(error, factor).matMul(matrix);
    NDArray surrogate = features.reshape(-1).dot(gradient.reshape(-1));
    return new Term(value, surrogate);
  }
}
