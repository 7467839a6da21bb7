package org.stylesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stylesweep.spec.Pooling;

class VggWeightsTest {

  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager(Device.cpu());
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static Vgg19 load(byte[] bytes, String name) {
    return Vgg19.fromStream(new ByteArrayInputStream(bytes), name, Pooling.MAX, Device.cpu());
  }

  @ParameterizedTest
  @EnumSource(
      value = NDList.Encoding.class,
      names = {"SAFETENSORS", "NPZ"})
  void partialFileLoadsWithTorchvisionKeysAndValues(NDList.Encoding encoding) {
    Map<String, NDArray> tensors = WeightFiles.features(manager, 4, "");
    try (Vgg19 model = load(WeightFiles.encode(tensors, encoding), "block12")) {
      assertThat(model.layerCount()).isEqualTo(4);
      assertThat(model.weight(2).getShape()).isEqualTo(new Shape(128, 64, 3, 3));
      assertThat(model.weight(3).toFloatArray())
          .isEqualTo(tensors.get("features.7.weight").toFloatArray());
      assertThat(model.bias(1).toFloatArray())
          .isEqualTo(tensors.get("features.2.bias").toFloatArray());
      model.requireLayer(VggLayers.resolve("pool2"));
      assertThatThrownBy(() -> model.requireLayer(VggLayers.resolve("conv3_1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("features.10.weight")
          .hasMessageContaining("(256, 128, 3, 3)")
          .hasMessageContaining("conv2_2");
    }
  }

  @Test
  void anyPrefixBeforeFeaturesAndBareIndicesAreAccepted() {
    Map<String, NDArray> prefixed = WeightFiles.features(manager, 2, "model.vgg.");
    prefixed.put("classifier.0.weight", manager.zeros(new Shape(4, 2)));
    try (Vgg19 model =
        load(WeightFiles.encode(prefixed, NDList.Encoding.SAFETENSORS), "prefixed")) {
      assertThat(model.layerCount()).isEqualTo(2);
    }
    Map<String, NDArray> bare = new LinkedHashMap<>();
    WeightFiles.features(manager, 2, "")
        .forEach((k, v) -> bare.put(k.substring("features.".length()), v));
    try (Vgg19 model = load(WeightFiles.encode(bare, NDList.Encoding.NPZ), "bare")) {
      assertThat(model.layerCount()).isEqualTo(2);
    }
  }

  @Test
  void handWrittenSafetensorsLoad() {
    Map<String, float[]> values = new LinkedHashMap<>();
    Map<String, long[]> shapes = new LinkedHashMap<>();
    float[] weight = new float[64 * 3 * 3 * 3];
    for (int i = 0; i < weight.length; i++) {
      weight[i] = (i % 7) - 3;
    }
    float[] bias = new float[64];
    bias[5] = 2.5f;
    values.put("features.0.weight", weight);
    shapes.put("features.0.weight", new long[] {64, 3, 3, 3});
    values.put("features.0.bias", bias);
    shapes.put("features.0.bias", new long[] {64});
    try (Vgg19 model =
        load(WeightFiles.handWrittenSafetensors(values, shapes), "hand.safetensors")) {
      assertThat(model.layerCount()).isEqualTo(1);
      assertThat(model.weight(0).toFloatArray()).isEqualTo(weight);
      assertThat(model.bias(0).getFloat(5)).isEqualTo(2.5f);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = NDList.Encoding.class,
      names = {"SAFETENSORS", "NPZ"})
  void wrongShapeNamesKeyExpectedAndFoundShape(NDList.Encoding encoding) throws IOException {
    Map<String, NDArray> tensors = WeightFiles.features(manager, 3, "");
    tensors.put("features.5.weight", manager.zeros(new Shape(128, 32, 3, 3)));
    byte[] bytes = WeightFiles.encode(tensors, encoding);
    assertThatThrownBy(() -> load(bytes, "bad.file"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'bad.file'")
        .hasMessageContaining("features.5.weight")
        .hasMessageContaining("conv2_1")
        .hasMessageContaining("has shape (128, 32, 3, 3), expected (128, 64, 3, 3)");
    List<VggWeights.Problem> problems =
        VggWeights.validate(new ByteArrayInputStream(bytes), "bad.file", "conv1_2");
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("features.5.weight");
              assertThat(p.expectedShape()).isEqualTo("(128, 64, 3, 3)");
              assertThat(p.foundShape()).isEqualTo("(128, 32, 3, 3)");
            });
  }

  @ParameterizedTest
  @EnumSource(
      value = NDList.Encoding.class,
      names = {"SAFETENSORS", "NPZ"})
  void fileNotCoveringDeepestLayerNamesFirstMissingKey(NDList.Encoding encoding)
      throws IOException {
    Map<String, NDArray> tensors = WeightFiles.features(manager, 4, "");
    tensors.remove("features.5.bias");
    byte[] bytes = WeightFiles.encode(tensors, encoding);
    List<VggWeights.Problem> problems =
        VggWeights.validate(new ByteArrayInputStream(bytes), "short.npz", "conv2_2");
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.key()).isEqualTo("features.5.bias");
              assertThat(p.expectedShape()).isEqualTo("(128)");
              assertThat(p.foundShape()).isNull();
              assertThat(p.message())
                  .contains(
                      "'short.npz'",
                      "lacks features.5.bias",
                      "conv2_1",
                      "up to conv1_2",
                      "conv2_2");
            });
    assertThat(VggWeights.validate(new ByteArrayInputStream(bytes), "short.npz", "pool1"))
        .isEmpty();
    try (Vgg19 model = load(bytes, "short.npz")) {
      assertThat(model.layerCount()).isEqualTo(2);
    }
  }

  @Test
  void fileWithoutVggKeysIsRejectedWithItsKeys() {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    tensors.put("encoder.conv.weight", manager.zeros(new Shape(2, 2)));
    byte[] bytes = WeightFiles.encode(tensors, NDList.Encoding.SAFETENSORS);
    assertThatThrownBy(() -> load(bytes, "other.safetensors"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("lacks features.0.weight")
        .hasMessageContaining("(64, 3, 3, 3)")
        .hasMessageContaining("encoder.conv.weight");
  }

  @Test
  void batchNormVariantIsRecognized() throws IOException {
    Map<String, NDArray> tensors = WeightFiles.features(manager, 1, "");
    tensors.put("features.1.weight", manager.ones(new Shape(64)));
    List<VggWeights.Problem> problems =
        VggWeights.validate(
            new ByteArrayInputStream(WeightFiles.encode(tensors, NDList.Encoding.SAFETENSORS)),
            "bn",
            "conv1_1");
    assertThat(problems)
        .singleElement()
        .extracting(VggWeights.Problem::message)
        .asString()
        .contains("features.1", "relu1_1", "vgg19_bn");
  }

  @Test
  void garbageIsNeitherFormat() {
    byte[] bytes = "this is not a weights file at all".getBytes();
    assertThatThrownBy(() -> VggWeights.readHeader(new ByteArrayInputStream(bytes), "notes.txt"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("'notes.txt' is neither safetensors nor npz");
    assertThatThrownBy(() -> load(bytes, "notes.txt"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("notes.txt");
  }

  @Test
  void halfPrecisionWeightsLoadAsFloat32(@TempDir Path dir) throws IOException {
    Map<String, NDArray> tensors = WeightFiles.features(manager, 1, "");
    Map<String, NDArray> half = new LinkedHashMap<>();
    tensors.forEach((k, v) -> half.put(k, v.toType(DataType.FLOAT16, false)));
    Path file = dir.resolve("half.safetensors");
    Files.write(file, WeightFiles.encode(half, NDList.Encoding.SAFETENSORS));
    assertThat(VggWeights.validate(file, "conv1_1")).isEmpty();
    try (Vgg19 model = Vgg19.fromFile(file, Pooling.AVG, Device.cpu())) {
      assertThat(model.dataType()).isEqualTo(DataType.FLOAT32);
      assertThat(model.weight(0).toFloatArray()[100])
          .isCloseTo(
              tensors.get("features.0.weight").toFloatArray()[100],
              org.assertj.core.data.Offset.offset(1e-3f));
    }
  }
}
