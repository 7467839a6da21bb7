package org.stylesweep.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stylesweep.spec.ContentLossKind;
import org.stylesweep.spec.GramNorm;

/**
 * Every loss: autograd gradient equals a central finite difference, in float64; values equal loops.
 */
class LossGradientTest {

  private static final Shape SHAPE = new Shape(1, 3, 4, 5);
  private NDManager manager;
  private final Random random = new Random(42);

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager(Device.cpu());
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDArray randomArray(Shape shape) {
    double[] values = new double[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    return manager.create(values, shape);
  }

  /** Asserts that autograd's gradient of {@code loss} at x matches central differences. */
  private void assertGradientMatchesFiniteDifference(NDArray x, Function<NDArray, NDArray> loss) {
    double[] analytic = autogradGradient(x, loss);
    double[] point = x.toDoubleArray();
    double h = 1e-6;
    double largest = 0;
    for (double g : analytic) {
      largest = Math.max(largest, Math.abs(g));
    }
    assertThat(largest).as("gradient is not identically zero").isPositive();
    for (int i = 0; i < point.length; i++) {
      double[] plus = point.clone();
      double[] minus = point.clone();
      plus[i] += h;
      minus[i] -= h;
      double numeric =
          (value(loss, plus, x.getShape()) - value(loss, minus, x.getShape())) / (2 * h);
      assertThat(analytic[i])
          .as("d loss / d x[%d]", i)
          .isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric)) + 1e-7 * largest));
    }
  }

  private double value(Function<NDArray, NDArray> loss, double[] at, Shape shape) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(at, shape);
      return loss.apply(x).toType(DataType.FLOAT64, false).getDouble();
    }
  }

  @ParameterizedTest
  @EnumSource(ContentLossKind.class)
  void contentLossGradientMatchesFiniteDifference(ContentLossKind kind) {
    NDArray target = randomArray(SHAPE);
    NDArray x = randomArray(SHAPE);
    assertGradientMatchesFiniteDifference(x, f -> ContentLoss.of(f, target, kind));
    double[] a = x.toDoubleArray();
    double[] b = target.toDoubleArray();
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    double expected = kind == ContentLossKind.MEAN ? sum / a.length : sum;
    assertThat(ContentLoss.of(x, target, kind).getDouble())
        .isCloseTo(expected, within(1e-12 * expected));
  }

  @ParameterizedTest
  @EnumSource(GramNorm.class)
  void gramGradientAndValuesMatch(GramNorm norm) {
    NDArray x = randomArray(SHAPE);
    NDArray probe = randomArray(new Shape(3, 3));
    assertGradientMatchesFiniteDifference(x, f -> Gram.of(f, norm).mul(probe).sum());
    double[] f = x.toDoubleArray();
    int positions = 20;
    double n =
        switch (norm) {
          case CHW -> 3 * positions;
          case HW -> positions;
          case NONE -> 1;
        };
    double[] gram = Gram.of(x, norm).toDoubleArray();
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double dot = 0;
        for (int p = 0; p < positions; p++) {
          dot += f[i * positions + p] * f[j * positions + p];
        }
        assertThat(gram[i * 3 + j]).isCloseTo(dot / n, within(1e-12 * Math.max(1, Math.abs(dot))));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(GramNorm.class)
  void styleLossGradientMatchesFiniteDifference(GramNorm norm) {
    NDArray targetGram = Gram.of(randomArray(SHAPE), norm);
    NDArray x = randomArray(SHAPE);
    assertGradientMatchesFiniteDifference(x, f -> StyleLoss.of(Gram.of(f, norm), targetGram, 0.7));
    double[] g = Gram.of(x, norm).toDoubleArray();
    double[] t = targetGram.toDoubleArray();
    double mse = 0;
    for (int i = 0; i < g.length; i++) {
      mse += (g[i] - t[i]) * (g[i] - t[i]);
    }
    mse = 0.7 * mse / g.length;
    assertThat(StyleLoss.of(Gram.of(x, norm), targetGram, 0.7).getDouble())
        .isCloseTo(mse, within(1e-12 * mse));
  }

  @Test
  void temporalLossGradientAndValueMatch() {
    NDArray warped = randomArray(SHAPE);
    double[] c = new double[20];
    for (int i = 0; i < c.length; i++) {
      c[i] = i % 3 == 0 ? 0 : random.nextDouble();
    }
    NDArray weights = manager.create(c, new Shape(1, 1, 4, 5));
    NDArray x = randomArray(SHAPE);
    assertGradientMatchesFiniteDifference(x, image -> TemporalLoss.of(image, warped, weights));
    double[] v = x.toDoubleArray();
    double[] w = warped.toDoubleArray();
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      sum += c[i % 20] * Math.pow(v[i] - w[i], 2);
    }
    assertThat(TemporalLoss.of(x, warped, weights).getDouble())
        .isCloseTo(sum / 60, within(1e-12 * sum));
  }

  @Test
  void totalVariationGradientAndValueMatch() {
    NDArray x = randomArray(SHAPE);
    assertGradientMatchesFiniteDifference(x, TotalVariation::of);
    double[] v = x.toDoubleArray();
    int h = 4;
    int w = 5;
    double tv = 0;
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          double here = v[(c * h + i) * w + j];
          if (j + 1 < w) {
            tv += Math.pow(v[(c * h + i) * w + j + 1] - here, 2);
          }
          if (i + 1 < h) {
            tv += Math.pow(v[(c * h + i + 1) * w + j] - here, 2);
          }
        }
      }
    }
    assertThat(TotalVariation.of(x).getDouble()).isCloseTo(tv, within(1e-12 * tv));
  }

  /**
   * Guided Gram loss (Gatys 2017 eq. 4-6): the style loss of G = (F∘T)(F∘T)ᵀ / n(m) with a fixed
   * partial guidance T (grey values, zeros) has autograd's gradient equal to central differences,
   * its value equals loops, and the fused loss (what a run differentiates) has the same value and
   * gradient.
   */
  @ParameterizedTest
  @EnumSource(GramNorm.class)
  void guidedStyleLossGradientMatchesFiniteDifference(GramNorm norm) {
    Shape shape = new Shape(1, 3, 4, 5);
    double[] t = new double[20];
    for (int p = 0; p < t.length; p++) {
      t[p] = p % 5 < 2 ? 1 : p % 5 == 2 ? 0.5 : 0; // left inside, a grey column, right outside
    }
    double mass = 0;
    for (double v : t) {
      mass += v * v;
    }
    NDArray guidance = manager.create(t, new Shape(1, 1, 4, 5));
    NDArray target = GuidedGram.of(randomArray(shape), guidance, mass, norm);
    NDArray x = randomArray(shape);
    double m = mass;
    assertGradientMatchesFiniteDifference(
        x, f -> StyleLoss.of(GuidedGram.of(f, guidance, m, norm), target, 0.7));

    // the value against loops
    double[] f = x.toDoubleArray();
    double[] tg = target.toDoubleArray();
    double n = GuidedGram.divisor(shape, mass, norm);
    double mse = 0;
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double dot = 0;
        for (int p = 0; p < 20; p++) {
          dot += f[i * 20 + p] * t[p] * f[j * 20 + p] * t[p];
        }
        double d = dot / n - tg[i * 3 + j];
        mse += d * d;
      }
    }
    mse = 0.7 * mse / 9;
    assertThat(StyleLoss.of(GuidedGram.of(x, guidance, mass, norm), target, 0.7).getDouble())
        .isCloseTo(mse, within(1e-12 * mse));

    // the fused loss of the guided features, with the fixed divisor, as the run uses it
    FusedStyleLoss fused = new FusedStyleLoss(target, norm, 0.7, 1.0, n);
    assertThat(fused.apply(GuidedGram.guide(x, guidance)).value().getDouble())
        .isCloseTo(mse, within(1e-12 * mse));
    double[] expected =
        autogradGradient(x, g -> StyleLoss.of(GuidedGram.of(g, guidance, m, norm), target, 0.7));
    double[] actual =
        autogradGradient(x, g -> fused.apply(GuidedGram.guide(g, guidance)).surrogate());
    double largest = 0;
    for (double g : expected) {
      largest = Math.max(largest, Math.abs(g));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("fused d/dx[%d]", i).isCloseTo(expected[i], within(1e-12 * largest));
    }
  }

  /** Autograd's gradient of {@code loss} at x (a fresh leaf), in float64. */
  private double[] autogradGradient(NDArray x, Function<NDArray, NDArray> loss) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray leaf = x.duplicate();
      leaf.attach(scope);
      leaf.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(loss.apply(leaf));
      }
      return leaf.getGradient().toDoubleArray();
    }
  }

  @ParameterizedTest
  @EnumSource(GramNorm.class)
  void fusedStyleLossHasTheValueAndTheGradientOfTheAutogradOne(GramNorm norm) {
    Shape shape = new Shape(1, 4, 3, 5);
    NDArray x = randomArray(shape);
    NDArray target = Gram.of(randomArray(shape), norm);
    double layerWeight = 0.7;
    double styleWeight = 1e3;
    FusedStyleLoss fusedLoss = new FusedStyleLoss(target, norm, layerWeight, styleWeight);

    double expectedValue = StyleLoss.of(Gram.of(x, norm), target, layerWeight).getDouble();
    double[] expected =
        autogradGradient(
            x,
            f -> Scalars.times(StyleLoss.of(Gram.of(f, norm), target, layerWeight), styleWeight));
    double[] fused = autogradGradient(x, f -> fusedLoss.apply(f).surrogate());

    assertThat(fusedLoss.apply(x).value().getDouble())
        .isCloseTo(expectedValue, within(1e-12 * Math.abs(expectedValue)));
    double largest = 0;
    for (double g : expected) {
      largest = Math.max(largest, Math.abs(g));
    }
    assertThat(largest).as("gradient is not identically zero").isPositive();
    for (int i = 0; i < expected.length; i++) {
      assertThat(fused[i])
          .as("d loss / d x[%d]", i)
          .isCloseTo(expected[i], within(1e-12 * largest));
    }
  }
}
