package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.stylesweep.spec.GramNorm;

/**
 * Guided Gram matrices (Gatys et al. 2017, Sec. 4.1, eq. 4–5): with T_r^l the guidance channel of
 * region r at layer l ({@link org.stylesweep.model.Guidance}), the guided feature map is F_r^l =
 * F^l ∘ T_r^l (each channel multiplied by the guidance) and G_r^l = F_r^l F_r^lᵀ / n_r^l; the style
 * loss of a region is λ_r Σ_l w_l ‖G_r^l(x) − G_r^l(s_r)‖² (eq. 6, as the mean over the C×C
 * entries, like the plain loss). n is normalised by the guidance mass m = Σ T² in place of the
 * positions H·W: C·m for {@code chw}, m for {@code hw}, 1 for {@code none}; an all-ones guidance
 * gives exactly the plain Gram matrix.
 */
public final class GuidedGram {
  private GuidedGram() {}

  /** F ∘ T for (1, C, H, W) features and a (1, 1, H, W) guidance (broadcast over channels). */
  public static NDArray guide(NDArray features, NDArray guidance) {
    return features.mul(guidance);
  }

  /** The divisor n of a guided Gram matrix of (1, C, H, W) features with guidance mass m. */
  public static double divisor(Shape shape, double mass, GramNorm norm) {
    return switch (norm) {
      case CHW -> shape.get(0) * shape.get(1) * mass;
      case HW -> mass;
      case NONE -> 1;
    };
  }

  /** The guided Gram matrix (F∘T)(F∘T)ᵀ / n. */
  public static NDArray of(NDArray features, NDArray guidance, double mass, GramNorm norm) {
    NDArray guided = guide(features, guidance);
    Shape shape = guided.getShape();
    NDArray matrix = guided.reshape(shape.get(0) * shape.get(1), shape.get(2) * shape.get(3));
    NDArray gram = matrix.matMul(matrix.transpose());
    return norm == GramNorm.NONE ? gram : Scalars.dividedBy(gram, divisor(shape, mass, norm));
  }
}
