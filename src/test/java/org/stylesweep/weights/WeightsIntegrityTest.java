package org.stylesweep.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.TestSafetensors;

/**
 * Whole-file checks and the VGG-19 check of downloads, on files written by DJL, the tests and
 * tools/.
 */
class WeightsIntegrityTest {
  @TempDir Path dir;

  @Test
  void safetensorsWrittenByTheTestsIsWhatDjlReads() throws Exception {
    Path file = dir.resolve("w.safetensors");
    Files.write(file, TestSafetensors.vggUpToConv2_1().bytes(3));

    try (NDManager manager = NDManager.newBaseManager()) {
      NDList decoded = NDList.decode(manager, Files.readAllBytes(file));
      Map<String, long[]> header = new LinkedHashMap<>();
      SafetensorsHeader.read(file).entries().forEach((k, e) -> header.put(k, e.shape()));
      Map<String, long[]> djl = new LinkedHashMap<>();
      decoded.forEach(a -> djl.put(a.getName(), a.getShape().getShape()));
      assertThat(header).containsExactlyEntriesOf(djl);
    }
  }

  @Test
  void safetensorsAndNpzWrittenByDjlPassTheCheck() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.randomNormal(new Shape(64, 3, 3, 3));
      weight.setName("features.0.weight");
      NDArray bias = manager.zeros(new Shape(64));
      bias.setName("features.0.bias");
      NDList list = new NDList(weight, bias);
      for (NDList.Encoding encoding :
          new NDList.Encoding[] {NDList.Encoding.SAFETENSORS, NDList.Encoding.NPZ}) {
        Path file = dir.resolve("w." + encoding.name().toLowerCase());
        try (OutputStream out = Files.newOutputStream(file)) {
          list.encode(out, encoding);
        }
        WeightsIntegrity.requireWhole(file, "w");
        assertThat(WeightsCheck.vgg19UpTo("conv1_1").problems(file, "w"))
            .as(encoding.name())
            .isEmpty();
        assertThat(WeightsCheck.vgg19UpTo("conv1_2").problems(file, "w"))
            .as(encoding.name())
            .singleElement()
            .asString()
            .contains("lacks features.2.weight (conv1_2");
      }
    }
  }

  @Test
  void fileWrittenByExportVgg19PyPassesTheCheck() throws Exception {
    // tools/export_vgg19.py's own safetensors writer made this fixture
    // (tools/parity/make_caffe_fixture.py).
    Path file = Path.of(getClass().getResource("/fixtures/caffe_vgg_conv1_2.safetensors").toURI());

    WeightsIntegrity.requireWhole(file, "caffe");
    assertThat(WeightsCheck.vgg19UpTo("relu1_2").problems(file, "caffe")).isEmpty();
  }

  @Test
  void truncatedNpzIsRefusedNamingTheFile() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.zeros(new Shape(64, 3, 3, 3));
      weight.setName("features.0.weight");
      byte[] npz = new NDList(weight).encode(NDList.Encoding.NPZ);
      Path file = dir.resolve("cut.npz");
      Files.write(file, Arrays.copyOf(npz, npz.length / 2));

      assertThatThrownBy(() -> WeightsIntegrity.requireWhole(file, "cut.npz"))
          .hasMessageContaining("weights 'cut.npz': not a readable npz (truncated?)");
    }
  }

  @Test
  void safetensorsShorterThanItsHeaderPromisesIsTruncated() throws Exception {
    byte[] bytes = TestSafetensors.vggUpToConv2_1().bytes(3);
    Path file = dir.resolve("cut.safetensors");
    Files.write(file, Arrays.copyOf(bytes, 5000));

    assertThatThrownBy(() -> WeightsIntegrity.requireWhole(file, "cut.safetensors"))
        .hasMessageContaining(
            "weights 'cut.safetensors': truncated: 5000 bytes, the header promises " + bytes.length)
        .hasMessageContaining("data of 'features.0.weight' is incomplete");
  }

  @Test
  void fileThatIsNeitherFormatIsRefused() throws Exception {
    Path file = dir.resolve("page.safetensors");
    Files.writeString(file, "<html>Rate limit exceeded</html>");

    assertThatThrownBy(() -> WeightsIntegrity.requireWhole(file, "page.safetensors"))
        .hasMessageContaining("not plausible");
  }

  @Test
  void timmKeysBesideTheFeaturesAreIgnored() throws Exception {
    Path file = dir.resolve("timm.safetensors");
    Files.write(
        file,
        new TestSafetensors()
            .put("features.0.weight", 64, 3, 3, 3)
            .put("features.0.bias", 64)
            .put("pre_logits.fc1.weight", 8, 512, 1, 1)
            .put("head.fc.bias", 10)
            .bytes(1));

    assertThat(WeightsCheck.vgg19UpTo("conv1_1").problems(file, "timm")).isEmpty();
  }

  @Test
  void unknownLayerIsRefusedWhenTheCheckIsMade() {
    assertThatThrownBy(() -> WeightsCheck.vgg19UpTo("conv9_9"))
        .hasMessageContaining("unknown VGG-19 layer 'conv9_9'");
  }
}
