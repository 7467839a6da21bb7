package org.stylesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cache folder and cache file names. */
class WeightsCacheTest {
  @Test
  void huggingFaceFilesAreNamedAfterTheirRepository() {
    assertThat(WeightsCache.fileNameFor(WeightsDownloader.DEFAULT_URL))
        .isEqualTo("timm--vgg19.tv_in1k--model.safetensors");
  }

  @Test
  void otherUrlsKeepTheirFileName() {
    assertThat(WeightsCache.fileNameFor(URI.create("https://example.org/models/vgg19-caffe.safetensors?x=1")))
        .isEqualTo("vgg19-caffe.safetensors");
  }

  @Test
  void urlWithoutFileNameIsRefused() {
    assertThatThrownBy(() -> WeightsCache.fileNameFor(URI.create("https://example.org/models/")))
        .hasMessageContaining("does not end in a file name");
  }

  @Test
  void environmentVariableMovesTheCache() {
    assertThat(WeightsCache.dirFor(Map.of("STYLESWEEP_CACHE", "/data/cache"), "/home/u"))
        .isEqualTo(Path.of("/data/cache"));
    assertThat(WeightsCache.dirFor(Map.of(), "/home/u")).isEqualTo(Path.of("/home/u/.cache/stylesweep"));
  }
}
