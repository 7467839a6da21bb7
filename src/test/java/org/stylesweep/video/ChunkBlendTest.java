package org.stylesweep.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ChunkBlendTest {

  @Test
  void theWeightOfTheNextChainRisesInEqualStepsAcrossTheOverlap() {
    assertThat(ChunkBlend.alpha(0, 4)).isEqualTo(0.2);
    assertThat(ChunkBlend.alpha(1, 4)).isEqualTo(0.4);
    assertThat(ChunkBlend.alpha(2, 4)).isEqualTo(0.6);
    assertThat(ChunkBlend.alpha(3, 4)).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(ChunkBlend.alpha(0, 1)).isEqualTo(0.5);
    assertThatThrownBy(() -> ChunkBlend.alpha(4, 4)).hasMessageContaining("overlap of 4 frames");
    assertThatThrownBy(() -> ChunkBlend.alpha(0, 0)).hasMessageContaining("overlap of 0 frames");
  }

  @Test
  void boundariesAreTheFirstFramesOfEveryChunkAfterTheFirst() {
    assertThat(ChunkBlend.boundaries(24, 8)).containsExactly(8, 16);
    assertThat(ChunkBlend.boundaries(25, 8)).containsExactly(8, 16, 24);
    assertThat(ChunkBlend.boundaries(8, 8)).isEmpty();
    assertThat(ChunkBlend.boundaries(5, 2)).containsExactly(2, 4);
  }

  @Test
  void aBlendMixesEachChannelByAlphaRoundedToNearest() {
    BufferedImage a = solid(2, 1, 0x000000);
    BufferedImage b = solid(2, 1, 0xff6403); // 255, 100, 3
    a.setRGB(1, 0, 0x0a141e); // 10, 20, 30

    BufferedImage quarter = ChunkBlend.blend(a, b, 0.25);

    // 0.25·255 = 63.75 → 64, 0.25·100 = 25, 0.25·3 = 0.75 → 1
    assertThat(quarter.getRGB(0, 0) & 0xffffff).isEqualTo(0x401901);
    // 0.75·(10, 20, 30) + 0.25·(255, 100, 3) = (71.25, 40, 23.25) → (71, 40, 23)
    assertThat(quarter.getRGB(1, 0) & 0xffffff).isEqualTo(0x472817);
    assertThat(ChunkBlend.blend(a, b, 0).getRGB(1, 0)).isEqualTo(a.getRGB(1, 0));
    assertThat(ChunkBlend.blend(a, b, 1).getRGB(0, 0)).isEqualTo(b.getRGB(0, 0));
  }

  @Test
  void framesOfDifferentSizesAreRefusedNamingBoth() {
    assertThatThrownBy(() -> ChunkBlend.blend(solid(4, 3, 0), solid(3, 3, 0), 0.5))
        .hasMessageContaining("4x3")
        .hasMessageContaining("3x3");
  }

  private static BufferedImage solid(int w, int h, int rgb) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }
}
