package org.stylesweep.video;

/**
 * The per-pixel weights c of the temporal loss (Ruder et al. 2016, Sec. 3.2): 0 where the previous
 * frame cannot predict the current one, 1 elsewhere. With ŵ = (û, v̂) the backward flow (current →
 * previous) and w̃(x) = w(x + ŵ(x)) the forward flow (previous → current) warped to the current
 * frame:
 *
 * <ul>
 *   <li>disocclusion: {@code |w̃ + ŵ|² > 0.01 (|w̃|² + |ŵ|²) + 0.5} (the forward-backward check);
 *   <li>motion boundary: {@code |∇û|² + |∇v̂|² > 0.01 |ŵ|² + 0.002};
 *   <li>and, beyond the paper, points whose match {@code x + ŵ(x)} falls outside the previous frame
 *       (content entering at the border has nothing to be consistent with).
 * </ul>
 */
public final class ConsistencyMask {
  private ConsistencyMask() {}

  /**
   * The weights c on the current frame's pixels, row-major.
   *
   * @param forward flow(previous, current)
   * @param backward flow(current, previous)
   */
  public static float[] of(OpticalFlow.Field forward, OpticalFlow.Field backward) {
    int w = backward.width();
    int h = backward.height();
    OpticalFlow.Field warped = OpticalFlow.warp(forward, backward);
    float[] c = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double bu = backward.u(x, y);
        double bv = backward.v(x, y);
        double fu = warped.u(x, y);
        double fv = warped.v(x, y);
        double sumU = fu + bu;
        double sumV = fv + bv;
        boolean occluded =
            sumU * sumU + sumV * sumV > 0.01 * (fu * fu + fv * fv + bu * bu + bv * bv) + 0.5;
        // Central differences inside, one-sided at the border.
        double dux = diff(backward, x, y, true, true);
        double duy = diff(backward, x, y, true, false);
        double dvx = diff(backward, x, y, false, true);
        double dvy = diff(backward, x, y, false, false);
        boolean boundary =
            dux * dux + duy * duy + dvx * dvx + dvy * dvy > 0.01 * (bu * bu + bv * bv) + 0.002;
        double px = x + bu;
        double py = y + bv;
        boolean outside = px < 0 || py < 0 || px > w - 1 || py > h - 1;
        c[y * w + x] = occluded || boundary || outside ? 0f : 1f;
      }
    }
    return c;
  }

  private static double diff(OpticalFlow.Field f, int x, int y, boolean u, boolean alongX) {
    int w = f.width();
    int h = f.height();
    int x0 = alongX ? Math.max(0, x - 1) : x;
    int x1 = alongX ? Math.min(w - 1, x + 1) : x;
    int y0 = alongX ? y : Math.max(0, y - 1);
    int y1 = alongX ? y : Math.min(h - 1, y + 1);
    int span = alongX ? x1 - x0 : y1 - y0;
    if (span == 0) {
      return 0;
    }
    double a = u ? f.u(x0, y0) : f.v(x0, y0);
    double b = u ? f.u(x1, y1) : f.v(x1, y1);
    return (b - a) / span;
  }
}
