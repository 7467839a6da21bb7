package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spark.Schemas;
import org.stylesweep.testing.FaultyLocalFileSystem;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.LogCapture;
import org.stylesweep.testing.TinyManifest;

/**
 * Surviving a lost executor, in local mode with task retries ({@code local[2,3]}: two slots, a task
 * may fail three times). The fault strikes at the worst moment: a run's record has just been
 * published, and its task dies before telling the driver. Spark retries that task; the retry must
 * find the record and return it instead of computing the run again, and no run may end up with a
 * second record or row. The other runs, finished by then or running beside it, are untouched.
 *
 * <p>Everything, inputs included, goes through the {@code faulty:} file system (the local disk plus
 * the fault), which also counts how often tasks opened each input image.
 */
@Tag("slow")
class ExecutorLossTest {

  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark =
        LocalSpark.start(
            "local[2,3]",
            "ExecutorLossTest",
            LocalSpark.hadoopSettings(FaultyLocalFileSystem.hadoopSettings()));
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @AfterEach
  void disarm() {
    FaultyLocalFileSystem.reset();
  }

  @Test
  void runWhoseTaskDiesAfterItsRecordIsWrittenIsNeitherRecomputedNorDuplicated() throws Exception {
    for (String image :
        List.of("content/cat.png", "content/coffee.png", "style/mosaic.png", "style/swirl.png")) {
      Path copy = dir.resolve("samples").resolve(image);
      Files.createDirectories(copy.getParent());
      Files.copy(TinyManifest.sample(image), copy);
    }
    Path manifest =
        TinyManifest.named("loss")
            .contents("../samples/content/cat.png", "../samples/content/coffee.png")
            .styles("../samples/style/mosaic.png", "../samples/style/swirl.png")
            .writeTo(dir.resolve("jobs/loss.yaml"));
    Path out = dir.resolve("out");
    // The first record to be published is the victim.
    FaultyLocalFileSystem.failOnceAfterPublishing(
        target ->
            target.getParent().getName().equals("records") && target.getName().endsWith(".json"));

    int code;
    String logs;
    try (LogCapture capture = LogCapture.start()) {
      code = StyleSweep.run(spark, "run", faulty(manifest), "--out", faulty(out), "--no-report");
      logs = capture.text();
    }

    assertThat(code).as(logs).isEqualTo(ExitCodes.OK);
    org.apache.hadoop.fs.Path victim = FaultyLocalFileSystem.firedOn();
    assertThat(victim).as("the fault struck").isNotNull();
    assertThat(logs).contains("simulated executor loss");
    assertThat(logs).contains("4 runs: 4 OK, 0 FAILED (4 computed now, 0 already OK)");

    // Not recomputed: the retry returned the record the lost attempt wrote, byte for byte (a
    // recomputation would carry a new started_at and timings), and no task read an input image
    // more often than the runs that use it (two runs each).
    String victimRecord = Files.readString(out.resolve("records").resolve(victim.getName()));
    assertThat(victimRecord.trim()).isEqualTo(FaultyLocalFileSystem.contentWhenFaultFired().trim());
    assertThat(logs).contains("found the record of an earlier attempt");
    for (String image : List.of("cat.png", "coffee.png", "mosaic.png", "swirl.png")) {
      assertThat(FaultyLocalFileSystem.opensInTasks(image))
          .as("task-side opens of %s", image)
          .isEqualTo(2);
    }

    // Not duplicated: one record per run, no temporary files, one row per run.
    try (Stream<Path> records = Files.list(out.resolve("records"))) {
      assertThat(records.map(p -> p.getFileName().toString()))
          .hasSize(4)
          .allMatch(name -> name.endsWith(".json") && !name.startsWith("."));
    }
    List<Row> rows = spark.read().parquet(out.resolve("metrics").toString()).collectAsList();
    assertThat(rows).hasSize(4).allMatch(r -> Schemas.OK.equals(r.getAs("status")));
    assertThat(rows.stream().map(r -> r.<String>getAs("run_id")).distinct()).hasSize(4);
    String victimRunId = victim.getName().replaceFirst("\\.json$", "");
    assertThat(rows).filteredOn(r -> victimRunId.equals(r.getAs("run_id"))).hasSize(1);
  }

  private static String faulty(Path local) throws IOException {
    return FaultyLocalFileSystem.SCHEME + "://" + local.toAbsolutePath();
  }
}
