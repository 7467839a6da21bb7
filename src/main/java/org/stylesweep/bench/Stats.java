package org.stylesweep.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and ranges of repeated measurements. */
final class Stats {
  private Stats() {}

  /** The median (mean of the middle two for an even count); NaN when empty. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** Smallest value; NaN when empty. */
  static double min(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
  }

  /** Largest value; NaN when empty. */
  static double max(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
  }

  /** The mean of an array; NaN when empty. */
  static double mean(double[] values) {
    return Arrays.stream(values).average().orElse(Double.NaN);
  }
}
