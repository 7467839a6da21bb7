package org.stylesweep.transfer;

import java.util.List;

/**
 * What a frame of a temporal video run takes from the frames before it (Ruder et al. 2016): the
 * initial image (the previous stylised frame warped into this one) and, per earlier frame j, that
 * frame's stylised result warped into this one with its weights c. All at the result's size.
 *
 * @param width the result's width
 * @param height the result's height
 * @param init planar RGB in [0, 1] to start from, or null for the run's own {@code init}
 * @param warped per earlier frame, planar RGB (3 · width · height)
 * @param weights per earlier frame, the weights c (width · height), in [0, 1]
 */
public record TemporalGuide(
    int width, int height, float[] init, List<float[]> warped, List<float[]> weights) {

  /** Checks the sizes. */
  public TemporalGuide {
    int n = width * height;
    if (init != null && init.length != 3 * n) {
      throw new IllegalArgumentException("init has " + init.length + " values, not 3·" + n);
    }
    if (warped.size() != weights.size()) {
      throw new IllegalArgumentException(
          warped.size() + " warped frames but " + weights.size() + " weights");
    }
    for (int i = 0; i < warped.size(); i++) {
      if (warped.get(i).length != 3 * n || weights.get(i).length != n) {
        throw new IllegalArgumentException(
            "warped frame " + i + " or its weights do not match " + width + "x" + height);
      }
    }
    warped = List.copyOf(warped);
    weights = List.copyOf(weights);
  }
}
