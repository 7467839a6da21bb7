package org.stylesweep.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LbfgsHistory}'s inner-product recursion against torch's two-loop recursion written out
 * with vector updates, as in {@code torch/optim/lbfgs.py}, in float64 on random curvature pairs:
 * while the history fills, after its ring wraps around, and with rejected pairs in between.
 */
class LbfgsHistoryTest {

  private static final int SIZE = 257;

  /** torch's two-loop recursion, literally: q = −g, loop 1, r = H₀ q, loop 2. */
  private static double[] torchTwoLoop(Deque<double[][]> pairs, double[] g, double hDiag) {
    double[][][] history = pairs.toArray(new double[0][][]);
    int n = history.length;
    double[] al = new double[n];
    double[] q = new double[g.length];
    for (int k = 0; k < g.length; k++) {
      q[k] = -g[k];
    }
    for (int i = n - 1; i >= 0; i--) {
      double[] s = history[i][0];
      double[] y = history[i][1];
      al[i] = dot(s, q) / dot(y, s);
      for (int k = 0; k < q.length; k++) {
        q[k] -= al[i] * y[k];
      }
    }
    double[] r = q;
    for (int k = 0; k < r.length; k++) {
      r[k] *= hDiag;
    }
    for (int i = 0; i < n; i++) {
      double[] s = history[i][0];
      double[] y = history[i][1];
      double be = dot(y, r) / dot(y, s);
      for (int k = 0; k < r.length; k++) {
        r[k] += (al[i] - be) * s[k];
      }
    }
    return r;
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int k = 0; k < a.length; k++) {
      sum += a[k] * b[k];
    }
    return sum;
  }

  private static double[] random(Random random, double scale) {
    double[] v = new double[SIZE];
    for (int k = 0; k < SIZE; k++) {
      v[k] = random.nextGaussian() * scale;
    }
    return v;
  }

  @Test
  void directionIsTorchsTwoLoopWhileFillingAndAfterTheRingWraps() {
    int capacity = 5;
    Random random = new Random(11);
    Deque<double[][]> reference = new ArrayDeque<>();
    try (NDManager manager = NDManager.newBaseManager();
        LbfgsHistory history = new LbfgsHistory(manager, capacity)) {
      for (int iteration = 0; iteration < 17; iteration++) {
        double[] s = random(random, 0.5);
        // y close to a positive multiple of s keeps yᵀs > 0, as curvature pairs have
        double[] y = random(random, 0.1);
        for (int k = 0; k < SIZE; k++) {
          y[k] += (1 + iteration % 3) * s[k];
        }
        boolean accepted = iteration % 4 != 3; // some iterations store no pair
        double hDiag = 0.3 + 0.1 * iteration;
        if (accepted) {
          try (NDArray sArray = manager.create(s);
              NDArray yArray = manager.create(y)) {
            history.add(sArray, yArray, 1 / dot(y, s));
          }
          if (reference.size() == capacity) {
            reference.removeFirst();
          }
          reference.addLast(new double[][] {s, y});
        }
        double[] g = random(random, 1);
        double[] expected = torchTwoLoop(reference, g, hDiag);

        try (NDArray gArray = manager.create(g);
            NDArray direction = history.direction(gArray, hDiag)) {
          assertThat(direction.getDataType()).isEqualTo(DataType.FLOAT64);
          double[] actual = direction.toDoubleArray();
          double norm = Math.sqrt(dot(expected, expected));
          for (int k = 0; k < SIZE; k++) {
            assertThat(actual[k])
                .as("iteration %d, element %d", iteration, k)
                .isCloseTo(expected[k], within(1e-12 * norm));
          }
        }
        assertThat(history.size()).isEqualTo(reference.size());
      }
    }
  }

  @Test
  void emptyHistoryGivesTheScaledSteepestDescent() {
    try (NDManager manager = NDManager.newBaseManager();
        LbfgsHistory history = new LbfgsHistory(manager, 3)) {
      NDArray g = manager.create(new float[] {1f, -2f, 4f});
      NDArray d = history.direction(g, 0.5);
      assertThat(d.toFloatArray()).containsExactly(-0.5f, 1f, -2f);
      assertThat(d.getManager()).isSameAs(manager);
    }
  }

  @Test
  void float32PairsGiveAFloat32DirectionCloseToTheFloat64One() {
    Random random = new Random(5);
    Deque<double[][]> reference = new ArrayDeque<>();
    try (NDManager manager = NDManager.newBaseManager();
        LbfgsHistory history = new LbfgsHistory(manager, 4)) {
      double[] expected = null;
      NDArray direction = null;
      for (int iteration = 0; iteration < 6; iteration++) {
        double[] s = random(random, 1);
        double[] y = random(random, 0.1);
        for (int k = 0; k < SIZE; k++) {
          y[k] += 2 * s[k];
        }
        float[] sNarrow = narrow(s);
        float[] yNarrow = narrow(y);
        s = widen(sNarrow);
        y = widen(yNarrow);
        history.add(manager.create(sNarrow), manager.create(yNarrow), 1 / dot(y, s));
        if (reference.size() == 4) {
          reference.removeFirst();
        }
        reference.addLast(new double[][] {s, y});
        float[] g = narrow(random(random, 1));
        expected = torchTwoLoop(reference, widen(g), 0.7);
        direction = history.direction(manager.create(g), 0.7);
      }
      assertThat(direction.getDataType()).isEqualTo(DataType.FLOAT32);
      float[] actual = direction.toFloatArray();
      double norm = Math.sqrt(dot(expected, expected));
      for (int k = 0; k < SIZE; k++) {
        assertThat((double) actual[k]).isCloseTo(expected[k], within(1e-5 * norm));
      }
    }
  }

  private static float[] narrow(double[] v) {
    float[] f = new float[v.length];
    for (int k = 0; k < v.length; k++) {
      f[k] = (float) v[k];
    }
    return f;
  }

  private static double[] widen(float[] v) {
    double[] d = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      d[k] = v[k];
    }
    return d;
  }
}
