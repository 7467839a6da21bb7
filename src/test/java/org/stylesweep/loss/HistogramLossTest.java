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
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The histogram loss: exact matching by sorting (the remapped values are the style's, in O's
 * order), interpolated quantiles, and a gradient equal to central differences in float64 (R held
 * constant).
 */
class HistogramLossTest {

  private NDManager manager;
  private final Random random = new Random(7);

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager(Device.cpu());
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDArray randomArray(Shape shape, double scale, double shift) {
    double[] values = new double[(int) shape.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = shift + scale * random.nextGaussian();
    }
    return manager.create(values, shape);
  }

  @Test
  void withEqualSizesTheRemappedValuesAreTheStylesInTheOrderOfO() {
    Shape shape = new Shape(1, 3, 6, 7);
    NDArray style = randomArray(shape, 2, 1).toType(DataType.FLOAT32, false);
    NDArray current = randomArray(shape, 1, 0).toType(DataType.FLOAT32, false);
    HistogramLoss loss = new HistogramLoss(HistogramLoss.sortedChannels(style));
    float[] remapped = loss.remap(current.reshape(3, 42)).toFloatArray();
    float[] o = current.toFloatArray();
    float[] s = style.toFloatArray();
    for (int c = 0; c < 3; c++) {
      float[] r = Arrays.copyOfRange(remapped, c * 42, (c + 1) * 42);
      float[] sortedR = r.clone();
      Arrays.sort(sortedR);
      float[] sortedS = Arrays.copyOfRange(s, c * 42, (c + 1) * 42);
      Arrays.sort(sortedS);
      assertThat(sortedR)
          .as("channel %d: sorted R(O) = sorted style, exactly", c)
          .isEqualTo(sortedS);
      for (int i = 0; i < 42; i++) {
        for (int j = 0; j < 42; j++) {
          if (o[c * 42 + i] < o[c * 42 + j]) {
            assertThat(r[i]).as("channel %d keeps the order of O", c).isLessThan(r[j]);
          }
        }
      }
    }
  }

  @Test
  void withOtherSizesTheQuantilesAreInterpolated() {
    NDArray style = randomArray(new Shape(1, 2, 3, 3), 1, 0);
    NDArray current = randomArray(new Shape(1, 2, 4, 5), 1, 0);
    HistogramLoss loss = new HistogramLoss(HistogramLoss.sortedChannels(style));
    double[] remapped = loss.remap(current.reshape(2, 20)).toDoubleArray();
    double[] o = current.toDoubleArray();
    double[] s = style.toDoubleArray();
    for (int c = 0; c < 2; c++) {
      double[] sorted = Arrays.copyOfRange(s, c * 9, (c + 1) * 9);
      Arrays.sort(sorted);
      for (int i = 0; i < 20; i++) {
        int rank = 0;
        for (int j = 0; j < 20; j++) {
          rank += o[c * 20 + j] < o[c * 20 + i] ? 1 : 0;
        }
        double position = rank * 8.0 / 19.0;
        int low = (int) Math.floor(position);
        int high = Math.min(8, low + 1);
        double expected = sorted[low] + (sorted[high] - sorted[low]) * (position - low);
        assertThat(remapped[c * 20 + i]).isCloseTo(expected, within(1e-12));
      }
    }
  }

  @Test
  void aPermutationOfTheStyleHasZeroLoss() {
    NDArray style = randomArray(new Shape(1, 2, 4, 4), 1, 0);
    NDArray shuffled = style.reshape(2, 16).flip(1).reshape(1, 2, 4, 4);
    HistogramLoss loss = new HistogramLoss(HistogramLoss.sortedChannels(style));
    assertThat(loss.apply(shuffled).getDouble()).isEqualTo(0.0);
  }

  @Test
  void gradientMatchesFiniteDifferenceWithRHeldConstant() {
    Shape shape = new Shape(1, 3, 4, 5);
    NDArray style = randomArray(new Shape(1, 3, 5, 5), 3, 2);
    HistogramLoss loss = new HistogramLoss(HistogramLoss.sortedChannels(style));
    NDArray x = randomArray(shape, 1, 0);
    double[] analytic;
    try (NDManager scope = manager.newSubManager()) {
      NDArray leaf = x.duplicate();
      leaf.attach(scope);
      leaf.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        collector.backward(loss.apply(leaf));
      }
      analytic = leaf.getGradient().toDoubleArray();
    }
    double[] point = x.toDoubleArray();
    double h = 1e-6;
    double largest = Arrays.stream(analytic).map(Math::abs).max().orElse(0);
    assertThat(largest).as("gradient is not identically zero").isPositive();
    for (int i = 0; i < point.length; i++) {
      double[] plus = point.clone();
      double[] minus = point.clone();
      plus[i] += h;
      minus[i] -= h;
      double numeric = (value(loss, plus, shape) - value(loss, minus, shape)) / (2 * h);
      assertThat(analytic[i])
          .as("d loss / d x[%d]", i)
          .isCloseTo(numeric, within(1e-6 * Math.max(1, Math.abs(numeric)) + 1e-7 * largest));
    }
  }

  private double value(HistogramLoss loss, double[] at, Shape shape) {
    try (NDManager scope = manager.newSubManager()) {
      return loss.apply(scope.create(at, shape)).getDouble();
    }
  }
}
