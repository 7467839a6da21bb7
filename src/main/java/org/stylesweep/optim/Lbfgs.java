package org.stylesweep.optim;

import static org.stylesweep.optim.FlatVectors.addScaled;
import static org.stylesweep.optim.FlatVectors.dot;
import static org.stylesweep.optim.FlatVectors.maxAbs;
import static org.stylesweep.optim.FlatVectors.pyMin;
import static org.stylesweep.optim.FlatVectors.sumAbs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.util.Preconditions;
import java.util.Objects;
import org.stylesweep.spec.LineSearch;

/**
 * Limited-memory BFGS, a port of {@code torch.optim.LBFGS.step} (PyTorch's {@code
 * torch/optim/lbfgs.py}, ported from the 1.13 source; the algorithm is unchanged through 2.x),
 * including its strong Wolfe line search ({@link StrongWolfe}). One {@link #minimize} call is one
 * {@code step(closure)} of a fresh torch optimizer with {@code max_iter = maxIterations} and {@code
 * max_eval = maxEvaluations}, and evaluates the objective at the same points.
 *
 * <p>Each iteration k, with gradient {@code g_k}:
 *
 * <pre>
 *   s = t·d,  y = g_k − g_{k−1}                 kept as a history pair only if yᵀs &gt; 1e-10
 *   H₀ = yᵀs / yᵀy                               (scale of the initial inverse Hessian)
 *   d = −H_k g_k                                 by the two-loop recursion over the last
 *                                                historySize pairs, ρ_i = 1 / y_iᵀs_i
 *   t = min(1, 1/‖g‖₁)·lr on the first iteration, lr afterwards
 *   x ← x + t·d                                  (t from the strong Wolfe search if chosen)
 * </pre>
 *
 * <p>It stops, in torch's order, when the iteration or evaluation budget is spent; when {@code
 * max|g| ≤ toleranceGrad} ({@link StopReason#GRADIENT_TOLERANCE}, also checked at the start); when
 * {@code gᵀd > −toleranceChange}, {@code max|t·d| ≤ toleranceChange} or {@code |Δloss| <
 * toleranceChange} ({@link StopReason#CHANGE_TOLERANCE}). A negative tolerance disables its tests,
 * as neural-style's {@code -1} does.
 *
 * <p>Departures from torch, none of which changes a point torch evaluates:
 *
 * <ul>
 *   <li>A NaN or infinite loss stops at once with {@link StopReason#NON_FINITE_LOSS}, leaving
 *       {@code x} at the point evaluated.
 *   <li>The evaluation budget is never exceeded: where torch's line search would run past {@code
 *       max_eval}, the search ends at its lowest point so far. With line search none and {@code
 *       maxIterations = maxEvaluations = N} the objective runs exactly N times, as in torch.
 *   <li>A strong Wolfe search that ends without moving (step 0) stops with {@link
 *       StopReason#LINE_SEARCH_FAILED}; torch would stop there on its change tolerance, or repeat
 *       the identical search until the budget is spent.
 *   <li>Scalars (dot products, steps) are kept in double precision on the host; for float64
 *       parameters this is torch's arithmetic, for float32 it differs in the last bits.
 *   <li>The two-loop recursion runs over inner products ({@link LbfgsHistory}): torch's terms, two
 *       matrix products per iteration instead of ~4·historySize vector operations; it differs from
 *       torch's only in rounding.
 * </ul>
 *
 * <p>Instances are immutable and keep no state between calls: one may serve many runs and threads
 * at once.
 *
 * <p>The history ({@code historySize} pairs of s and y, in one buffer allocated at the first pair),
 * the direction and the previous gradient live on {@code x}'s device in one manager per call,
 * closed before it returns.
 *
 * @see <a href="https://github.com/pytorch/pytorch/blob/v1.13.1/torch/optim/lbfgs.py">PyTorch
 *     torch/optim/lbfgs.py</a>
 * @see <a href="https://doi.org/10.1007/BF01589116">Liu &amp; Nocedal (1989), On the limited memory
 *     BFGS method for large scale optimization</a>
 * @see <a href="https://doi.org/10.1007/978-0-387-40065-5">Nocedal &amp; Wright, Numerical
 *     Optimization, 2nd ed., algorithms 3.5, 3.6 (line search) and 7.4 (two-loop recursion)</a>
 */
