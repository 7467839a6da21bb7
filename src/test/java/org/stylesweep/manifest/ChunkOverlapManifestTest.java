package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.Params;

/** {@code chunk_overlap} against {@code chunk_frames}: checked before anything runs. */
class ChunkOverlapManifestTest {
  @TempDir Path dir;
  ManifestFixtures fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixtures(dir).withSamples();
    fx.file(
        "jobs/v.yaml",
        """
        name: v
        contents: [../samples/content/red.png]
        styles: [../samples/style/blue.png]
        defaults: {temporal: short}
        """);
  }

  @Test
  void theDefaultOverlapIsFourFramesAndFitsTheDefaultChunk() throws Exception {
    Manifest m = fx.parse("v.yaml");
    assertThat(m.defaults().get(Params.CHUNK_OVERLAP)).isEqualTo(4);
    assertThat(fx.parse("v.yaml", "defaults.chunk_frames=5").defaults().get(Params.CHUNK_OVERLAP))
        .isEqualTo(4);
    assertThat(fx.parse("v.yaml", "defaults.chunk_overlap=0").defaults().get(Params.CHUNK_OVERLAP))
        .isZero();
  }

  @Test
  void anOverlapAsLongAsTheChunkIsRefusedNamingBothKeys() {
    assertThatThrownBy(() -> fx.parse("v.yaml", "defaults.chunk_frames=4"))
        .hasMessageContaining("defaults.chunk_overlap = 4")
        .hasMessageContaining("chunk_overlap (4) must be below chunk_frames (4)")
        .hasMessageContaining("lower chunk_overlap or raise chunk_frames");
    assertThatThrownBy(
            () -> fx.parse("v.yaml", "sweep.chunk_frames=[3, 8]", "defaults.chunk_overlap=3"))
        .hasMessageContaining("chunk_overlap (3) must be below chunk_frames (3)")
        .hasMessageNotContaining("chunk_frames (8)");
  }

  @Test
  void aNegativeOverlapIsRefused() {
    assertThatThrownBy(() -> fx.parse("v.yaml", "defaults.chunk_overlap=-1"))
        .hasMessageContaining("defaults.chunk_overlap")
        .hasMessageContaining("must not be negative");
  }
}
