package org.stylesweep.transfer;

import org.stylesweep.image.ImageTensors;

/**
 * SSIM (Wang, Bovik, Sheikh and Simoncelli 2004) of two images' luminances, as their reference code
 * and scikit-image's {@code structural_similarity(gaussian_weights=True)}: Y = 0.299 R + 0.587 G +
 * 0.114 B in [0, 1], an 11 × 11 Gaussian window with σ = 1.5, K1 = 0.01, K2 = 0.03, L = 1, the mean
 * of the SSIM map over the positions where the window fits (the whole image when it is smaller than
 * the window, with the window cut to the image).
 */
final class Ssim {
  private Ssim() {}

  private static final double C1 = 0.01 * 0.01;
  private static final double C2 = 0.03 * 0.03;
  private static final int RADIUS = 5;
  private static final double SIGMA = 1.5;

  /** SSIM of the luminances of two images of the same size. */
  static double luminance(ImageTensors.Planar a, ImageTensors.Planar b) {
    if (a.width() != b.width() || a.height() != b.height()) {
      throw new IllegalArgumentException(
          "SSIM needs images of one size, got "
              + a.width()
              + "x"
              + a.height()
              + " and "
              + b.width()
              + "x"
              + b.height());
    }
    return of(luma(a), luma(b), a.width(), a.height());
  }

  /** The luminance plane of planar RGB. */
  static double[] luma(ImageTensors.Planar p) {
    int n = p.width() * p.height();
    float[] d = p.data();
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = 0.299 * d[i] + 0.587 * d[n + i] + 0.114 * d[2 * n + i];
    }
    return y;
  }

  /** Mean SSIM of two planes of {@code width × height} values in [0, 1]. */
  static double of(double[] x, double[] y, int width, int height) {
    int rx = Math.min(RADIUS, (width - 1) / 2);
    int ry = Math.min(RADIUS, (height - 1) / 2);
    double[] wx = gaussian(rx);
    double[] wy = gaussian(ry);
    double[] xy = new double[x.length];
    double[] xx = new double[x.length];
    double[] yy = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      xy[i] = x[i] * y[i];
      xx[i] = x[i] * x[i];
      yy[i] = y[i] * y[i];
    }
    double[] mx = blur(x, width, height, wx, wy);
    double[] my = blur(y, width, height, wx, wy);
    double[] sxx = blur(xx, width, height, wx, wy);
    double[] syy = blur(yy, width, height, wx, wy);
    double[] sxy = blur(xy, width, height, wx, wy);
    int outW = width - 2 * rx;
    int outH = height - 2 * ry;
    double sum = 0;
    for (int i = 0; i < mx.length; i++) {
      double varX = sxx[i] - mx[i] * mx[i];
      double varY = syy[i] - my[i] * my[i];
      double cov = sxy[i] - mx[i] * my[i];
      sum +=
          (2 * mx[i] * my[i] + C1)
              * (2 * cov + C2)
              / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (varX + varY + C2));
    }
    return sum / ((double) outW * outH);
  }

  /** Normalized Gaussian weights of radius r. */
  private static double[] gaussian(int r) {
    double[] w = new double[2 * r + 1];
    double total = 0;
    for (int i = -r; i <= r; i++) {
      w[i + r] = Math.exp(-(i * i) / (2 * SIGMA * SIGMA));
      total += w[i + r];
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= total;
    }
    return w;
  }

  /** Separable weighted mean over the positions where the window fits ("valid"). */
  private static double[] blur(double[] v, int width, int height, double[] wx, double[] wy) {
    int rx = wx.length / 2;
    int ry = wy.length / 2;
    int outW = width - 2 * rx;
    int outH = height - 2 * ry;
    double[] rows = new double[outW * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < outW; x++) {
        double s = 0;
        for (int k = 0; k < wx.length; k++) {
          s += wx[k] * v[y * width + x + k];
        }
        rows[y * outW + x] = s;
      }
    }
    double[] out = new double[outW * outH];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        double s = 0;
        for (int k = 0; k < wy.length; k++) {
          s += wy[k] * rows[(y + k) * outW + x];
        }
        out[y * outW + x] = s;
      }
    }
    return out;
  }
}
