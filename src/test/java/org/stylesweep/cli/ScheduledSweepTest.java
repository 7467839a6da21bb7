package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.TinyManifest;

/**
 * A scheduled sweep over a folder that grows and shrinks, through the CLI on Spark local[2]: only
 * new pairs are computed, gone inputs keep their rows (marked in the report) until {@code --prune},
 * every run adds a history line that {@code show} and the report print, and an empty inbox fails
 * or, with {@code allow_empty}, succeeds with nothing to do.
 */
@Tag("slow")
class ScheduledSweepTest {
  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("ScheduledSweepTest");
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  static CliResult cli(String... args) {
    return CliResult.execute(spark, args);
  }

  static long count(Path folder, String suffix) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.toString().endsWith(suffix)).count();
    }
  }

  @Test
  void aGrowingFolderComputesOnlyNewPairsAndKeepsGoneOnes() throws Exception {
    Path inbox = Files.createDirectories(dir.resolve("inbox"));
    Files.copy(sample("content/cat.png"), inbox.resolve("cat.png"));
    String manifest =
        TinyManifest.named("nightly")
            .contents("inbox/")
            .styles(sample("style/mosaic.png"))
            .steps(2)
            .writeInto(dir)
            .toString();
    Path out = dir.resolve("out");

    CliResult first = cli("run", manifest, "--out", out.toString(), "--no-report");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("1 runs: 1 OK, 0 FAILED (1 computed now, 0 already OK)");
    assertThat(Files.readString(out.resolve("manifest.yaml")))
        .contains("# contents expanded from file:" + inbox + "/")
        .contains("- file:" + inbox.resolve("cat.png"));

    // Two new images arrive.
    Files.copy(sample("content/coffee.png"), inbox.resolve("coffee.png"));
    Files.copy(sample("content/rocket.jpg"), inbox.resolve("rocket.jpg"));
    CliResult validate = cli("validate", manifest, "--out", out.toString());
    assertThat(validate.code()).as(validate.err()).isZero();
    assertThat(validate.out())
        .contains("cat.png  (0 new, 1 already OK)")
        .contains("coffee.png  (1 new, 0 already OK)")
        .contains("rocket.jpg  (1 new, 0 already OK)")
        .contains("mosaic.png  (2 new, 1 already OK)")
        .contains("2 new, 1 already OK in the output folder");
    CliResult second = cli("run", manifest, "--out", out.toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("3 runs: 3 OK, 0 FAILED (2 computed now, 1 already OK)");

    // One leaves: nothing is computed, its row stays and the report marks it.
    Files.delete(inbox.resolve("coffee.png"));
    CliResult third = cli("run", manifest, "--out", out.toString());
    assertThat(third.code()).as(third.err()).isZero();
    assertThat(third.out())
        .contains("2 runs: 2 OK, 0 FAILED (0 computed now, 2 already OK)")
        .contains("1 rows kept from earlier runs whose inputs are gone");
    assertThat(spark.read().parquet(out.resolve("metrics").toString()).count()).isEqualTo(3);
    String report = Files.readString(out.resolve("report/index.html"));
    assertThat(report)
        .contains("OK (from an earlier run)")
        .contains("Run history")
        .contains("planned 2, skipped 2, computed 0, failed 0")
        .contains("planned 3, skipped 1, computed 2, failed 0")
        .contains("class=\"cell-link\"");

    CliResult show = cli("show", out.toString());
    assertThat(show.code()).as(show.err()).isZero();
    assertThat(show.out()).contains("history (3 runs into this folder, oldest first)");
    List<String> history = Files.readAllLines(out.resolve("history.jsonl"));
    assertThat(history).hasSize(3);
    assertThat(history.get(0)).contains("\"planned\":1", "\"computed\":1", "\"inputs\":2");
    assertThat(history.get(1)).contains("\"planned\":3", "\"skipped\":1", "\"computed\":2");
    assertThat(history.get(2)).contains("\"earlier\":1", "\"inputs\":3");

    CliResult prune = cli("run", manifest, "--out", out.toString(), "--prune", "--no-report");
    assertThat(prune.code()).as(prune.err()).isZero();
    assertThat(prune.out()).contains("1 runs of gone inputs pruned");
    assertThat(count(out.resolve("records"), ".json")).isEqualTo(2);
    assertThat(count(out.resolve("images"), ".png")).isEqualTo(2);
    assertThat(spark.read().parquet(out.resolve("metrics").toString()).count()).isEqualTo(2);
    assertThat(Files.readAllLines(out.resolve("history.jsonl"))).hasSize(4);
  }

  @Test
  void anEmptyInboxFailsNamingTheGlobOrSucceedsWithNothingToDoWhenAllowed() throws Exception {
    Files.createDirectories(dir.resolve("inbox"));
    TinyManifest strict =
        TinyManifest.named("empty").contents("inbox/*.png").styles(sample("style/mosaic.png"));
    String manifest = strict.writeInto(dir).toString();
    Path out = dir.resolve("out");

    CliResult refused = cli("run", manifest, "--out", out.toString());
    assertThat(refused.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(refused.err()).contains("contents[0]", "inbox/*.png matches no file");
    assertThat(out).doesNotExist();

    CliResult allowed = cli("run", manifest, "--out", out.toString(), "--set", "allow_empty=true");
    assertThat(allowed.code()).as(allowed.err()).isZero();
    assertThat(allowed.out()).contains("0 runs: 0 OK, 0 FAILED", "nothing to do");
    assertThat(Files.readAllLines(out.resolve("history.jsonl")))
        .singleElement()
        .asString()
        .contains("\"planned\":0", "\"inputs\":1");
  }
}
