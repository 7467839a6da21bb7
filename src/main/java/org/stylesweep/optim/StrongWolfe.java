package org.stylesweep.optim;

import static org.stylesweep.optim.FlatVectors.pyMax;
import static org.stylesweep.optim.FlatVectors.pyMin;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Line search for a step satisfying the strong Wolfe conditions, ported line by line from {@code
 * _strong_wolfe} and {@code _cubic_interpolate} in PyTorch's {@code torch/optim/lbfgs.py}
 * (themselves ports of {@code lswolfe.lua} and {@code polyinterp.lua} from torch7's optim).
 *
 * <p>For {@code φ(t) = f(x + t·d)} with {@code φ'(0) = gᵀd < 0} it looks for t with
 *
 * <pre>
 *   φ(t) ≤ φ(0) + c1·t·φ'(0)        (sufficient decrease, c1 = 1e-4)
 *   |φ'(t)| ≤ −c2·φ'(0)             (curvature, c2 = 0.9)
 * </pre>
 *
 * first growing the step (up to 10× per trial, by cubic interpolation) until an interval is
 * bracketed, then zooming into it, at most {@code max_ls = 25} trials in all. It sees only the
 * one-variable function {@link Line}; the caller owns the parameters.
 *
 * <p>Two additions to torch, both stops: a trial with a NaN or infinite loss ends the search at
 * that trial, and a {@link Line} that returns {@code null} (evaluation budget spent) ends it at the
 * lowest point seen so far.
 */
final class StrongWolfe {

  static final double C1 = 1e-4;
  static final double C2 = 0.9;
  static final int MAX_LS = 25;

  /**
   * One point on the line.
   *
   * @param t the step
   * @param f the loss at {@code x + t·d}
   * @param g the gradient there (null when {@code f} is not finite)
   * @param gtd the directional derivative {@code gᵀd}
   */
  record Point(double t, double f, NDArray g, double gtd) {}

  /** The one-variable function the search probes. */
  @FunctionalInterface
  interface Line {
    /**
     * Evaluates the objective at {@code x + t·d}.
     *
     * @return the point, or {@code null} if no evaluation is left in the budget
     */
    Point at(double t);
  }

  /** How the search ended. */
  enum Outcome {
    /** A point satisfying both strong Wolfe conditions was found. */
    WOLFE,
    /** The bracket shrank below tolerance or 25 trials were spent; the lowest point is returned. */
    INEXACT,
    /** A trial's loss was NaN or infinite; that trial is returned. */
    NON_FINITE,
    /** The evaluation budget ran out; the lowest point seen is returned. */
    BUDGET_SPENT
  }

  /** The point the search settled on, and why. */
  record Result(Point point, Outcome outcome) {}

  private final Line line;
  private final Point start;
  private final List<NDArray> trialGradients = new ArrayList<>();
  private Point best;

  private StrongWolfe(Line line, Point start) {
    this.line = line;
    this.start = start;
    this.best = start;
  }

  /**
   * Runs the search (torch: {@code _strong_wolfe(obj_func, x, t, d, f, g, gtd)}).
   *
   * @param line the function {@code t ↦ f(x + t·d)}
   * @param t the first trial step
   * @param start the point at t = 0: loss f, gradient g and gtd = gᵀd (must be negative)
   * @param dNorm {@code max |d_i|}, to turn bracket widths into parameter changes
   * @param toleranceChange the zoom stops when the bracket's width times dNorm falls below this
   * @return the chosen point; its gradient is either {@code start.g()} or a trial gradient, and
   *     every other trial gradient has been closed
   */
  static Result search(Line line, double t, Point start, double dNorm, double toleranceChange) {
    return new StrongWolfe(line, start).run(t, dNorm, toleranceChange);
  }

  private Result run(double t, double dNorm, double toleranceChange) {
    final double f = start.f();
    final double gtd = start.gtd();

    Point next = probe(t);
    if (next == null) {
      return finish(best, Outcome.BUDGET_SPENT);
    }
    if (!Double.isFinite(next.f())) {
      return finish(next, Outcome.NON_FINITE);
    }

    // bracket an interval containing a point satisfying the Wolfe criteria
    Point prev = start;
    boolean done = false;
    int lsIter = 0;
    Point[] bracket = null;
    while (lsIter < MAX_LS) {
      // check conditions
      if (next.f() > (f + C1 * next.t() * gtd) || (lsIter > 1 && next.f() >= prev.f())) {
        bracket = new Point[] {prev, next};
        break;
      }
      if (Math.abs(next.gtd()) <= -C2 * gtd) {
        bracket = new Point[] {next};
        done = true;
        break;
      }
      if (next.gtd() >= 0) {
        bracket = new Point[] {prev, next};
        break;
      }

      // interpolate
      double minStep = next.t() + 0.01 * (next.t() - prev.t());
      double maxStep = next.t() * 10;
      double tNew =
          cubicInterpolate(
              prev.t(), prev.f(), prev.gtd(), next.t(), next.f(), next.gtd(), minStep, maxStep);

      // next step
      prev = next;
      release(prev, best);
      next = probe(tNew);
      if (next == null) {
        return finish(best, Outcome.BUDGET_SPENT);
      }
      if (!Double.isFinite(next.f())) {
        return finish(next, Outcome.NON_FINITE);
      }
      lsIter++;
    }

    // reached max number of iterations?
    if (lsIter == MAX_LS) {
      // torch sets no bracket_gtd here; the zoom below cannot run, so none is needed
      bracket = new Point[] {start, next};
    }

    // zoom phase: we now have a point satisfying the criteria, or a bracket around it
    boolean insufficientProgress = false;
    int lowPos = bracket[0].f() <= bracket[bracket.length - 1].f() ? 0 : 1;
    int highPos = 1 - lowPos;
    while (!done && lsIter < MAX_LS) {
      // line-search bracket is so small
      if (Math.abs(bracket[1].t() - bracket[0].t()) * dNorm < toleranceChange) {
        break;
      }

      // compute new trial value
      double tNew =
          cubicInterpolate(
              bracket[0].t(),
              bracket[0].f(),
              bracket[0].gtd(),
              bracket[1].t(),
              bracket[1].f(),
              bracket[1].gtd());

      // A trial too close to an end of the bracket makes little progress: after two such
      // trials in a row, or one at or beyond an end, move it 0.1 of the width inside.
      double bracketMax = pyMax(bracket[0].t(), bracket[1].t());
      double bracketMin = pyMin(bracket[0].t(), bracket[1].t());
      double eps = 0.1 * (bracketMax - bracketMin);
      if (pyMin(bracketMax - tNew, tNew - bracketMin) < eps) {
        // interpolation close to boundary
        if (insufficientProgress || tNew >= bracketMax || tNew <= bracketMin) {
          // evaluate at 0.1 away from boundary
          if (Math.abs(tNew - bracketMax) < Math.abs(tNew - bracketMin)) {
            tNew = bracketMax - eps;
          } else {
            tNew = bracketMin + eps;
          }
          insufficientProgress = false;
        } else {
          insufficientProgress = true;
        }
      } else {
        insufficientProgress = false;
      }

      // Evaluate new point
      release(bracket[0], bracket[1], best);
      Point trial = probe(tNew);
      if (trial == null) {
        return finish(best, Outcome.BUDGET_SPENT);
      }
      if (!Double.isFinite(trial.f())) {
        return finish(trial, Outcome.NON_FINITE);
      }
      lsIter++;

      if (trial.f() > (f + C1 * trial.t() * gtd) || trial.f() >= bracket[lowPos].f()) {
        // Armijo condition not satisfied or not lower than lowest point
        bracket[highPos] = trial;
        lowPos = bracket[0].f() <= bracket[1].f() ? 0 : 1;
        highPos = 1 - lowPos;
      } else {
        if (Math.abs(trial.gtd()) <= -C2 * gtd) {
          // Wolfe conditions satisfied
          done = true;
        } else if (trial.gtd() * (bracket[highPos].t() - bracket[lowPos].t()) >= 0) {
          // old high becomes new low
          bracket[highPos] = bracket[lowPos];
        }
        // new point becomes new low
        bracket[lowPos] = trial;
      }
    }

    return finish(bracket[lowPos], done ? Outcome.WOLFE : Outcome.INEXACT);
  }

  /** Evaluates a trial, keeping track of its gradient and of the lowest point so far. */
  private Point probe(double t) {
    Point point = line.at(t);
    if (point != null && point.g() != null) {
      trialGradients.add(point.g());
      if (point.f() < best.f()) {
        best = point;
      }
    }
    return point;
  }

  /** Closes the trial gradients that none of the given points still holds. */
  private void release(Point... live) {
    trialGradients.removeIf(
        g -> {
          for (Point point : live) {
            if (point.g() == g) {
              return false;
            }
          }
          g.close();
          return true;
        });
  }

  private Result finish(Point chosen, Outcome outcome) {
    release(chosen);
    return new Result(chosen, outcome);
  }

  /**
   * Minimizer of the cubic through two points with their derivatives, clamped to the interval
   * between them (torch: {@code _cubic_interpolate(x1, f1, g1, x2, f2, g2)}).
   */
  static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
    double xminBound = x1 <= x2 ? x1 : x2;
    double xmaxBound = x1 <= x2 ? x2 : x1;
    return cubicInterpolate(x1, f1, g1, x2, f2, g2, xminBound, xmaxBound);
  }

  /**
   * Minimizer of the cubic through {@code (x1, f1)} and {@code (x2, f2)} with slopes {@code g1},
   * {@code g2}, clamped to {@code [xminBound, xmaxBound]}; the middle of the bounds when the cubic
   * has no real minimizer:
   *
   * <pre>
   *   d1 = g1 + g2 − 3(f1 − f2)/(x1 − x2)
   *   d2 = √(d1² − g1·g2)
   *   x  = x2 − (x2 − x1)·(g2 + d2 − d1)/(g2 − g1 + 2·d2)     (x1 ≤ x2; symmetric otherwise)
   * </pre>
   */
  static double cubicInterpolate(
      double x1,
      double f1,
      double g1,
      double x2,
      double f2,
      double g2,
      double xminBound,
      double xmaxBound) {
    double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
    double d2Square = d1 * d1 - g1 * g2;
    if (d2Square >= 0) {
      double d2 = Math.sqrt(d2Square);
      double minPos;
      if (x1 <= x2) {
        minPos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2));
      } else {
        minPos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
      }
      return pyMin(pyMax(minPos, xminBound), xmaxBound);
    }
    return (xminBound + xmaxBound) / 2.;
  }
}
