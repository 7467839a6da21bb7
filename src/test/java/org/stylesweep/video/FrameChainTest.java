package org.stylesweep.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.Temporal;
import org.stylesweep.transfer.TemporalGuide;

class FrameChainTest {
  static final int W = 8;
  static final int H = 6;

  static OpticalFlow.Field still() {
    return new OpticalFlow.Field(W, H, new float[2 * W * H]);
  }

  static float[] image(float value) {
    float[] v = new float[3 * W * H];
    java.util.Arrays.fill(v, value);
    return v;
  }

  @Test
  void framesLookBackOneForShortAndOneTwoFourForLong() {
    assertThat(FrameChain.lookBack(Temporal.NONE, 5)).isEmpty();
    assertThat(FrameChain.lookBack(Temporal.SHORT, 0)).isEmpty();
    assertThat(FrameChain.lookBack(Temporal.SHORT, 3)).containsExactly(1);
    assertThat(FrameChain.lookBack(Temporal.LONG, 3)).containsExactly(1, 2);
    assertThat(FrameChain.lookBack(Temporal.LONG, 9)).containsExactly(1, 2, 4);
  }

  @Test
  void longTermWeightsTieEachPixelToTheNearestFrameThatSeesIt() {
    FrameChain.Pair pair = new FrameChain.Pair(still(), still());
    TemporalGuide guide =
        FrameChain.guide(
            W, H, List.of(image(0.2f), image(0.4f), image(0.6f)), List.of(pair, pair, pair));

    assertThat(guide.init()).containsOnly(0.2f);
    assertThat(guide.weights().get(0)).containsOnly(1f);
    assertThat(guide.weights().get(1)).containsOnly(0f);
    assertThat(guide.weights().get(2)).containsOnly(0f);
  }

  @Test
  void theTemporalErrorIsTheMeanMaskedDifferenceToTheWarpedPreviousFrame() {
    FrameChain.Pair pair = new FrameChain.Pair(still(), still());
    assertThat(FrameChain.temporalError(image(0.5f), image(0.5f), pair)).isZero();
    assertThat(FrameChain.temporalError(image(0.7f), image(0.5f), pair))
        .isCloseTo(0.2, within(1e-6));
  }
}
