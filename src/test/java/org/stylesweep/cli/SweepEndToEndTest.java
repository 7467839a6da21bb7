package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.SAMPLES;
import static org.stylesweep.testing.TinyManifest.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spark.Schemas;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.TinyManifest;

/**
 * The sweep command end to end on Spark local[2] with random weights, 32 px images and a few L-BFGS
 * evaluations: results, resume after a crash, failed runs, bad input, validate and show.
 */
@Tag("slow")
class SweepEndToEndTest {
  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("SweepEndToEndTest");
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  static CliResult cli(String... args) {
    return CliResult.execute(spark, args);
  }

  String twoByTwo() {
    return TinyManifest.named("grid")
        .contents(sample("content/cat.png"), sample("content/coffee.png"))
        .styles(sample("style/mosaic.png"), sample("style/swirl.png"))
        .writeInto(dir)
        .toString();
  }

  static List<Path> files(Path folder, String suffix) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
    }
  }

  static Map<Path, FileTime> modified(List<Path> paths) throws IOException {
    Map<Path, FileTime> times = new HashMap<>();
    for (Path p : paths) {
      times.put(p, Files.getLastModifiedTime(p));
    }
    return times;
  }

  @Test
  void fourRunSweepGivesFourOkRowsAndImagesAndRerunAddsNothing() throws Exception {
    Path out = dir.resolve("out");
    CliResult run = cli("run", twoByTwo(), "--out", out.toString());

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("4 runs: 4 OK, 0 FAILED (4 computed now, 0 already OK)");
    assertThat(out.resolve("report/index.html")).isRegularFile();
    assertThat(files(out.resolve("grids"), ".png")).isNotEmpty();
    assertThat(files(out.resolve("images"), ".png")).hasSize(4);
    List<Path> records = files(out.resolve("records"), ".json");
    assertThat(records).hasSize(4);
    assertThat(Files.readString(out.resolve("manifest.yaml")))
        .contains("name: grid")
        .contains(SAMPLES.toString());
    List<Row> metrics = spark.read().parquet(out.resolve("metrics").toString()).collectAsList();
    assertThat(metrics)
        .hasSize(4)
        .allSatisfy(
            r -> {
              assertThat(r.<String>getAs("status")).isEqualTo(Schemas.OK);
              assertThat(r.<Integer>getAs("evaluations")).isBetween(1, 4);
              assertThat(r.<Integer>getAs("width")).isEqualTo(32);
              assertThat(r.<String>getAs("weights_id")).isEqualTo("random:0");
              assertThat(r.<String>getAs("device")).isEqualTo("cpu()");
              assertThat(r.<Object>getAs("started_at")).isNotNull();
            });

    CliResult json = cli("show", out.toString(), "--json");
    assertThat(json.code()).as(json.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = json.out().lines().toList();
    assertThat(lines).hasSize(4);
    for (String line : lines) {
      JsonNode row = new ObjectMapper().readTree(line);
      List<String> keys = new ArrayList<>();
      row.fieldNames().forEachRemaining(keys::add);
      assertThat(keys).containsExactly(Schemas.METRICS.fieldNames());
      assertThat(row.get("loss_history").size()).isEqualTo(row.get("evaluations").asInt());
    }

    Files.delete(out.resolve("report/index.html"));
    CliResult report = cli("report", out.toString());
    assertThat(report.code()).as(report.err()).isEqualTo(ExitCodes.OK);
    assertThat(out.resolve("report/index.html")).isRegularFile();

    CliResult table = cli("show", out.toString());
    assertThat(table.out())
        .contains("run_id")
        .contains("cat.png")
        .contains("swirl.png")
        .contains("4 runs of sweep grid: 4 OK, 0 FAILED; weights random:0");

    Map<Path, FileTime> before = modified(records);
    CliResult again = cli("run", twoByTwo(), "--out", out.toString(), "--no-report");
    assertThat(again.code()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("4 runs: 4 OK, 0 FAILED (0 computed now, 4 already OK)");
    assertThat(modified(files(out.resolve("records"), ".json"))).isEqualTo(before);
    assertThat(spark.read().parquet(out.resolve("metrics").toString()).count()).isEqualTo(4);
  }

  @Test
  void afterACrashPartwayARerunComputesOnlyTheMissingRuns() throws Exception {
    Path out = dir.resolve("out");
    // The "crash": cancel every job as soon as the first run finishes, as a dying driver would.
    AtomicBoolean cancelled = new AtomicBoolean();
    SparkListener crash =
        new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.reason() instanceof Success$ && cancelled.compareAndSet(false, true)) {
              spark.sparkContext().cancelAllJobs();
            }
          }
        };
    spark.sparkContext().addSparkListener(crash);
    // Eight runs on two slots, so that most have not started when the first one ends.
    String manifest =
        TinyManifest.named("crash")
            .contents(sample("content/cat.png"), sample("content/coffee.png"))
            .styles(sample("style/mosaic.png"), sample("style/swirl.png"))
            .extra("sweep: {seed: [0, 1]}")
            .writeInto(dir)
            .toString();
    CliResult crashed;
    try {
      crashed =
          cli("run", manifest, "--out", out.toString(), "--no-report", "--set", "defaults.steps=8");
    } finally {
      spark.sparkContext().removeSparkListener(crash);
    }
    assertThat(crashed.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(crashed.err()).contains("cancel");
    awaitNoRunningTasks();

    List<Path> survivors = files(out.resolve("records"), ".json");
    assertThat(survivors).hasSizeBetween(1, 7);
    // The table was rebuilt when the job was cancelled; a task that was already past its durable
    // write may have published its record after that rebuild (as with a real dying driver), so the
    // table holds at most the surviving records, and never a run without one.
    List<String> recordIds =
        survivors.stream().map(p -> p.getFileName().toString().replace(".json", "")).toList();
    List<String> tableIds =
        spark
            .read()
            .parquet(out.resolve("metrics").toString())
            .select("run_id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(recordIds).containsAll(tableIds);
    assertThat(tableIds).isNotEmpty();
    Map<Path, FileTime> before = modified(survivors);

    CliResult rerun =
        cli("run", manifest, "--out", out.toString(), "--no-report", "--set", "defaults.steps=8");

    assertThat(rerun.code()).as(rerun.err()).isEqualTo(ExitCodes.OK);
    assertThat(rerun.out())
        .contains(
            "8 runs: 8 OK, 0 FAILED (%d computed now, %d already OK)"
                .formatted(8 - survivors.size(), survivors.size()));
    assertThat(modified(survivors)).isEqualTo(before);
    assertThat(files(out.resolve("images"), ".png")).hasSize(8);
    assertOneRowPerRun(out, 8);
  }

  /** Exactly {@code runs} rows in OUT/metrics, one per run id (a rerun after a crash adds none). */
  static void assertOneRowPerRun(Path out, int runs) {
    assertOneRowPerRun(spark, out, runs);
  }

  /** Exactly {@code runs} rows in OUT/metrics, one per run id, read with {@code spark}. */
  static void assertOneRowPerRun(SparkSession spark, Path out, int runs) {
    List<String> ids =
        spark
            .read()
            .parquet(out.resolve("metrics").toString())
            .select("run_id")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList();
    assertThat(ids).hasSize(runs).doesNotHaveDuplicates();
  }

  @Test
  void corruptImageGivesExactlyOneFailedRowAndExitCode3() throws Exception {
    Path corrupt = dir.resolve("corrupt.png");
    Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3, 4, 5, 6, 7});
    Path out = dir.resolve("out");
    String manifest =
        TinyManifest.named("broken")
            .contents(sample("content/cat.png"), corrupt)
            .styles(sample("style/mosaic.png"))
            .writeInto(dir)
            .toString();

    CliResult run = cli("run", manifest, "--out", out.toString(), "--no-report");

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.RUNS_FAILED);
    assertThat(run.out()).contains("2 runs: 1 OK, 1 FAILED");
    assertThat(run.err()).contains("1 run(s) FAILED");
    List<Row> rows = spark.read().parquet(out.resolve("metrics").toString()).collectAsList();
    assertThat(rows).hasSize(2);
    Row failed =
        rows.stream()
            .filter(r -> Schemas.FAILED.equals(r.getAs("status")))
            .findFirst()
            .orElseThrow();
    assertThat(failed.<String>getAs("error"))
        .contains("cannot decode image")
        .contains("corrupt.png");
    assertThat(failed.<String>getAs("image_path")).isNull();
    assertThat(rows.stream().filter(r -> Schemas.OK.equals(r.getAs("status")))).hasSize(1);
    assertThat(files(out.resolve("images"), ".png")).hasSize(1);

    // A rerun tries the FAILED run again (and only it); it fails again the same way.
    CliResult rerun = cli("run", manifest, "--out", out.toString(), "--no-report");
    assertThat(rerun.code()).isEqualTo(ExitCodes.RUNS_FAILED);
    assertThat(rerun.out()).contains("(1 computed now, 1 already OK)");
    assertOneRowPerRun(out, 2);
    assertThat(cli("show", out.toString()).out())
        .contains("FAILED")
        .contains("cannot decode image");
  }

  @Test
  void multiScaleRunWritesEachStageWithItsColumnsAndTheMeasuredPeak() throws Exception {
    Path out = dir.resolve("out");
    String manifest =
        TinyManifest.named("stages")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .withDefault("image_size", "32")
            .withDefault("stages", "\"16:3,32:2\"")
            .writeInto(dir)
            .toString();

    CliResult run = cli("run", manifest, "--out", out.toString(), "--no-report");

    assertThat(run.code()).as(run.err()).isZero();
    List<org.apache.spark.sql.Row> rows =
        spark
            .read()
            .parquet(out.resolve("metrics").toString())
            .select("run_id", "stages", "evaluations", "stage_evaluations", "stage_images")
            .collectAsList();
    assertThat(rows).hasSize(1);
    org.apache.spark.sql.Row staged = rows.get(0);
    assertThat(staged.getList(1)).containsExactly("16:3", "32:2");
    assertThat(staged.<Integer>getAs("evaluations")).isEqualTo(5);
    assertThat(staged.getList(3)).containsExactly(3, 2);
    String runId = staged.getAs("run_id");
    assertThat(staged.getList(4))
        .containsExactly("images/" + runId + ".stage1.png", "images/" + runId + ".png");
    assertThat(javax.imageio.ImageIO.read(out.resolve("images/" + runId + ".stage1.png").toFile()))
        .satisfies(
            image -> assertThat(Math.max(image.getWidth(), image.getHeight())).isEqualTo(16));
    List<org.apache.spark.sql.Row> memory =
        spark
            .read()
            .parquet(out.resolve("metrics").toString())
            .select("peak_memory_bytes", "memory_estimate_bytes")
            .collectAsList();
    assertThat(memory)
        .allSatisfy(
            row -> {
              assertThat(row.<Long>getAs("memory_estimate_bytes")).isPositive();
              assertThat(row.<Long>getAs("peak_memory_bytes")).isNotNull().isNotNegative();
            });
  }

  @Test
  void aRunThatCannotFitInMemoryIsRefusedWithExit2AndTheSizeThatFits() throws Exception {
    Path out = dir.resolve("out");
    String manifest =
        TinyManifest.named("huge")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .writeInto(dir)
            .toString();

    // 4096 px with 10,000 L-BFGS pairs: about 4 PB of history alone
    CliResult run =
        cli(
            "run",
            manifest,
            "--out",
            out.toString(),
            "--set",
            "defaults.image_size=4096",
            "--set",
            "defaults.lbfgs_history=10000",
            "--set",
            "defaults.steps=10000");

    assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("1 of 1 runs would not fit in memory; nothing was run")
        .contains("(image_size 4096) needs about")
        .contains("local mode:")
        .containsPattern("the largest image_size that fits is \\d+ px");
    assertThat(out).doesNotExist();
  }

  @Test
  void misspeltKeyExits2NamingItAndTheSuggestionBeforeAnythingRuns() throws Exception {
    Path out = dir.resolve("out");
    String manifest =
        TinyManifest.named("typo")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .extra("sweep: {sed: [0, 1]}")
            .writeInto(dir)
            .toString();

    CliResult run = cli("run", manifest, "--out", out.toString(), "--set", "defaults.stpes=3");

    assertThat(run.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(run.err())
        .contains("sweep.sed: unknown key 'sed'; did you mean 'seed'?")
        .contains("defaults.stpes: unknown key 'stpes'; did you mean 'steps'?");
    assertThat(out).doesNotExist();
  }

  @Test
  void validateReportsTheRunCountOfASweptManifest() throws Exception {
    String manifest =
        TinyManifest.named("swept")
            .contents(sample("content/cat.png"), sample("content/coffee.png"))
            .styles(sample("style/mosaic.png"))
            .extra("sweep: {init: [content, noise], seed: [0, 1, 2]}")
            .writeInto(dir)
            .toString();

    CliResult validate = cli("validate", manifest, "--set", "sweep.tv_weight=[0, 1]");

    assertThat(validate.code()).as(validate.err()).isEqualTo(ExitCodes.OK);
    assertThat(validate.out())
        .contains("runs      24 = 2 contents x 1 styles x 2 init x 3 seed x 2 tv_weight")
        .contains("axes      init = [content, noise]")
        .contains("seed = [0, 1, 2]")
        .contains(sample("content/coffee.png").toString())
        .contains("weights   random initialization (random:0)");
  }

  /**
   * A parameter added to the table alone (lbfgs_history: one entry, its use in the engine, one docs
   * line) reaches validate, the runs, the Parquet table, show (text and JSON) and the report's
   * axes.
   */
  @Test
  void aParameterOfTheTableReachesValidateShowParquetAndTheReport() throws Exception {
    Path out = dir.resolve("out");
    String manifest =
        TinyManifest.named("history")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .steps(8)
            .extra("sweep: {lbfgs_history: [1, 100]}")
            .writeInto(dir)
            .toString();

    CliResult validate = cli("validate", manifest);
    assertThat(validate.code()).as(validate.err()).isEqualTo(ExitCodes.OK);
    assertThat(validate.out())
        .contains("runs      2 = 1 contents x 1 styles x 2 lbfgs_history")
        .contains("lbfgs_history = [1, 100]");

    CliResult run = cli("run", manifest, "--out", out.toString());
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    List<Row> metrics = spark.read().parquet(out.resolve("metrics").toString()).collectAsList();
    Map<Integer, Double> lossByHistory = new HashMap<>();
    metrics.forEach(
        r -> lossByHistory.put(r.<Integer>getAs("lbfgs_history"), r.<Double>getAs("final_loss")));
    assertThat(lossByHistory).containsOnlyKeys(1, 100);
    assertThat(lossByHistory.get(1))
        .as("a one-pair history steers differently")
        .isNotEqualTo(lossByHistory.get(100));

    CliResult json = cli("show", out.toString(), "--json");
    assertThat(
            json.out()
                .lines()
                .map(
                    line -> {
                      try {
                        return new ObjectMapper().readTree(line).get("lbfgs_history").asInt();
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    })
                .toList())
        .containsExactlyInAnyOrder(1, 100);
    assertThat(cli("show", out.toString()).out()).contains("lbfgs_history");
    assertThat(Files.readString(out.resolve("report/index.html"))).contains("lbfgs_history");
  }

  @Test
  void gpuDeviceWithoutCudaFailsTheJobFastAndRecordsNoRun() throws Exception {
    Path out = dir.resolve("out");
    String manifest =
        TinyManifest.named("gpu")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .writeInto(dir)
            .toString();

    CliResult run =
        cli("run", manifest, "--out", out.toString(), "--no-report", "--set", "model.device=gpu");

    assertThat(run.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(run.err()).contains("model.device is gpu, but this task has no GPU");
    assertThat(files(out.resolve("records"), ".json")).isEmpty();
  }

  @Test
  void showAndReportOfAMissingFolderAreBadInput() {
    for (String command : List.of("show", "report")) {
      CliResult result = cli(command, dir.resolve("nothing-here").toString());
      assertThat(result.code()).isEqualTo(ExitCodes.BAD_INPUT);
      assertThat(result.err()).contains("no such output folder");
    }
  }

  static void awaitNoRunningTasks() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      boolean busy =
          Stream.of(spark.sparkContext().statusTracker().getExecutorInfos())
              .anyMatch(e -> e.numRunningTasks() > 0);
      if (!busy && spark.sparkContext().statusTracker().getActiveJobIds().length == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("tasks still running a minute after the cancel");
  }
}
