package org.stylesweep.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Pooling;

/**
 * {@code normalization: caffe} against PyTorch: the fixture holds what neural-style-pt's
 * preprocessing (RGB to BGR, times 255, minus the BGR mean) and VGG-19's first convolutions give
 * for a tiny image, computed by {@code tools/parity/make_caffe_fixture.py} with torch 1.13.
 */
class CaffeNormalizationParityTest {
  private static NDManager manager;
  private static NDList fixture;

  @BeforeAll
  static void load() throws IOException {
    manager = NDManager.newBaseManager(Device.cpu());
    try (InputStream in =
        CaffeNormalizationParityTest.class.getResourceAsStream(
            "/fixtures/caffe_normalization.safetensors")) {
      fixture = NDList.decode(manager, in);
    }
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static NDArray normalized(Normalization normalization) {
    return InputNormalizer.create(normalization, manager, DataType.FLOAT32)
        .apply(fixture.get("image"));
  }

  @Test
  void caffeInputIsBgrTimes255MinusTheMeanAsInTorch() {
    NDArray expected = fixture.get("caffe_input");
    NDArray actual = normalized(Normalization.CAFFE);

    assertThat(actual.getShape()).isEqualTo(expected.getShape());
    // Values reach ~150; float32 rounding of x*255-mean stays well under 1e-3.
    assertThat(actual.sub(expected).abs().max().getFloat()).isLessThan(1e-3f);
  }

  @Test
  void imagenetInputStillMatchesTorchAndDiffersFromCaffe() {
    NDArray imagenet = normalized(Normalization.IMAGENET);

    assertThat(imagenet.sub(fixture.get("imagenet_input")).abs().max().getFloat())
        .isLessThan(1e-5f);
    assertThat(imagenet.sub(fixture.get("caffe_input")).abs().max().getFloat()).isGreaterThan(10f);
  }

  @Test
  void caffeWeightsOnCaffeInputGiveTorchsFeatures() throws URISyntaxException {
    Path weights =
        Path.of(
            CaffeNormalizationParityTest.class
                .getResource("/fixtures/caffe_vgg_conv1_2.safetensors")
                .toURI());
    try (Vgg19 vgg = Vgg19.fromFile(weights, Pooling.MAX, Device.cpu())) {
      Map<String, NDArray> features =
          vgg.forward(
              normalized(Normalization.CAFFE),
              List.of(VggLayers.resolve("conv1_1"), VggLayers.resolve("relu1_2")));

      for (String layer : List.of("conv1_1", "relu1_2")) {
        NDArray expected = fixture.get(layer);
        NDArray actual = features.get(layer);
        float scale = expected.abs().max().getFloat();
        assertThat(actual.getShape()).as(layer).isEqualTo(expected.getShape());
        assertThat(actual.sub(expected).abs().max().getFloat() / scale).as(layer).isLessThan(1e-5f);
      }
    }
  }
}
