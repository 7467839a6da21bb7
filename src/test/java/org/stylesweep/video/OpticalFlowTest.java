package org.stylesweep.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A textured image moving by a known (3, 1) px per frame behind a still textured square: the flow's
 * error on visible pixels and the mask on the disoccluded strip beside the square.
 */
class OpticalFlowTest {
  static final int W = 128;
  static final int H = 96;
  static final double DX = 3;
  static final double DY = 1;
  static OpticalFlow.Field forward;
  static OpticalFlow.Field backward;
  static float[] mask;

  @BeforeAll
  static void flowOfOnePair() {
    BufferedImage prev = SyntheticClip.frame(W, H, 0, DX, DY, true);
    BufferedImage cur = SyntheticClip.frame(W, H, 1, DX, DY, true);
    forward = OpticalFlow.dis(prev, cur);
    backward = OpticalFlow.dis(cur, prev);
    mask = ConsistencyMask.of(forward, backward);
  }

  /** Pixel (x, y) of the current frame shows texture that lay under the square in the previous. */
  static boolean disoccluded(int x, int y) {
    int sx = (int) Math.floor(x - DX);
    int sy = (int) Math.floor(y - DY);
    boolean wasHidden =
        SyntheticClip.inOccluder(W, H, sx, sy)
            || SyntheticClip.inOccluder(W, H, sx + 1, sy + 1)
            || SyntheticClip.inOccluder(W, H, sx, sy + 1)
            || SyntheticClip.inOccluder(W, H, sx + 1, sy);
    return !SyntheticClip.inOccluder(W, H, x, y) && wasHidden;
  }

  /** Texture seen in both frames, away from the square's edges and the frame's border. */
  static boolean visible(int x, int y) {
    int margin = 4;
    if (x < margin + DX || y < margin + DY || x >= W - margin || y >= H - margin) {
      return false;
    }
    for (int dy = -margin; dy <= margin; dy++) {
      for (int dx = -margin; dx <= margin; dx++) {
        if (SyntheticClip.inOccluder(W, H, x + dx, y + dy) || disoccluded(x + dx, y + dy)) {
          return false;
        }
      }
    }
    return true;
  }

  @Test
  void endPointErrorOnVisiblePixelsIsAtMostHalfAPixel() {
    double sum = 0;
    int n = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if (visible(x, y)) {
          sum += Math.hypot(backward.u(x, y) + DX, backward.v(x, y) + DY);
          sum += Math.hypot(forward.u(x, y) - DX, forward.v(x, y) - DY);
          n += 2;
        }
      }
    }
    assertThat(n).isGreaterThan(W * H / 2);
    assertThat(sum / n).as("mean end-point error, px").isLessThanOrEqualTo(0.5);
  }

  @Test
  void atLeast90PercentOfDisoccludedPixelsAreMaskedOut() {
    int disoccluded = 0;
    int masked = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if (disoccluded(x, y)) {
          disoccluded++;
          masked += mask[y * W + x] < 0.1 ? 1 : 0;
        }
      }
    }
    assertThat(disoccluded).isGreaterThan(60);
    assertThat((double) masked / disoccluded).isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void mostVisiblePixelsKeepWeightOne() {
    int visible = 0;
    int kept = 0;
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        if (visible(x, y)) {
          visible++;
          kept += mask[y * W + x] == 1f ? 1 : 0;
        }
      }
    }
    assertThat((double) kept / visible).isGreaterThan(0.9);
  }

  @Test
  void warpingThePreviousFrameAlongTheBackwardFlowPredictsTheCurrentOne() {
    float[] prev =
        org.stylesweep.image.ImageTensors.toPlanar(SyntheticClip.frame(W, H, 0, DX, DY, false))
            .data();
    float[] cur =
        org.stylesweep.image.ImageTensors.toPlanar(SyntheticClip.frame(W, H, 1, DX, DY, false))
            .data();
    OpticalFlow.Field exact = new OpticalFlow.Field(W, H, constant(-DX, -DY));
    float[] warped = OpticalFlow.warp(prev, 3, exact);
    double err = 0;
    int n = 0;
    for (int c = 0; c < 3; c++) {
      for (int y = 2; y < H; y++) {
        for (int x = 4; x < W; x++) {
          int i = c * W * H + y * W + x;
          err += Math.abs(warped[i] - cur[i]);
          n++;
        }
      }
    }
    assertThat(err / n).isLessThan(1.0 / 255);
  }

  @Test
  void floFilesRoundTripAndNameTheFileWhenCorrupt() {
    byte[] bytes = OpticalFlow.toFlo(forward);
    OpticalFlow.Field back = OpticalFlow.fromFlo(bytes, "f.flo");
    assertThat(back.uv()).containsExactly(forward.uv());
    assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PIEH");
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 8);
    assertThatThrownBy(() -> OpticalFlow.fromFlo(cut, "f.flo"))
        .hasMessageContaining("f.flo")
        .hasMessageContaining("truncated");
  }

  private static float[] constant(double u, double v) {
    float[] uv = new float[2 * W * H];
    for (int i = 0; i < W * H; i++) {
      uv[2 * i] = (float) u;
      uv[2 * i + 1] = (float) v;
    }
    return uv;
  }
}
