package org.stylesweep.image;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.stylesweep.spec.ColorMatch;

/**
 * Colour control on planar RGB floats (three planes of {@code plane} values, R then G then B, as
 * {@link ImageTensors.Planar} and the (1, 3, H, W) tensors hold them), after Gatys et al. 2017,
 * "Controlling Perceptual Factors in Neural Style Transfer", Sec. 5.
 *
 * <p>The luminance/chrominance space is YIQ (NTSC 1953, the paper's choice): Y = 0.299 R + 0.587 G
 * + 0.114 B. The inverse matrix is the exact inverse of the forward one (commons-math3's LU), so a
 * round trip changes nothing beyond float rounding. The 3×3 decompositions (eigen, Cholesky) are
 * commons-math3's, in double precision. Nothing here clamps: values may leave [0, 1], and the
 * caller clamps where an image is written.
 */
public final class Colors {
  private Colors() {}

  private static final double[][] RGB_TO_YIQ = {
    {0.299, 0.587, 0.114},
    {0.595716, -0.274453, -0.321263},
    {0.211456, -0.522591, 0.311135}
  };
  private static final double[][] YIQ_TO_RGB =
      new LUDecomposition(MatrixUtils.createRealMatrix(RGB_TO_YIQ))
          .getSolver()
          .getInverse()
          .getData();

  /** Planar RGB to planar YIQ. */
  public static float[] toYiq(float[] rgb) {
    return apply(RGB_TO_YIQ, rgb);
  }

  /** Planar YIQ to planar RGB. */
  public static float[] toRgb(float[] yiq) {
    return apply(YIQ_TO_RGB, yiq);
  }

  /** The Y plane of planar RGB. */
  public static float[] luminance(float[] rgb) {
    int plane = plane(rgb);
    float[] y = new float[plane];
    double[] row = RGB_TO_YIQ[0];
    for (int i = 0; i < plane; i++) {
      y[i] = (float) (row[0] * rgb[i] + row[1] * rgb[plane + i] + row[2] * rgb[2 * plane + i]);
    }
    return y;
  }

  /**
   * Planar RGB with luminance {@code y} and the chrominance (I, Q) of {@code chroma}:
   * neural-style's {@code -original_colors} and the output step of the paper's luminance-only
   * transfer.
   *
   * @param y one plane of luminance
   * @param chroma planar RGB of the same size whose I and Q are kept
   */
  public static float[] withChrominance(float[] y, float[] chroma) {
    int plane = plane(chroma);
    if (y.length != plane) {
      throw new IllegalArgumentException(
          "luminance has " + y.length + " values for an image of " + plane + " pixels");
    }
    float[] yiq = toYiq(chroma);
    System.arraycopy(y, 0, yiq, 0, plane);
    return toRgb(yiq);
  }

  /**
   * The style's luminance with the content's mean and standard deviation (Sec. 5.1): L_s' = σ_c/σ_s
   * (L_s − μ_s) + μ_c. A flat style (σ_s = 0) becomes the content's mean.
   */
  public static float[] matchLuminance(float[] styleY, float[] contentY) {
    double[] s = meanStd(styleY);
    double[] c = meanStd(contentY);
    double gain = s[1] > 0 ? c[1] / s[1] : 0;
    float[] out = new float[styleY.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (gain * (styleY[i] - s[0]) + c[0]);
    }
    return out;
  }

