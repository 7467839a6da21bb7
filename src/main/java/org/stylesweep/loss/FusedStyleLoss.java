package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.stylesweep.spec.GramNorm;

/**
 * The style loss of one layer ({@link StyleLoss} of {@link Gram}) with its gradient written out, so
 * that a backward pass costs one matrix product instead of autograd's two.
 *
 * <p>Why: for {@code L = w · mean((F Fᵀ / n − A)²)} over a C×C Gram, autograd differentiates {@code
 * F Fᵀ} as a product of two different operands: it computes {@code ∂L/∂G · F} and {@code (Fᵀ ·
 * ∂L/∂G)ᵀ} separately and adds them. {@code ∂L/∂G} is symmetric, so both are the same matrix, and
 *
 * <pre>
 *   E = F Fᵀ − n A                       (the unnormalized error; n A is computed once per run)
 *   L = w · Σ E² / (C² n²)               (= w · mean((G/n − A)²), the tutorial's value)
 *   ∂L/∂F = 4w / (C² n²) · E F
 * </pre>
 *
 * <p>{@link #apply} computes L and {@code P = E F} outside the autograd graph and returns a
 * surrogate {@code s · 4w/(C²n²) · Σ P ⊙ F}, whose gradient with respect to F is exactly {@code s ·
 * ∂L/∂F}. Adding the surrogates to the scalar a run backpropagates gives every layer's style
 * gradient for one product per layer, and the C×C work shrinks from eight elementwise operations
 * per layer (forward and backward) to two.
 *
 * <p>The value and the gradient equal autograd's up to rounding (checked in float64 by {@code
 * LossGradientTest}, and against PyTorch by the transfer parity tests).
 */
public final class FusedStyleLoss {

  /**
   * One layer's style loss and its gradient carrier.
   *
   * @param value {@code layerWeight · mean((G − A)²)}, a scalar outside the autograd graph
   * @param surrogate a scalar in the graph of the features whose gradient with respect to them is
   *     {@code scale} times the gradient of {@code value}; its own value has no meaning
   */
  public record Term(NDArray value, NDArray surrogate) {}

  private final NDArray targetGram;
  private final GramNorm norm;
  private final double layerWeight;
  private final double scale;
  private final double fixedDivisor;
  private NDArray scaledTarget;
  private Shape scaledFor;

  /**
   * The style loss of one layer against a target.
   *
   * @param targetGram the style image's normalized Gram matrix at the layer ({@link Gram#of}), no
   *     gradient; n·A is kept beside it, in its manager
   * @param norm how the Gram matrices are normalized
   * @param layerWeight the layer's weight
   * @param scale the factor the loss is multiplied by in the objective (the style weight)
   */
  public FusedStyleLoss(NDArray targetGram, GramNorm norm, double layerWeight, double scale) {
    this.targetGram = targetGram;
    this.norm = norm;
    this.layerWeight = layerWeight;
    this.scale = scale;
    this.fixedDivisor = Double.NaN;
  }

  /**
   * The style loss of one layer of guided features ({@link GuidedGram}): the Gram divisor n is
   * fixed (it depends on the guidance mass, not on the features' shape).
   *
   * @param divisor n of the guided Gram matrices at this layer
   */
  public FusedStyleLoss(
      NDArray targetGram, GramNorm norm, double layerWeight, double scale, double divisor) {
    this.targetGram = targetGram;
    this.norm = norm;
    this.layerWeight = layerWeight;
    this.scale = scale;
    this.fixedDivisor = divisor;
  }

  /**
   * Computes the style term of one layer.
   *
   * @param features the image's (N, C, H, W) features at the layer, in the autograd graph
   * @return the value and the surrogate, attached to the features' manager
   * @throws IllegalArgumentException if the features are not 4-dimensional
   */
  public Term apply(NDArray features) {
    Shape shape = features.getShape();
    boolean fixed = !Double.isNaN(fixedDivisor);
    double divisor = fixed ? fixedDivisor : Gram.divisor(shape, norm);
    long rows = shape.get(0) * shape.get(1);
    long positions = shape.get(2) * shape.get(3);
    NDArray matrix = features.stopGradient().reshape(rows, positions);
    NDArray error =
        matrix
            .matMul(matrix.transpose())
            .subi(scaledTarget(shape, fixed ? divisor : (Number) Gram.divisor(shape, norm)));
    double meanFactor = layerWeight / ((double) rows * rows * divisor * divisor);
    NDArray value = Scalars.times(error.square().sum(), meanFactor);
    NDArray product = error.matMul(matrix);
    NDArray surrogate =
        Scalars.times(features.reshape(-1).dot(product.reshape(-1)), 4 * scale * meanFactor);
    return new Term(value, surrogate);
  }

  /**
   * n·A for features of this shape, computed at the first evaluation (the image's size is fixed).
   */
  private NDArray scaledTarget(Shape shape, Number divisor) {
    if (!shape.equals(scaledFor)) {
      if (scaledTarget != null) {
        scaledTarget.close();
      }
      scaledTarget = divisor.doubleValue() == 1 ? targetGram.duplicate() : targetGram.mul(divisor);
      scaledTarget.attach(targetGram.getManager());
      scaledFor = shape;
    }
    return scaledTarget;
  }
}
