package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spark.Schemas;
import org.stylesweep.testing.BombPng;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.LogCapture;
import org.stylesweep.testing.TinyManifest;

/**
 * Inputs that used to kill the driver or block an output folder (issue 18, items 1 and 3), end to
 * end on Spark local mode: a decompression-bomb PNG is one FAILED row (and stays one row when run
 * again), an image too thin for the deepest layer is one rejected row naming it (item 10), and a
 * truncated record counts as not done, is set aside and its run is computed again.
 */
@Tag("slow")
class HostileInputsTest {
  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("HostileInputsTest");
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  private static List<Row> metrics(Path out) {
    return spark.read().parquet(out.resolve("metrics").toString()).collectAsList();
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    }
  }

  @Test
  void decompressionBombIsOneFailedRowNamingTheFileAndTheOtherRunsFinish() throws Exception {
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, BombPng.of(20000, 20000));
    Path manifest =
        TinyManifest.named("bomb")
            .contents(sample("content/cat.png"), bomb)
            .styles(sample("style/mosaic.png"))
            .writeInto(dir);
    Path out = dir.resolve("out");

    CliResult run = CliResult.execute(spark, "run", manifest.toString(), "--out", out.toString());

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.RUNS_FAILED);
    assertThat(run.out()).contains("2 runs: 1 OK, 1 FAILED");
    List<Row> rows = metrics(out);
    assertThat(rows).hasSize(2);
    Row failed =
        rows.stream()
            .filter(r -> Schemas.FAILED.equals(r.getAs("status")))
            .findFirst()
            .orElseThrow();
    assertThat(failed.<String>getAs("content")).endsWith("bomb.png");
    assertThat(failed.<String>getAs("error"))
        .contains(bomb.toString())
        .contains("20000 x 20000 pixels")
        .contains("stylesweep.maxInputPixels");
    assertThat(out.resolve("report/index.html"))
        .as("the report marks the input, it does not decode it")
        .isRegularFile();

    // A rerun after the bomb tries its run again (only it) and still ends with one row per run.
    CliResult again =
        CliResult.execute(
            spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");
    assertThat(again.code()).as(again.err()).isEqualTo(ExitCodes.RUNS_FAILED);
    assertThat(again.out()).contains("2 runs: 1 OK, 1 FAILED (1 computed now, 1 already OK)");
    assertOneRowPerRun(out, 2);
  }

  /** Exactly {@code runs} rows in OUT/metrics, one per run id. */
  static void assertOneRowPerRun(Path out, int runs) {
    List<Row> rows = metrics(out);
    assertThat(rows).hasSize(runs);
    assertThat(rows.stream().map(r -> r.<String>getAs("run_id")).distinct()).hasSize(runs);
  }

  @Test
  void imageTooThinForTheDeepestLayerIsARejectedRowNamingTheFileItsSizeAndTheSideThatWorks()
      throws Exception {
    Path thin = dir.resolve("thin.png");
    java.awt.image.BufferedImage image =
        new java.awt.image.BufferedImage(4000, 10, java.awt.image.BufferedImage.TYPE_INT_RGB);
    javax.imageio.ImageIO.write(image, "png", thin.toFile());
    Path manifest =
        TinyManifest.named("thin")
            .contents(sample("content/cat.png"), thin)
            .styles(sample("style/mosaic.png"))
            .styleLayers("[conv1_1, conv5_1]")
            .writeInto(dir);
    Path out = dir.resolve("out");

    CliResult run =
        CliResult.execute(
            spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.RUNS_FAILED);
    assertThat(run.out()).contains("2 runs: 1 OK, 1 FAILED");
    Row failed =
        metrics(out).stream()
            .filter(r -> Schemas.FAILED.equals(r.getAs("status")))
            .findFirst()
            .orElseThrow();
    assertThat(failed.<String>getAs("stop_reason")).isEqualTo("rejected");
    assertThat(failed.<String>getAs("error"))
        .contains("the content image ")
        .contains(thin + " (4000x10 px, resized to 32x1)")
        .contains("too thin for layer conv5_1")
        .contains("at least 16 px after resizing")
        .doesNotContain("Output size is too small");
    assertThat(CliResult.execute(spark, "show", out.toString(), "--json").out())
        .contains("too thin for layer conv5_1");
  }

  @Test
  void truncatedRecordCountsAsNotDoneIsSetAsideAndItsRunIsComputedAgain() throws Exception {
    Path manifest =
        TinyManifest.named("cut")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .extra("sweep: {seed: [0, 1]}")
            .writeInto(dir);
    Path out = dir.resolve("out");
    CliResult first =
        CliResult.execute(
            spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.OK);

    Path records = out.resolve("records");
    String cut = names(records).get(0);
    byte[] bytes = Files.readAllBytes(records.resolve(cut));
    Files.write(records.resolve(cut), java.util.Arrays.copyOf(bytes, 300));
    // A crash before the table was rebuilt: show falls back to the records.
    Files.walk(out.resolve("metrics"))
        .sorted(java.util.Comparator.reverseOrder())
        .map(Path::toFile)
        .forEach(java.io.File::delete);

    CliResult show;
    try (LogCapture log = LogCapture.start()) {
      show = CliResult.execute(spark, "show", out.toString());
      assertThat(log.text())
          .contains(cut)
          .contains("does not parse")
          .doesNotContain("MALFORMED_RECORD");
    }
    assertThat(show.code()).as(show.err()).isEqualTo(ExitCodes.OK);
    assertThat(show.out()).contains("1 runs of sweep cut: 1 OK, 0 FAILED");
    assertThat(names(records)).as("show changes nothing").contains(cut);

    CliResult again;
    try (LogCapture log = LogCapture.start()) {
      again =
          CliResult.execute(
              spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");
      assertThat(log.text()).contains(cut).contains("set aside as " + cut + ".corrupt-");
    }
    assertThat(again.code()).as(again.err()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("2 runs: 2 OK, 0 FAILED (1 computed now, 1 already OK)");
    assertThat(names(records))
        .contains(cut)
        .anyMatch(n -> n.startsWith(cut + ".corrupt-"))
        .hasSize(3);
    assertOneRowPerRun(out, 2);
  }
}
