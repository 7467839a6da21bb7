package org.stylesweep.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.ModelConfig;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.WeightsSource;
import org.stylesweep.testing.TestSafetensors;

class WeightsResolverTest {
  @TempDir Path dir;

  ModelConfig config(String weights) {
    return new ModelConfig(
        WeightsSource.parse(weights),
        ModelConfig.DEFAULT_WEIGHTS_URL,
        null,
        Normalization.IMAGENET,
        Pooling.AVG,
        DeviceChoice.CPU);
  }

  WeightsResolver resolver() {
    return new WeightsResolver(
        new Configuration(), new org.apache.hadoop.fs.Path(dir.resolve("cache").toString()));
  }

  @Test
  void randomWeightsAreUsedAsTheyAre() throws IOException {
    WeightsResolver.Resolution r = resolver().resolve(config("random:7"), true);

    assertThat(r.model().weights().spelling()).isEqualTo("random:7");
    assertThat(r.model().weightsId()).isEqualTo("random:7");
    assertThat(r.model().pooling()).isEqualTo(Pooling.AVG);
    assertThat(r.model().device()).isEqualTo(DeviceChoice.CPU);
    assertThat(r.warning()).isNull();
  }

  @Test
  void explicitFileIdIsItsNamePlusAShortHashOfItsBytes() throws IOException {
    Path file = dir.resolve("my.safetensors");
    Files.writeString(file, "first");
    String first = resolver().resolve(config(file.toString()), true).model().weightsId();
    Files.writeString(file, "second");
    WeightsResolver.Resolution second = resolver().resolve(config(file.toString()), true);

    assertThat(first).matches("my\\.safetensors@[0-9a-f]{12}");
    assertThat(second.model().weightsId())
        .matches("my\\.safetensors@[0-9a-f]{12}")
        .isNotEqualTo(first);
    assertThat(second.model().weights().spelling()).isEqualTo("file:" + file);
  }

  @Test
  void missingExplicitFileIsNamed() {
    assertThatThrownBy(() -> resolver().resolve(config(dir.resolve("gone.npz").toString()), true))
        .hasMessageContaining("weights file not found: file:" + dir.resolve("gone.npz"));
  }

  @Test
  void autoUsesTheCachedFile() throws IOException {
    Files.createDirectories(dir.resolve("cache"));
    Files.write(
        dir.resolve("cache").resolve(WeightsResolver.CACHE_FILE_NAME),
        TestSafetensors.vggUpToConv2_1().bytes(1));

    WeightsResolver.Resolution r = resolver().resolve(config("auto"), false);

    assertThat(r.model().weightsId()).startsWith(WeightsResolver.CACHE_FILE_NAME + "@");
    assertThat(r.warning()).isNull();
  }

  @Test
  void autoWithoutWeightsFallsBackToRandomZeroLoudly() throws IOException {
    WeightsResolver.AutoSource failing =
        (c, cache, mayDownload) -> {
          throw new IOException("connection refused: " + c.weightsUrl());
        };
    WeightsResolver.AutoSource empty = (c, cache, mayDownload) -> Optional.empty();
    WeightsResolver resolver =
        new WeightsResolver(
            new Configuration(),
            new org.apache.hadoop.fs.Path(dir.resolve("cache").toString()),
            List.of(empty, failing));

    WeightsResolver.Resolution r = resolver.resolve(config("auto"), true);

    assertThat(r.model().weights().spelling()).isEqualTo("random:0");
    assertThat(r.model().weightsId()).isEqualTo("random:0");
    assertThat(r.warning())
        .contains("NO PRETRAINED WEIGHTS")
        .contains("connection refused: " + ModelConfig.DEFAULT_WEIGHTS_URL)
        .contains("fetch-weights")
        .contains(dir.resolve("cache").resolve(WeightsResolver.CACHE_FILE_NAME).toString());
  }

  @Test
  void cacheFolderComesFromTheEnvironmentElseHome() {
    assertThat(WeightsResolver.defaultCacheDir(Map.of("STYLESWEEP_CACHE", "/data/w"), "/home/u"))
        .hasToString("/data/w");
    assertThat(WeightsResolver.defaultCacheDir(Map.of(), "/home/u"))
        .hasToString("/home/u/.cache/stylesweep");
  }
}
