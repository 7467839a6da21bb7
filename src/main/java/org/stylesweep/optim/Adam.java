package org.stylesweep.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.util.Preconditions;
import java.util.Objects;

/**
 * Adam (Kingma &amp; Ba) with bias correction, one objective evaluation per step, computed as
 * {@code torch.optim.Adam} does (without weight decay or amsgrad). At step k = 1, 2, … with
 * gradient g:
 *
 * <pre>
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   x ← x − (lr / (1 − β1ᵏ)) · m / (√v / √(1 − β2ᵏ) + ε)
 * </pre>
 *
 * <p>It stops after {@code maxEvaluations} steps ({@link StopReason#MAX_EVALUATIONS}), or at the
 * first NaN or infinite loss ({@link StopReason#NON_FINITE_LOSS}, x left at that point). The
 * moments live on {@code x}'s device in a manager closed before {@link #minimize} returns.
 *
 * <p>Instances are immutable and keep no state between calls: one may serve many runs and threads
 * at once.
 *
 * @see <a href="https://arxiv.org/abs/1412.6980">Kingma &amp; Ba (2015), Adam: A Method for
 *     Stochastic Optimization</a>
 * @see <a href="https://github.com/pytorch/pytorch/blob/v1.13.1/torch/optim/adam.py">PyTorch
 *     torch/optim/adam.py</a>
 */
public final class Adam implements Optimizer {

  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final int maxEvaluations;

  private Adam(Builder builder) {
    this.lr = builder.lr;
    this.beta1 = builder.beta1;
    this.beta2 = builder.beta2;
    this.eps = builder.eps;
    this.maxEvaluations = builder.maxEvaluations;
  }

  /**
   * Creates a builder; {@link Builder#maxEvaluations} must be set.
   *
   * @return a new builder with torch's defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@inheritDoc} */
  @Override
  public OptimResult minimize(NDArray x, Objective objective) {
    FlatVectors.checkPoint(x);
    Objects.requireNonNull(objective, "objective");
    try (NDManager run = x.getManager().newSubManager(x.getDevice())) {
      Evaluator evaluator = new Evaluator(x, objective, run);
      NDArray m = run.zeros(x.getShape(), x.getDataType());
      NDArray v = run.zeros(x.getShape(), x.getDataType());
      double loss = Double.NaN;
      for (int step = 1; step <= maxEvaluations; step++) {
        Evaluator.Sample sample = evaluator.evaluate(run);
        loss = sample.loss();
        if (!sample.finite()) {
          return new OptimResult(StopReason.NON_FINITE_LOSS, evaluator.evaluations(), loss);
        }
        try (NDManager scope = run.newSubManager()) {
          NDArray g = sample.gradient();
          g.attach(scope);
          // results of ops on m, v and x land in scope while they are attached to it
          scope.tempAttachAll(m, v, x);
          m.muli(beta1).addi(g.mul(1 - beta1));
          v.muli(beta2).addi(g.mul(1 - beta2).muli(g));
          double biasCorrection1 = 1 - Math.pow(beta1, step);
          double biasCorrection2 = 1 - Math.pow(beta2, step);
          double stepSize = lr / biasCorrection1;
          NDArray denom = v.sqrt().divi(Math.sqrt(biasCorrection2)).addi(eps);
          x.addi(m.div(denom).muli(-stepSize));
        }
      }
      return new OptimResult(StopReason.MAX_EVALUATIONS, evaluator.evaluations(), loss);
    }
  }

  /** The settings, for logs and tests. */
  @Override
  public String toString() {
    return "Adam{lr="
        + lr
        + ", beta1="
        + beta1
        + ", beta2="
        + beta2
        + ", eps="
        + eps
        + ", maxEvaluations="
        + maxEvaluations
        + "}";
  }

  /** Builder of {@link Adam}, with torch's defaults. */
  public static final class Builder {
    private double lr = 1e-3;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    private int maxEvaluations;

    private Builder() {}

    /**
     * Sets the learning rate (default 1e-3, torch's).
     *
     * @param lr a positive, finite step
     * @return this builder
     */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /**
     * Sets the decay of the first moment (default 0.9).
     *
     * @param beta1 in [0, 1)
     * @return this builder
     */
    public Builder beta1(double beta1) {
      this.beta1 = beta1;
      return this;
    }

    /**
     * Sets the decay of the second moment (default 0.999).
     *
     * @param beta2 in [0, 1)
     * @return this builder
     */
    public Builder beta2(double beta2) {
      this.beta2 = beta2;
      return this;
    }

    /**
     * Sets the term added to the denominator for numerical stability (default 1e-8).
     *
     * @param eps non-negative
     * @return this builder
     */
    public Builder eps(double eps) {
      this.eps = eps;
      return this;
    }

    /**
     * Sets the number of steps, each one evaluation (the run's steps). Required.
     *
     * @param maxEvaluations at least 1
     * @return this builder
     */
    public Builder maxEvaluations(int maxEvaluations) {
      this.maxEvaluations = maxEvaluations;
      return this;
    }

    /**
     * Builds the optimizer.
     *
     * @return the optimizer
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public Adam build() {
      Preconditions.checkArgument(
          lr > 0 && Double.isFinite(lr), "lr must be positive and finite, got " + lr);
      Preconditions.checkArgument(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got " + beta1);
      Preconditions.checkArgument(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got " + beta2);
      Preconditions.checkArgument(
          eps >= 0 && Double.isFinite(eps), "eps must be non-negative and finite, got " + eps);
      Preconditions.checkArgument(
          maxEvaluations >= 1,
          "maxEvaluations must be set to at least 1, got "
              + maxEvaluations
              + " (it is the number of loss evaluations, the run's steps)");
      return new Adam(this);
    }
  }
}
