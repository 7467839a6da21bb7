package org.stylesweep.video;

import java.util.ArrayList;
import java.util.List;
import org.stylesweep.spec.Temporal;
import org.stylesweep.transfer.TemporalGuide;

/**
 * The temporal side of a chain of frames (Ruder et al. 2016), without I/O: which earlier frames a
 * frame looks back to, the guide (warped earlier results and their weights) a frame is optimized
 * with, and the masked temporal error of a finished frame.
 */
public final class FrameChain {
  private FrameChain() {}

  /** The long-term set J of the paper: frames 1, 2 and 4 back. */
  public static final List<Integer> LONG_TERM = List.of(1, 2, 4);

  /** How many frames back frame {@code index} looks for this mode, nearest first. */
  public static List<Integer> lookBack(Temporal mode, int index) {
    List<Integer> back = new ArrayList<>();
    for (int j :
        mode == Temporal.LONG
            ? LONG_TERM
            : mode == Temporal.SHORT ? List.of(1) : List.<Integer>of()) {
      if (index - j >= 0) {
        back.add(j);
      }
    }
    return back;
  }

  /**
   * Flows for one earlier frame: forward is flow(earlier, current), backward flow(current,
   * earlier).
   */
  public record Pair(OpticalFlow.Field forward, OpticalFlow.Field backward) {}

  /**
   * The guide of a frame: each earlier stylised frame (planar RGB at the frame's size) warped into
   * it along the backward flow, with the paper's weights: c for short-term; for long-term {@code
   * c_long(j) = max(c(j) − Σ_{k ∈ J, k < j} c(k), 0)}, so each pixel is tied to the nearest earlier
   * frame that sees it. The initial image is the nearest earlier frame warped.
   *
   * @param earlier stylised earlier frames, in the order of {@code pairs} (nearest first)
   */
  public static TemporalGuide guide(
      int width, int height, List<float[]> earlier, List<Pair> pairs) {
    List<float[]> warped = new ArrayList<>();
    List<float[]> weights = new ArrayList<>();
    float[] covered = new float[width * height];
    for (int k = 0; k < earlier.size(); k++) {
      Pair pair = pairs.get(k);
      warped.add(OpticalFlow.warp(earlier.get(k), 3, pair.backward()));
      float[] c = ConsistencyMask.of(pair.forward(), pair.backward());
      float[] longTerm = new float[c.length];
      for (int i = 0; i < c.length; i++) {
        longTerm[i] = Math.max(c[i] - covered[i], 0f);
        covered[i] += c[i];
      }
      weights.add(longTerm);
    }
    return new TemporalGuide(
        width, height, warped.isEmpty() ? null : warped.get(0), warped, weights);
  }

  /**
   * The masked temporal error of a frame: the mean over pixels and channels of {@code c · |x_t −
   * ω(x_{t−1})|}, with c the short-term weights of the pair (t−1, t).
   *
   * @param current the stylised frame t, planar RGB
   * @param previous the stylised frame t−1, planar RGB
   */
  public static double temporalError(float[] current, float[] previous, Pair pair) {
    int n = pair.backward().width() * pair.backward().height();
    float[] warped = OpticalFlow.warp(previous, 3, pair.backward());
    float[] c = ConsistencyMask.of(pair.forward(), pair.backward());
    double sum = 0;
    for (int ch = 0; ch < 3; ch++) {
      for (int i = 0; i < n; i++) {
        sum += c[i] * Math.abs(current[ch * n + i] - warped[ch * n + i]);
      }
    }
    return sum / (3.0 * n);
  }
}
