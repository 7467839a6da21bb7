package org.stylesweep.transfer;

import org.stylesweep.image.ImageTensors;

/**
 * The mean and covariance of an image's RGB pixels in [0, 1], and the distance {@code ‖μ_a − μ_b‖₂
 * + ‖Σ_a − Σ_b‖_F} between two images' statistics.
 *
 * @param mean the 3 channel means
 * @param covariance the 3 × 3 covariance (population), row-major
 */
record ColorStats(double[] mean, double[] covariance) {

  /** The statistics of an image's pixels. */
  static ColorStats of(ImageTensors.Planar p) {
    int n = p.width() * p.height();
    float[] d = p.data();
    double[] mean = new double[3];
    for (int c = 0; c < 3; c++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += d[c * n + i];
      }
      mean[c] = s / n;
    }
    double[] covariance = new double[9];
    for (int a = 0; a < 3; a++) {
      for (int b = a; b < 3; b++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += (d[a * n + i] - mean[a]) * (d[b * n + i] - mean[b]);
        }
        covariance[a * 3 + b] = s / n;
        covariance[b * 3 + a] = s / n;
      }
    }
    return new ColorStats(mean, covariance);
  }

  /** {@code ‖μ − μ'‖₂ + ‖Σ − Σ'‖_F}. */
  double distance(ColorStats other) {
    double m = 0;
    for (int c = 0; c < 3; c++) {
      m += Math.pow(mean[c] - other.mean[c], 2);
    }
    double s = 0;
    for (int i = 0; i < 9; i++) {
      s += Math.pow(covariance[i] - other.covariance[i], 2);
    }
    return Math.sqrt(m) + Math.sqrt(s);
  }
}
