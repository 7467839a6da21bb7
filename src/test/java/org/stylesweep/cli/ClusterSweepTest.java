package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spark.OutputLayout;
import org.stylesweep.spark.Schemas;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.StandaloneCluster;
import org.stylesweep.testing.TestSafetensors;
import org.stylesweep.testing.TinyManifest;

/**
 * A sweep on a real Spark standalone cluster on loopback (a Master, a Worker and its executor, each
 * its own JVM; see {@link StandaloneCluster}), submitted as a user submits it, {@code --conf
 * spark.master=spark://...}, and so through the CLI's own session. It covers what one JVM on {@code
 * local[...]} cannot: project classes and JVM flags reaching separate executor JVMs, a local
 * weights file shipped to them ({@code addFile}) and loaded into the executor-side model cache, and
 * a lost executor: the executor JVM is killed with SIGKILL as soon as the first run's record
 * exists; the Worker launches a new one, Spark retries the lost tasks, and the sweep ends with four
 * OK rows and no duplicate.
 */
@Tag("slow")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClusterSweepTest {

  @TempDir static Path dir;

  private static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = StandaloneCluster.start(dir.resolve("spark-home"), 2, "2g");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    // A test that failed before the sweep ended leaves the CLI's session running: stop it, or a
    // later class's getOrCreate would get it back.
    if (SparkSession.getDefaultSession().isDefined()) {
      SparkSession.getDefaultSession().get().stop();
    }
  }

  @Test
  void sweepSurvivesAKilledExecutorWithFourOkRowsAndNoDuplicate() throws Exception {
    Path weights = dir.resolve("weights").resolve("tiny-vgg.safetensors");
    Files.createDirectories(weights.getParent());
    Files.write(weights, TestSafetensors.vggUpToConv2_1().bytes(11));
    // Runs long enough (a few seconds each on the executor's two cores) that the kill after the
    // first record finds the others still running.
    Path manifest =
        TinyManifest.named("cluster")
            .model("{weights: \"" + weights + "\"}")
            .contents(sample("content/cat.png"), sample("content/coffee.png"))
            .styles(sample("style/mosaic.png"), sample("style/swirl.png"))
            .withDefault("image_size", "64")
            .steps(RUN_STEPS)
            .writeInto(dir);
    Path out = dir.resolve("out");

    List<String> args = new ArrayList<>();
    Map<String, String> conf = new java.util.LinkedHashMap<>(StandaloneCluster.executorSettings());
    conf.put("spark.master", cluster.masterUrl());
    conf.put("spark.app.name", "ClusterSweepTest");
    conf.put("spark.driver.host", "127.0.0.1");
    conf.put("spark.driver.bindAddress", "127.0.0.1");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.executor.memory", "1g");
    conf.put("spark.cores.max", "2");
    conf.forEach(
        (key, value) -> {
          args.add("--conf");
          args.add(key + "=" + value);
        });
    args.addAll(List.of("run", manifest.toString(), "--out", out.toString(), "--no-report"));

    long start = System.nanoTime();
    CompletableFuture<CliResult> sweep =
        CompletableFuture.supplyAsync(() -> CliResult.execute(null, args.toArray(String[]::new)));

    // The first record (written by the executor, atomically: temporaries start with a dot), then
    // SIGKILL the executor JVM that wrote it.
    Path records = out.resolve(OutputLayout.RECORDS);
    awaitUntil(sweep, () -> !jsonFiles(records).isEmpty(), "the first record");
    List<ProcessHandle> executors = cluster.executors();
    assertThat(executors).as("one executor JVM running when the first record appeared").hasSize(1);
    ProcessHandle killed = executors.get(0);
    int recordsAtKill = jsonFiles(records).size();
    assertThat(killed.destroyForcibly()).isTrue();
    killed.onExit().get(30, TimeUnit.SECONDS);

    // The Worker launches another executor JVM for the application.
    awaitUntil(
        sweep,
        () -> cluster.executors().stream().anyMatch(p -> p.pid() != killed.pid()),
        "a new executor JVM");

    CliResult result = sweep.get(180, TimeUnit.SECONDS);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertThat(result.code())
        .as("exit code; stdout:%n%s%nstderr:%n%s", result.out(), result.err())
        .isEqualTo(ExitCodes.OK);
    assertThat(recordsAtKill).as("records when the executor was killed").isLessThan(4);

    // Two executors launched for the one application (work/<app>/0 and work/<app>/1), the
    // second after the first was killed; the Master saw the first one end.
    List<Path> executorDirs = cluster.executorDirs();
    assertThat(executorDirs).as("executor folders").hasSizeGreaterThanOrEqualTo(2);
    assertThat(executorDirs.stream().map(Path::getParent).distinct())
        .as("one application")
        .hasSize(1);
    // The weights went to the executors with the job, and each executor loaded its model.
    for (Path executor : executorDirs) {
      String stderr = Files.readString(executor.resolve("stderr"));
      assertThat(stderr)
          .as("%s/stderr", executor)
          .contains("Fetching spark://")
          .contains(weights.getFileName().toString());
    }
    String lastExecutor =
        Files.readString(executorDirs.get(executorDirs.size() - 1).resolve("stderr"));
    assertThat(lastExecutor).contains("loaded VGG-19");

    // Every run exactly once: four records, four OK rows, no duplicate run_id.
    assertThat(jsonFiles(records)).hasSize(4);
    SparkSession reader = LocalSpark.start("local[1]", "ClusterSweepTest-reader");
    try {
      List<Row> rows =
          reader.read().parquet(out.resolve(OutputLayout.METRICS).toString()).collectAsList();
      assertThat(rows).hasSize(4).allMatch(r -> Schemas.OK.equals(r.getAs("status")));
      assertThat(rows.stream().map(r -> r.<String>getAs("run_id")).distinct()).hasSize(4);
    } finally {
      LocalSpark.stop(reader);
    }
    System.out.printf("ClusterSweepTest: sweep with a killed executor took %d s%n", seconds);
  }

  /** Evaluations per run: each run takes a few seconds on the executor. */
  private static final int RUN_STEPS = 30;

  @FunctionalInterface
  private interface Condition {
    boolean holds() throws IOException;
  }

  /**
   * Polls until the condition holds; fails early, with the sweep's output, if the sweep ended
   * first.
   */
  private static void awaitUntil(
      CompletableFuture<CliResult> sweep, Condition condition, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.holds()) {
      if (sweep.isDone()) {
        CliResult result = sweep.get();
        if (condition.holds()) {
          return;
        }
        throw new AssertionError(
            "the sweep ended (exit "
                + result.code()
                + ") before "
                + what
                + "\nstdout:\n"
                + result.out()
                + "\nstderr:\n"
                + result.err()
                + "\n"
                + cluster.logs());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " after 120 s\n" + cluster.logs());
      }
      Thread.sleep(50);
    }
  }

  private static List<Path> jsonFiles(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .toList();
    }
  }
}
