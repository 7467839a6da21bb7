package org.stylesweep.video;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The seam between two chunks of a temporal chain, without I/O. A chunk that starts while its
 * predecessor is still running begins {@code L} frames early (its own chain B, from a
 * frame-by-frame result), and the shown frames of that overlap cross-fade from the predecessor's
 * chain A into B: overlap frame {@code k} (0-based, frame {@code s − L + k} for the chunk starting
 * at {@code s}) is {@code (1 − α_k)·A + α_k·B} with {@code α_k = (k + 1)/(L + 1)}, so the weight of
 * B rises in equal steps from {@code 1/(L+1)} to {@code L/(L+1)} and frame {@code s}, B's own, is
 * the step after. Two chains that end in different texture arrangements then meet over {@code L +
 * 1} small steps instead of one jump.
 */
public final class ChunkBlend {
  private ChunkBlend() {}

  /** The weight of chain B in overlap frame {@code k} of {@code overlap}: (k + 1)/(L + 1). */
  public static double alpha(int k, int overlap) {
    if (overlap <= 0 || k < 0 || k >= overlap) {
      throw new IllegalArgumentException(
          "overlap frame " + k + " is outside an overlap of " + overlap + " frames");
    }
    return (k + 1) / (double) (overlap + 1);
  }

  /** The first frames of the chunks after the first: chunkFrames, 2·chunkFrames, ... below n. */
  public static List<Integer> boundaries(int frames, int chunkFrames) {
    List<Integer> starts = new ArrayList<>();
    for (int s = chunkFrames; s < frames; s += chunkFrames) {
      starts.add(s);
    }
    return starts;
  }

  /**
   * {@code (1 − alpha)·a + alpha·b} per 8-bit channel, rounded to nearest: the same inputs always
   * give the same image.
   *
   * @throws IllegalArgumentException when the sizes differ
   */
  public static BufferedImage blend(BufferedImage a, BufferedImage b, double alpha) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      throw new IllegalArgumentException(
          "cannot blend a "
              + a.getWidth()
              + "x"
              + a.getHeight()
              + " frame with a "
              + b.getWidth()
              + "x"
              + b.getHeight()
              + " one");
    }
    int w = a.getWidth();
    int h = a.getHeight();
    int[] pa = a.getRGB(0, 0, w, h, null, 0, w);
    int[] pb = b.getRGB(0, 0, w, h, null, 0, w);
    int[] out = new int[pa.length];
    for (int i = 0; i < pa.length; i++) {
      int rgb = 0;
      for (int shift = 16; shift >= 0; shift -= 8) {
        int ca = (pa[i] >> shift) & 0xff;
        int cb = (pb[i] >> shift) & 0xff;
        int c = (int) Math.round((1 - alpha) * ca + alpha * cb);
        rgb |= Math.max(0, Math.min(255, c)) << shift;
      }
      out[i] = rgb;
    }
    BufferedImage result = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    result.setRGB(0, 0, w, h, out, 0, w);
    return result;
  }
}
