package org.stylesweep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stylesweep.spec.ColorMatch;

class ColorsTest {

  /** Planar RGB with correlated channels: a random mix of three noise sources plus an offset. */
  private static float[] correlated(int plane, long seed, double[][] mix, double[] offset) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] rgb = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      double[] z = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
      for (int k = 0; k < 3; k++) {
        rgb[k * plane + i] =
            (float) (offset[k] + mix[k][0] * z[0] + mix[k][1] * z[1] + mix[k][2] * z[2]);
      }
    }
    return rgb;
  }

  @ParameterizedTest
  @EnumSource(ColorMatch.class)
  void matchedStyleHasTheContentsColourMeanWithin1e4AndCovarianceWithin1e3(ColorMatch match) {
    float[] style =
        correlated(
            40 * 30,
            1,
            new double[][] {{0.5, 0.1, 0}, {0.2, 0.3, 0.1}, {0, 0.1, 0.2}},
            new double[] {0.1, 0.2, 0.3});
    float[] content =
        correlated(
            50 * 20,
            2,
            new double[][] {{0.2, 0, 0.1}, {0.1, 0.4, 0}, {0.3, 0.1, 0.3}},
            new double[] {0.3, 0.1, 0.0});
    float[] matched = Colors.matchColors(style, content, match);
    double[] muC = Colors.mean(content);
    double[] muM = Colors.mean(matched);
    for (int k = 0; k < 3; k++) {
      assertThat(muM[k]).isCloseTo(muC[k], within(1e-4));
    }
    RealMatrix covC = Colors.covariance(content, muC);
    RealMatrix covM = Colors.covariance(matched, muM);
    double relative = covM.subtract(covC).getFrobeniusNorm() / covC.getFrobeniusNorm();
    assertThat(relative).isLessThanOrEqualTo(1e-3);
    // and the style really moved: its own covariance was far from the content's
    RealMatrix covS = Colors.covariance(style, Colors.mean(style));
    assertThat(covS.subtract(covC).getFrobeniusNorm() / covC.getFrobeniusNorm()).isGreaterThan(0.1);
  }

  @Test
  void flatStyleDoesNotBreakTheMatch() {
    float[] flat = new float[3 * 16];
    java.util.Arrays.fill(flat, 0.5f);
    float[] content =
        correlated(16, 3, new double[][] {{0.2, 0, 0}, {0, 0.2, 0}, {0, 0, 0.2}}, new double[3]);
    for (ColorMatch match : ColorMatch.values()) {
      float[] matched = Colors.matchColors(flat, content, match);
      for (float v : matched) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
  }

  @Test
  void yiqRoundTripAndChrominanceTransplant() {
    float[] rgb =
        correlated(64, 4, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new double[3]);
    float[] back = Colors.toRgb(Colors.toYiq(rgb));
    for (int i = 0; i < rgb.length; i++) {
      assertThat(back[i]).isCloseTo(rgb[i], within(1e-6f));
    }
    float[] other =
        correlated(64, 5, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new double[3]);
    float[] y = Colors.luminance(other);
    float[] mixed = Colors.withChrominance(y, rgb);
    float[] yiqMixed = Colors.toYiq(mixed);
    float[] yiqRgb = Colors.toYiq(rgb);
    for (int i = 0; i < 64; i++) {
      assertThat(yiqMixed[i]).isCloseTo(y[i], within(1e-6f));
      assertThat(yiqMixed[64 + i]).isCloseTo(yiqRgb[64 + i], within(1e-6f));
      assertThat(yiqMixed[128 + i]).isCloseTo(yiqRgb[128 + i], within(1e-6f));
    }
  }

  @Test
  void matchedLuminanceHasTheContentsMeanAndDeviation() {
    float[] s =
        Colors.luminance(
            correlated(100, 6, new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, new double[3]));
    float[] c = new float[80];
    for (int i = 0; i < c.length; i++) {
      c[i] = 0.2f + 0.005f * i;
    }
    float[] m = Colors.matchLuminance(s, c);
    assertThat(mean(m)).isCloseTo(mean(c), within(1e-5));
    assertThat(std(m)).isCloseTo(std(c), within(1e-5));
  }

  private static double mean(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static double std(float[] v) {
    double m = mean(v);
    double s = 0;
    for (float x : v) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / v.length);
  }
}