public final class Lbfgs implements Optimizer {

  /** torch's threshold on yᵀs below which a pair would not keep H positive definite. */
  static final double CURVATURE_THRESHOLD = 1e-10;

  private final double lr;
  private final int historySize;
  private final double toleranceGrad;
  private final double toleranceChange;
  private final LineSearch lineSearch;
  private final int maxEvaluations;
  private final int maxIterations;

  private Lbfgs(Builder builder) {
    this.lr = builder.lr;
    this.historySize = builder.historySize;
    this.toleranceGrad = builder.toleranceGrad;
    this.toleranceChange = builder.toleranceChange;
    this.lineSearch = builder.lineSearch;
    this.maxEvaluations = builder.maxEvaluations;
    this.maxIterations =
        builder.maxIterations == null ? builder.maxEvaluations : builder.maxIterations;
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
    // Closing the run's manager frees the history with everything else the call made.
    try (NDManager run = x.getManager().newSubManager(x.getDevice())) {
      return new Run(x, objective, run).optimize();
    }
  }

  /** The settings, for logs and tests. */
  @Override
  public String toString() {
    return "Lbfgs{lr="
        + lr
        + ", historySize="
        + historySize
        + ", toleranceGrad="
        + toleranceGrad
        + ", toleranceChange="
        + toleranceChange
        + ", lineSearch="
        + lineSearch.key()
        + ", maxEvaluations="
        + maxEvaluations
        + ", maxIterations="
        + maxIterations
        + "}";
  }

  /** The state of one {@link #minimize} call (torch's {@code state} dict and locals). */
  private final class Run {
    private final NDArray x;
    private final NDManager run;
    private final Evaluator evaluator;
    private final LbfgsHistory history;

    Run(NDArray x, Objective objective, NDManager run) {
      this.x = x;
      this.run = run;
      this.evaluator = new Evaluator(x, objective, run);
      // at most one pair per iteration after the first, and no more iterations than evaluations
      int pairs = Math.min(historySize, Math.min(maxIterations, maxEvaluations));
      this.history = new LbfgsHistory(run, Math.max(1, pairs));
    }