  /**
   * The style's colours mapped so that their mean and covariance equal the content's (Sec. 5.2): x'
   * = A (x − μ_s) + μ_c with A Σ_s Aᵀ = Σ_c ({@link ColorMatch}). A tiny ridge (1e-8 on the
   * diagonal) keeps flat or grey images invertible.
   *
   * @param style planar RGB of the style image
   * @param content planar RGB of the content image (any size)
   */
  public static float[] matchColors(float[] style, float[] content, ColorMatch match) {
    double[] muS = mean(style);
    double[] muC = mean(content);
    RealMatrix covS = covariance(style, muS);
    RealMatrix covC = covariance(content, muC);
    RealMatrix a =
        switch (match) {
          case SQRTM -> sqrt(covC, false).multiply(sqrt(covS, true));
          case CHOLESKY ->
              new CholeskyDecomposition(ridged(covC), 1e-12, 0)
                  .getL()
                  .multiply(
                      new LUDecomposition(new CholeskyDecomposition(ridged(covS), 1e-12, 0).getL())
                          .getSolver()
                          .getInverse());
        };
    double[][] m = a.getData();
    int plane = plane(style);
    float[] out = new float[style.length];
    for (int i = 0; i < plane; i++) {
      double r = style[i] - muS[0];
      double g = style[plane + i] - muS[1];
      double b = style[2 * plane + i] - muS[2];
      for (int k = 0; k < 3; k++) {
        out[k * plane + i] = (float) (m[k][0] * r + m[k][1] * g + m[k][2] * b + muC[k]);
      }
    }
    return out;
  }

  /** Per-channel means of planar RGB. */
  public static double[] mean(float[] rgb) {
    int plane = plane(rgb);
    double[] mu = new double[3];
    for (int k = 0; k < 3; k++) {
      double sum = 0;
      for (int i = 0; i < plane; i++) {
        sum += rgb[k * plane + i];
      }
      mu[k] = sum / plane;
    }
    return mu;
  }

  /** The 3×3 covariance (divided by the pixel count) of planar RGB about {@code mu}. */
  public static RealMatrix covariance(float[] rgb, double[] mu) {
    int plane = plane(rgb);
    double[][] cov = new double[3][3];
    for (int i = 0; i < plane; i++) {
      double[] d = {
        rgb[i] - mu[0], rgb[plane + i] - mu[1], rgb[2 * plane + i] - mu[2],
      };
      for (int r = 0; r < 3; r++) {
        for (int c = r; c < 3; c++) {
          cov[r][c] += d[r] * d[c];
        }
      }
    }
    for (int r = 0; r < 3; r++) {
      for (int c = r; c < 3; c++) {
        cov[r][c] /= plane;
        cov[c][r] = cov[r][c];
      }
    }
    return new Array2DRowRealMatrix(cov, false);
  }

  /** Σ^½ or Σ^-½ of a symmetric positive semi-definite matrix, from its eigendecomposition. */
  private static RealMatrix sqrt(RealMatrix sigma, boolean inverse) {
    EigenDecomposition eigen = new EigenDecomposition(ridged(sigma));
    double[] values = eigen.getRealEigenvalues();
    double[] roots = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = Math.max(values[i], 1e-12);
      roots[i] = inverse ? 1 / Math.sqrt(v) : Math.sqrt(v);
    }
    RealMatrix v = eigen.getV();
    return v.multiply(MatrixUtils.createRealDiagonalMatrix(roots)).multiply(v.transpose());
  }

  private static RealMatrix ridged(RealMatrix sigma) {
    return sigma.add(MatrixUtils.createRealIdentityMatrix(3).scalarMultiply(1e-8));
  }

  private static double[] meanStd(float[] values) {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    double mean = sum / values.length;
    double sq = 0;
    for (float v : values) {
      sq += (v - mean) * (v - mean);
    }
    return new double[] {mean, Math.sqrt(sq / values.length)};
  }

  private static float[] apply(double[][] m, float[] planar) {
    int plane = plane(planar);
    float[] out = new float[planar.length];
    for (int i = 0; i < plane; i++) {
      double a = planar[i];
      double b = planar[plane + i];
      double c = planar[2 * plane + i];
      for (int k = 0; k < 3; k++) {
        out[k * plane + i] = (float) (m[k][0] * a + m[k][1] * b + m[k][2] * c);
      }
    }
    return out;
  }

  private static int plane(float[] planar) {
    if (planar.length == 0 || planar.length % 3 != 0) {
      throw new IllegalArgumentException(
          "planar RGB needs 3 equal planes, got " + planar.length + " values");
    }
    return planar.length / 3;
  }
}
