package org.stylesweep.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.ModelConfig;

/** Cache file names. */
class WeightsCacheTest {
  @Test
  void huggingFaceFilesAreNamedAfterTheirRepository() {
    assertThat(WeightsCache.fileNameFor(URI.create(ModelConfig.DEFAULT_WEIGHTS_URL)))
        .isEqualTo("vgg19.tv_in1k.safetensors");
    assertThat(
            WeightsCache.fileNameFor(
                URI.create("https://huggingface.co/org/vgg/resolve/v1.0/weights/caffe.npz")))
        .isEqualTo("vgg--weights-caffe.npz");
  }

  @Test
  void otherUrlsKeepTheirFileName() {
    assertThat(
            WeightsCache.fileNameFor(
                URI.create("https://example.org/models/vgg19-caffe.safetensors?x=1")))
        .isEqualTo("vgg19-caffe.safetensors");
  }

  @Test
  void urlWithoutFileNameIsRefused() {
    assertThatThrownBy(() -> WeightsCache.fileNameFor(URI.create("https://example.org/models/")))
        .hasMessageContaining("does not end in a file name");
  }
}