    OptimResult optimize() {
      // evaluate initial f(x) and df/dx
      Evaluator.Sample initial = evaluator.evaluate(run);
      if (!initial.finite()) {
        return result(StopReason.NON_FINITE_LOSS, initial.loss());
      }
      double loss = initial.loss();
      NDArray flatGrad = initial.gradient();
      boolean optCond = maxAbs(flatGrad) <= toleranceGrad;
      // optimal condition
      if (optCond) {
        return result(StopReason.GRADIENT_TOLERANCE, loss);
      }

      NDArray d = null;
      NDArray prevFlatGrad = null;
      double t = 0;
      double hDiag = 1;
      int nIter = 0;
      StopReason reason = StopReason.MAX_ITERATIONS;
      while (nIter < maxIterations) {
        nIter++;

        // compute the descent direction
        if (nIter == 1) {
          d = flatGrad.neg();
          hDiag = 1;
        } else {
          // do lbfgs update (update memory)
          NDArray y = flatGrad.sub(prevFlatGrad);
          NDArray s = d.mul(t);
          double ys = dot(y, s);
          if (ys > CURVATURE_THRESHOLD) {
            history.add(s, y, 1. / ys);
            // update scale of initial Hessian approximation
            hDiag = ys / dot(y, y);
          }
          y.close();
          s.close();
          NDArray next = history.direction(flatGrad, hDiag);
          d.close();
          d = next;
        }
        if (prevFlatGrad != null && prevFlatGrad != flatGrad) {
          prevFlatGrad.close();
        }
        prevFlatGrad = flatGrad;
        double prevLoss = loss;

        // compute step length: reset initial guess for step size
        t = nIter == 1 ? pyMin(1., 1. / sumAbs(flatGrad)) * lr : lr;

        // directional derivative is below tolerance
        double gtd = dot(flatGrad, d);
        if (gtd > -toleranceChange) {
          reason = StopReason.CHANGE_TOLERANCE;
          break;
        }

        boolean lineSearchFailed = false;
        if (lineSearch == LineSearch.STRONG_WOLFE) {
          StrongWolfe.Result search = wolfeSearch(t, d, loss, flatGrad, gtd);
          if (search.outcome() == StrongWolfe.Outcome.NON_FINITE) {
            return result(StopReason.NON_FINITE_LOSS, search.point().f());
          }
          loss = search.point().f();
          flatGrad = search.point().g();
          t = search.point().t();
          addScaled(x, d, t);
          optCond = maxAbs(flatGrad) <= toleranceGrad;
          lineSearchFailed = search.outcome() != StrongWolfe.Outcome.WOLFE && t == 0;
        } else {
          // no line search, simply move with fixed step
          addScaled(x, d, t);
          // torch skips the evaluation in the last iteration; so do we when the budget is spent
          if (nIter != maxIterations && evaluator.evaluations() < maxEvaluations) {
            Evaluator.Sample sample = evaluator.evaluate(run);
            if (!sample.finite()) {
              return result(StopReason.NON_FINITE_LOSS, sample.loss());
            }
            loss = sample.loss();
            flatGrad = sample.gradient();
            optCond = maxAbs(flatGrad) <= toleranceGrad;
          }
        }

        // check conditions
        if (nIter == maxIterations) {
          reason =
              evaluator.evaluations() >= maxEvaluations
                  ? StopReason.MAX_EVALUATIONS
                  : StopReason.MAX_ITERATIONS;
          break;
        }
        if (evaluator.evaluations() >= maxEvaluations) {
          reason = StopReason.MAX_EVALUATIONS;
          break;
        }
        // optimal condition
        if (optCond) {
          reason = StopReason.GRADIENT_TOLERANCE;
          break;
        }
        if (lineSearchFailed) {
          reason = StopReason.LINE_SEARCH_FAILED;
          break;
        }
        // lack of progress (torch: d.mul(t).abs().max(); rounding is monotone, so equal)
        if (maxAbs(d) * Math.abs(t) <= toleranceChange) {
          reason = StopReason.CHANGE_TOLERANCE;
          break;
        }
        if (Math.abs(loss - prevLoss) < toleranceChange) {
          reason = StopReason.CHANGE_TOLERANCE;
          break;
        }
      }
      return result(reason, loss);
    }

    private OptimResult result(StopReason reason, double loss) {
      return new OptimResult(reason, evaluator.evaluations(), loss);
    }

    /**
     * Runs the strong Wolfe search along d from the current x, which it leaves unchanged unless a
     * trial loss is not finite (then x stays at that trial). The returned gradient is attached to
     * the run's manager; every other trial gradient is closed.
     */
    private StrongWolfe.Result wolfeSearch(
        double t, NDArray d, double loss, NDArray flatGrad, double gtd) {
      double dNorm = maxAbs(d);
      NDIndex all = new NDIndex(":");
      try (NDManager trials = run.newSubManager()) {
        NDArray xInit = x.duplicate();
        xInit.attach(trials);
        StrongWolfe.Line line =
            step -> {
              if (evaluator.evaluations() >= maxEvaluations) {
                return null;
              }
              addScaled(x, d, step);
              Evaluator.Sample sample = evaluator.evaluate(trials);
              if (!sample.finite()) {
                // leave x at the evaluated point
                return new StrongWolfe.Point(step, sample.loss(), null, Double.NaN);
              }
              x.set(all, xInit);
              return new StrongWolfe.Point(
                  step, sample.loss(), sample.gradient(), dot(sample.gradient(), d));
            };
        StrongWolfe.Point start = new StrongWolfe.Point(0, loss, flatGrad, gtd);
        StrongWolfe.Result result = StrongWolfe.search(line, t, start, dNorm, toleranceChange);
        NDArray chosen = result.point().g();
        if (chosen != null && chosen != flatGrad) {
          chosen.attach(run);
        }
        return result;
      }
    }
  }

