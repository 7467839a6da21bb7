package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.feedforward.Checkpoint;
import org.stylesweep.feedforward.TransformerNet;
import org.stylesweep.transfer.TestImages;

/** {@code stylize MODEL IMAGES... --out DIR}: results, timings, and the errors a user can make. */
class StylizeCommandTest {
  @TempDir Path dir;

  private Path modelFile(Path file, long seed) throws IOException {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      TransformerNet.Recipe recipe = new TransformerNet.Recipe(List.of(4, 8, 8), 1, 9);
      Checkpoint model =
          new Checkpoint(
              TransformerNet.initialWeights(recipe, seed, manager),
              Map.of(),
              Map.of(),
              new float[0],
              new float[0],
              new float[0]);
      Files.createDirectories(file.getParent());
      Files.write(file, model.encode());
    }
    return file;
  }

  private Path images() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("in"));
    ImageIO.write(TestImages.content(40, 28), "png", folder.resolve("a.png").toFile());
    ImageIO.write(TestImages.style(24, 24), "png", folder.resolve("b.png").toFile());
    return folder;
  }

  @Test
  void stylizesEveryImageOfAFolderAtItsOwnSizeWithTimings() throws IOException {
    Path model = modelFile(dir.resolve("net.safetensors"), 1);
    Path out = dir.resolve("out");

    CliResult r =
        CliResult.execute(
            null, "stylize", model.toString(), images().toString(), "--out", out.toString());

    assertThat(r.code()).as(r.err()).isEqualTo(0);
    assertThat(r.out()).contains("[2/2] b.png 24x24");
    BufferedImage a = ImageIO.read(out.resolve("a.png").toFile());
    assertThat(new int[] {a.getWidth(), a.getHeight()}).containsExactly(40, 28);
    List<String> timings = Files.readAllLines(out.resolve("timings.csv"));
    assertThat(timings).hasSize(3);
    assertThat(timings.get(0)).isEqualTo("image,width,height,ms");
    assertThat(Double.parseDouble(timings.get(1).substring(timings.get(1).lastIndexOf(',') + 1)))
        .isPositive();
  }

  @Test
  void anOutputFolderWithSeveralNetworksNeedsARunId() throws IOException {
    Path sweep = dir.resolve("sweep");
    modelFile(sweep.resolve("models/aaaa/model.safetensors"), 1);
    modelFile(sweep.resolve("models/bbbb/model.safetensors"), 2);
    Path in = images();

    CliResult ambiguous =
        CliResult.execute(
            null,
            "stylize",
            sweep.toString(),
            in.toString(),
            "--out",
            dir.resolve("o1").toString());
    CliResult chosen =
        CliResult.execute(
            null,
            "stylize",
            sweep.toString(),
            in.toString(),
            "--run",
            "bbbb",
            "--out",
            dir.resolve("o2").toString());

    assertThat(ambiguous.code()).isEqualTo(2);
    assertThat(ambiguous.err())
        .contains("2 trained networks")
        .contains("--run")
        .contains("aaaa, bbbb");
    assertThat(chosen.code()).as(chosen.err()).isEqualTo(0);
    assertThat(chosen.out()).contains("models/bbbb/model.safetensors");
  }

  @Test
  void aFileThatIsNotANetworkIsRefusedNamingIt() throws IOException {
    Path bogus = Files.writeString(dir.resolve("vgg.safetensors"), "not a model");

    CliResult r =
        CliResult.execute(
            null,
            "stylize",
            bogus.toString(),
            images().toString(),
            "--out",
            dir.resolve("o").toString());

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("vgg.safetensors");
    assertThat(r.err()).doesNotContain("\tat ");
  }
}
