package org.stylesweep.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;

/** Objectives with known minimizers, written with NDArray ops as a user's objective would be. */
final class TestObjectives {
  private TestObjectives() {}

  /**
   * The n-D Rosenbrock function {@code Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²}, minimum 0 at all ones,
   * with its analytic gradient.
   */
  static Objective rosenbrock() {
    return (x, scope) -> {
      NDArray a = x.get(new NDIndex("0:-1"));
      NDArray b = x.get(new NDIndex("1:"));
      NDArray t = b.sub(a.square());
      NDArray oneMinusA = a.neg().add(1);
      double loss = FlatVectors.toHost(t.square().mul(100).add(oneMinusA.square()).sum());
      // d/da = −400·a·t − 2(1 − a); d/db = 200·t
      NDArray zero = x.getManager().zeros(new ai.djl.ndarray.types.Shape(1), x.getDataType());
      NDArray fromA = a.mul(t).mul(-400).sub(oneMinusA.mul(2)).concat(zero);
      NDArray fromB = zero.concat(t.mul(200));
      return new Objective.Evaluation(loss, fromA.add(fromB));
    };
  }

  /**
   * Rosenbrock through DJL autograd, written as torch writes it: {@code (100·(x[1:] − x[:-1]²)² +
   * (1 − x[:-1])²).sum()}.
   */
  static Objective rosenbrockAutograd() {
    return autograd(
        x -> {
          NDArray a = x.get(new NDIndex("0:-1"));
          NDArray b = x.get(new NDIndex("1:"));
          NDArray t = b.sub(a.square());
          return t.square().mul(100).add(a.neg().add(1).square()).sum();
        });
  }

  /** {@code ½ xᵀAx − bᵀx} with its analytic gradient {@code Ax − b}; A, b in {@code constants}. */
  static Objective quadratic(NDArray matrix, NDArray vector) {
    return (x, scope) -> {
      NDArray ax = matrix.matMul(x);
      NDArray gradient = ax.sub(vector);
      double loss = FlatVectors.toHost(x.dot(ax).mul(0.5).sub(vector.dot(x)));
      return new Objective.Evaluation(loss, gradient);
    };
  }

  /**
   * {@code ½ xᵀAx − bᵀx} through DJL autograd, written as the torch fixture script writes it:
   * {@code 0.5 * x.dot(A.matmul(x)) - b.dot(x)}.
   */
  static Objective quadraticAutograd(NDArray matrix, NDArray vector) {
    return autograd(x -> x.dot(matrix.matMul(x)).mul(0.5).sub(vector.dot(x)));
  }

  /** A scalar function of x, differentiated by DJL autograd (as the style objective is). */
  interface Loss {
    NDArray apply(NDArray x);
  }

  /**
   * Wraps a loss in the evaluation pattern recommended for objectives: attach x to the scope
   * (docs/numerics.md's DJL pattern; the optimizer's own attachment nests), differentiate with
   * respect to a fresh copy of x so that gradients never accumulate across evaluations and x itself
   * never requires a gradient (the optimizer updates it in place).
   */
  static Objective autograd(Loss loss) {
    return (x, scope) -> {
      scope.tempAttachAll(x);
      NDArray leaf = x.duplicate();
      leaf.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray value = loss.apply(leaf);
        collector.backward(value);
        return new Objective.Evaluation(FlatVectors.toHost(value), leaf.getGradient());
      }
    };
  }

  /** Records every loss the optimizer asks for, in order. */
  static final class Recording implements Objective {
    final List<Double> losses = new ArrayList<>();
    private final Objective inner;

    Recording(Objective inner) {
      this.inner = inner;
    }

    @Override
    public Evaluation evaluate(NDArray x, NDManager scope) {
      Evaluation evaluation = inner.evaluate(x, scope);
      losses.add(evaluation.loss());
      return evaluation;
    }
  }

  static NDArray stack(NDManager manager, double... values) {
    return manager.create(values);
  }
}