  /** Builder of {@link Lbfgs}, with torch's defaults. */
  public static final class Builder {
    private double lr = 1.0;
    private int historySize = 100;
    private double toleranceGrad = 1e-7;
    private double toleranceChange = 1e-9;
    private LineSearch lineSearch = LineSearch.NONE;
    private int maxEvaluations;
    private Integer maxIterations;

    private Builder() {}

    /**
     * Sets the learning rate: the step length of every iteration after the first (default 1).
     *
     * @param lr a positive, finite step
     * @return this builder
     */
    public Builder lr(double lr) {
      this.lr = lr;
      return this;
    }

    /**
     * Sets how many (s, y) pairs the history keeps (default 100).
     *
     * @param historySize at least 1
     * @return this builder
     */
    public Builder historySize(int historySize) {
      this.historySize = historySize;
      return this;
    }

    /**
     * Sets the first-order optimality tolerance on {@code max|g|} (default 1e-7); negative disables
     * it.
     *
     * @param toleranceGrad the tolerance
     * @return this builder
     */
    public Builder toleranceGrad(double toleranceGrad) {
      this.toleranceGrad = toleranceGrad;
      return this;
    }

    /**
     * Sets the tolerance on changes of the loss, the parameters and the directional derivative
     * (default 1e-9); negative disables it, as neural-style's {@code -1} does.
     *
     * @param toleranceChange the tolerance
     * @return this builder
     */
    public Builder toleranceChange(double toleranceChange) {
      this.toleranceChange = toleranceChange;
      return this;
    }

    /**
     * Sets the line search (default {@link LineSearch#NONE}: fixed steps, torch's default).
     *
     * @param lineSearch none or strong_wolfe
     * @return this builder
     */
    public Builder lineSearch(LineSearch lineSearch) {
      this.lineSearch = lineSearch;
      return this;
    }

    /**
     * Sets the evaluation budget (torch's {@code max_eval}; the tutorial's steps). Required.
     *
     * @param maxEvaluations at least 1
     * @return this builder
     */
    public Builder maxEvaluations(int maxEvaluations) {
      this.maxEvaluations = maxEvaluations;
      return this;
    }

    /**
     * Sets the iteration budget (torch's {@code max_iter}); defaults to {@code maxEvaluations}.
     *
     * @param maxIterations at least 1
     * @return this builder
     */
    public Builder maxIterations(int maxIterations) {
      this.maxIterations = maxIterations;
      return this;
    }

    /**
     * Builds the optimizer.
     *
     * @return the optimizer
     * @throws IllegalArgumentException naming the first setting out of range
     */
    public Lbfgs build() {
      Preconditions.checkArgument(
          lr > 0 && Double.isFinite(lr), "lr must be positive and finite, got " + lr);
      Preconditions.checkArgument(
          historySize >= 1, "historySize must be at least 1, got " + historySize);
      Preconditions.checkArgument(
          !Double.isNaN(toleranceGrad), "toleranceGrad must be a number, got NaN");
      Preconditions.checkArgument(
          !Double.isNaN(toleranceChange), "toleranceChange must be a number, got NaN");
      Preconditions.checkArgument(
          lineSearch != null, "lineSearch must be none or strong_wolfe, got null");
      Preconditions.checkArgument(
          maxEvaluations >= 1,
          "maxEvaluations must be set to at least 1, got "
              + maxEvaluations
              + " (it is the number of loss evaluations, the run's steps)");
      Preconditions.checkArgument(
          maxIterations == null || maxIterations >= 1,
          "maxIterations must be at least 1, got " + maxIterations);
      return new Lbfgs(this);
    }
  }
}
