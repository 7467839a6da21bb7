package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.LogCapture;
import org.stylesweep.testing.TinyManifest;

/**
 * Local mode gives the runs in flight every core: a one-run sweep on {@code local[2]} with {@code
 * spark.task.cpus 1} computes with 2 libtorch threads, a two-run sweep with 1 each.
 */
@Tag("slow")
class LocalCoresSweepTest {
  private static final Pattern THREADS =
      Pattern.compile("run (\\S+): (\\d+) libtorch threads \\(local mode: 2 cores");

  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("local[2]", "LocalCoresSweepTest");
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @Test
  void aOneRunLocalSweepGetsAllTheCoresAndTwoRunsOneEach() {
    assertThat(spark.conf().get("spark.task.cpus", "1")).isEqualTo("1");
    Path one =
        TinyManifest.named("one")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .writeInto(dir.resolve("one"));
    String console = sweep(one, dir.resolve("out-one"));
    assertThat(startThreads(console)).containsExactly(2);

    Path two =
        TinyManifest.named("two")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .extra("sweep: {seed: [0, 1]}")
            .writeInto(dir.resolve("two"));
    console = sweep(two, dir.resolve("out-two"));
    // Both start while the other still runs: one core each (the later may grow to 2 at its end).
    assertThat(startThreads(console)).containsExactly(1, 1);
  }

  private static String sweep(Path manifest, Path out) {
    try (LogCapture capture = LogCapture.start()) {
      int code =
          StyleSweep.run(spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");
      String console = capture.text();
      assertThat(code).as(console).isEqualTo(ExitCodes.OK);
      return console;
    }
  }

  /** The thread counts the runs started with, from their log lines. */
  private static java.util.List<Integer> startThreads(String console) {
    java.util.List<Integer> counts = new java.util.ArrayList<>();
    Matcher m = THREADS.matcher(console);
    while (m.find()) {
      counts.add(Integer.parseInt(m.group(2)));
    }
    return counts;
  }
}
