package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.common.OutputLock;
import org.stylesweep.testing.FaultyLocalFileSystem;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.TinyManifest;

/**
 * Output folders that fail or are shared (issue 18, items 6 and 7), end to end through the command
 * line on Spark local mode: a full disk is one paragraph naming the file, its Java stack trace goes
 * to the log file the paragraph names or, with {@code --verbose}, to stderr; and two runs into one
 * output folder at the same time: the second exits 2 naming the holder, the first finishes with one
 * row per run.
 */
@Tag("slow")
class OutputFailuresTest {
  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark =
        LocalSpark.start(
            "local[2]",
            "OutputFailuresTest",
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

  private static String faulty(Path local) {
    return FaultyLocalFileSystem.SCHEME + "://" + local.toAbsolutePath();
  }

  private Path tinyManifest(String name) throws Exception {
    return TinyManifest.named(name)
        .contents(sample("content/cat.png"))
        .styles(sample("style/mosaic.png"))
        .writeInto(dir);
  }

  private static void assertOneParagraphWithoutTrace(CliResult result) {
    assertThat((result.out() + result.err()).lines())
        .as(result.err())
        .noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Exception in thread"));
    assertThat(result.err().lines().filter(line -> line.startsWith("error: ")))
        .as(result.err())
        .hasSize(1);
  }

  @Test
  void fullDiskIsOneParagraphNamingTheFileWithTheTraceInTheLogFileItNames() throws Exception {
    Path manifest = tinyManifest("full");
    Path out = dir.resolve("out");
    // The lock goes in; the effective manifest, the first file after it, does not fit.
    FaultyLocalFileSystem.diskFullFor(
        file ->
            file.toUri().getPath().startsWith(out.toString()) && !file.getName().equals("_LOCK"));

    CliResult run = CliResult.execute(spark, "run", manifest.toString(), "--out", faulty(out));

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
    assertOneParagraphWithoutTrace(run);
    assertThat(run.err())
        .contains("the disk is full")
        .contains(out.resolve("manifest.yaml").toString())
        .contains("Free some space");
    Matcher log = Pattern.compile("The Java stack trace is in (\\S+) \\(").matcher(run.err());
    assertThat(log.find()).as(run.err()).isTrue();
    assertThat(Files.readString(Path.of(log.group(1))))
        .contains("No space left on device")
        .contains("\tat ");
    assertThat(out.resolve(OutputLock.NAME)).as("the lock is released").doesNotExist();
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file is left behind")
          .noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @Test
  void fullDiskWhenTheLockIsWrittenNamesTheLockAndLeavesNoHalfWrittenLock() throws Exception {
    Path manifest = tinyManifest("full-lock");
    Path out = dir.resolve("out");
    FaultyLocalFileSystem.diskFullFor(file -> file.toUri().getPath().startsWith(out.toString()));

    CliResult run = CliResult.execute(spark, "run", manifest.toString(), "--out", faulty(out));

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
    assertOneParagraphWithoutTrace(run);
    assertThat(run.err())
        .contains("the disk is full")
        .contains(out.resolve(OutputLock.NAME).toString());
    assertThat(out.resolve(OutputLock.NAME)).doesNotExist();
  }

  @Test
  void verbosePrintsTheStackTraceOfAnUnexpectedFailureBeforeOrAfterTheCommand() throws Exception {
    Path manifest = tinyManifest("verbose");
    Path out = dir.resolve("out");
    FaultyLocalFileSystem.diskFullFor(
        file ->
            file.toUri().getPath().startsWith(out.toString()) && !file.getName().equals("_LOCK"));

    for (List<String> args :
        List.of(
            List.of("run", "--verbose", manifest.toString(), "--out", faulty(out)),
            List.of("--verbose", "run", manifest.toString(), "--out", faulty(out)))) {
      CliResult run = CliResult.execute(spark, args.toArray(String[]::new));

      assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.ERROR);
      assertThat(run.err())
          .as("%s", args)
          .contains("error: the disk is full")
          .contains("No space left on device")
          .doesNotContain("The Java stack trace is in");
      assertThat(run.err().lines()).as("%s", args).anyMatch(line -> line.startsWith("\tat "));
    }
  }

  @Test
  void secondRunIntoTheSameFolderExits2NamingTheHolderAndTheFirstFinishesAlone() throws Exception {
    // Enough work that run A is still going when run B starts: two 64 px runs of 60 evaluations.
    Path manifest =
        TinyManifest.named("shared")
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .withDefault("image_size", "64")
            .steps(60)
            .extra("sweep: {seed: [0, 1]}")
            .writeInto(dir);
    Path out = dir.resolve("out");
    Path lock = out.resolve(OutputLock.NAME);

    CompletableFuture<CliResult> a =
        CompletableFuture.supplyAsync(
            () ->
                CliResult.execute(
                    spark, "run", manifest.toString(), "--out", out.toString(), "--no-report"));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.exists(lock) && !a.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(lock).as("run A took the lock").exists();
    assertThat(a).as("run A is still going").isNotDone();

    CliResult b =
        CliResult.execute(
            spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");

    assertThat(b.code()).as(b.err()).isEqualTo(ExitCodes.BAD_INPUT);
    assertOneParagraphWithoutTrace(b);
    assertThat(b.err())
        .contains("is in use by another stylesweep run")
        .contains("pid " + ProcessHandle.current().pid())
        .contains(lock.toString());
    assertThat(a).as("B's refusal does not stop A").isNotDone();

    CliResult first = a.get(5, TimeUnit.MINUTES);
    assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.OK);
    assertThat(first.out()).contains("2 runs: 2 OK, 0 FAILED (2 computed now, 0 already OK)");
    assertThat(lock).as("A released the lock").doesNotExist();
    SweepEndToEndTest.assertOneRowPerRun(spark, out, 2);
    try (var records = Files.list(out.resolve("records"))) {
      assertThat(records.filter(p -> p.toString().endsWith(".json"))).hasSize(2);
    }

    CliResult third =
        CliResult.execute(
            spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");
    assertThat(third.code()).as(third.err()).isEqualTo(ExitCodes.OK);
    assertThat(third.out()).contains("2 runs: 2 OK, 0 FAILED (0 computed now, 2 already OK)");
    assertThat(lock).doesNotExist();
  }
}
