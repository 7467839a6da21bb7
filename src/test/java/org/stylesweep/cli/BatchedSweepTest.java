package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spark.Schemas;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.LogCapture;
import org.stylesweep.testing.TinyManifest;

/**
 * A sweep with {@code spark.stylesweep.batchRuns 3}: three seeds of one pair run as one task, one
 * network pass per evaluation for the three, each with its own record, image and metrics row, and
 * the same first losses as a run alone.
 */
@Tag("slow")
class BatchedSweepTest {
  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark =
        LocalSpark.start("local[2]", "BatchedSweepTest", Map.of("spark.stylesweep.batchRuns", "3"));
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @Test
  void threeSeedsRunAsOneBatchWithTheirOwnRows() throws Exception {
    Path manifest =
        TinyManifest.named("batched")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .withDefault("init", "noise")
            .extra("sweep: {seed: [0, 1, 2]}")
            .writeInto(dir);
    Path out = dir.resolve("out");
    String console;
    int code;
    try (LogCapture capture = LogCapture.start()) {
      code =
          StyleSweep.run(spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");
      console = capture.text();
    }
    assertThat(code).as(console).isEqualTo(ExitCodes.OK);
    assertThat(console)
        .contains("3 runs in 1 tasks of up to 3 runs evaluated together")
        .contains("batch of 3 runs evaluated together");
    // every evaluation of the three was one pass, until the runs stopped
    Matcher passes =
        Pattern.compile("batch of 3 runs done: (\\d+) passes for (\\d+) evaluations")
            .matcher(console);
    assertThat(passes.find()).as(console).isTrue();
    assertThat(Integer.parseInt(passes.group(2))).isEqualTo(3 * Integer.parseInt(passes.group(1)));

    List<Row> rows = spark.read().parquet(out.resolve("metrics").toString()).collectAsList();
    assertThat(rows)
        .hasSize(3)
        .allSatisfy(r -> assertThat(r.<String>getAs("status")).isEqualTo(Schemas.OK));
    Map<Long, Double> firstLoss = new HashMap<>();
    for (Row r : rows) {
      firstLoss.put(
          r.<Long>getAs("seed"), (double) r.<Float>getList(r.fieldIndex("loss_history")).get(0));
    }
    assertThat(firstLoss).hasSize(3);
    // the seeds start from different noise: three different runs, not one run three times
    assertThat(firstLoss.values().stream().distinct()).hasSize(3);

    // seed 1 alone, unbatched (a batch of one runs alone), starts at the same loss
    Path alone =
        TinyManifest.named("alone")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .withDefault("init", "noise")
            .withDefault("seed", "1")
            .writeInto(dir.resolve("alone"));
    assertThat(
            StyleSweep.run(
                spark,
                "run",
                alone.toString(),
                "--out",
                dir.resolve("out-alone").toString(),
                "--no-report"))
        .isEqualTo(ExitCodes.OK);
    Row one = spark.read().parquet(dir.resolve("out-alone/metrics").toString()).first();
    double expected = one.<Float>getList(one.fieldIndex("loss_history")).get(0);
    assertThat(firstLoss.get(1L))
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5 * expected));
  }
}
