package org.stylesweep.model;

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

/** Header-only shape reading agrees with what DJL loads, for safetensors and npz. */
class WeightsShapesTest {
  @TempDir Path dir;

  @Test
  void safetensorsWrittenByTheTestsIsWhatDjlReads() throws Exception {
    Path file = dir.resolve("w.safetensors");
    Files.write(file, TestSafetensors.vggUpToConv2_1().bytes(3));

    try (NDManager manager = NDManager.newBaseManager()) {
      NDList decoded = NDList.decode(manager, Files.readAllBytes(file));
      assertThat(WeightsShapes.read(file)).containsExactlyEntriesOf(shapes(decoded));
      assertThat(decoded.get("features.5.weight").getShape()).isEqualTo(new Shape(128, 64, 3, 3));
    }
  }

  @Test
  void safetensorsAndNpzWrittenByDjlGiveTheirShapes() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList list = new NDList();
      NDArray weight = manager.randomNormal(new Shape(64, 3, 3, 3));
      weight.setName("features.0.weight");
      NDArray bias = manager.zeros(new Shape(64));
      bias.setName("features.0.bias");
      list.add(weight);
      list.add(bias);
      for (NDList.Encoding encoding : new NDList.Encoding[] {NDList.Encoding.SAFETENSORS, NDList.Encoding.NPZ}) {
        Path file = dir.resolve("w." + encoding.name().toLowerCase());
        try (OutputStream out = Files.newOutputStream(file)) {
          list.encode(out, encoding);
        }
        Map<String, long[]> read = WeightsShapes.read(file);
        assertThat(read).as(encoding.name()).containsOnlyKeys("features.0.weight", "features.0.bias");
        assertThat(read.get("features.0.weight")).containsExactly(64, 3, 3, 3);
        assertThat(read.get("features.0.bias")).containsExactly(64);
        assertThat(VggShapeCheck.upTo("conv1_1").problems(file)).as(encoding.name()).isEmpty();
      }
    }
  }

  @Test
  void truncatedNpzIsRefusedNamingTheFile() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.zeros(new Shape(64, 3, 3, 3));
      weight.setName("features.0.weight");
      byte[] npz = new NDList(weight).encode(NDList.Encoding.NPZ);
      Path file = dir.resolve("cut.npz");
      Files.write(file, Arrays.copyOf(npz, npz.length / 2));

      assertThatThrownBy(() -> WeightsShapes.read(file)).hasMessageContaining(file.toString())
          .hasMessageContaining("truncated");
    }
  }

  @Test
  void headerPromisingMoreBytesThanTheFileHoldsIsTruncated() throws Exception {
    byte[] bytes = TestSafetensors.vggUpToConv2_1().bytes(3);
    Path file = dir.resolve("cut.safetensors");
    Files.write(file, Arrays.copyOf(bytes, 5000));

    assertThatThrownBy(() -> SafetensorsHeader.read(file))
        .hasMessageContaining("truncated: 5000 bytes, the header promises " + bytes.length)
        .hasMessageContaining("data of 'features.0.weight' is incomplete");
  }

  @Test
  void fileThatIsNotSafetensorsIsRefused() throws Exception {
    Path file = dir.resolve("page.safetensors");
    Files.writeString(file, "<html>Rate limit exceeded</html>");

    assertThatThrownBy(() -> WeightsShapes.read(file)).hasMessageContaining("not plausible");
  }

  @Test
  void timmKeysBesideTheFeaturesAreIgnoredAndThePrefixIsOptional() throws Exception {
    Path file = dir.resolve("timm.safetensors");
    Files.write(file, new TestSafetensors()
        .put("0.weight", 64, 3, 3, 3).put("0.bias", 64)
        .put("pre_logits.fc1.weight", 8, 512, 1, 1).put("head.fc.bias", 10).bytes(1));

    assertThat(VggShapeCheck.upTo("conv1_1").problems(file)).isEmpty();
    assertThat(VggShapeCheck.upTo("conv1_2").problems(file))
        .containsExactly("missing key features.2.weight (conv1_2), expected shape (64, 64, 3, 3)",
            "missing key features.2.bias (conv1_2), expected shape (64)");
  }

  private static Map<String, long[]> shapes(NDList list) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    for (NDArray array : list) {
      shapes.put(array.getName(), array.getShape().getShape());
    }
    return shapes;
  }
}
