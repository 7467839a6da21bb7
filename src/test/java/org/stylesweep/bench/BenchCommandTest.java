package org.stylesweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The benchmark runs end to end at a tiny size and prints its tables. No figure is checked against
 * a speed (speed is what the command measures, not what a test asserts), only that each measurement
 * ran and produced a sane number. The PyTorch reference is left out: CI has no torch.
 */
@Tag("slow")
class BenchCommandTest {

  private record Outcome(int exitCode, String out, String err) {}

  private static Outcome bench(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      CommandLine cli = new CommandLine(new BenchCommand(out));
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new Outcome(code, bytes.toString(StandardCharsets.UTF_8), err.toString());
    }
  }

  @Test
  void benchMeasuresRunFloorAndMemoryAtTinySize() {
    Outcome result =
        bench(
            "--sizes",
            "32",
            "--reps",
            "2",
            "--steps",
            "3",
            "--device",
            "cpu",
            "--threads",
            "1",
            "--warmup-evaluations",
            "5",
            "--no-torch",
            "--no-spark",
            "--memory-sizes",
            "32",
            "--memory-steps",
            "4",
            "--leak-size",
            "32",
            "--leak-evaluations",
            "12",
            "--sample-every",
            "4");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("(c) skipped: --no-torch");
    // Both tables (wall and CPU) have a row for 32 px with (a), (b) and a/b filled in, (c) empty.
    Matcher rows =
        Pattern.compile(
                "\\| 32 \\| 32x32 \\| ([0-9.]+) \\([^)]*\\) \\| ([0-9.]+) \\([^)]*\\) \\| - \\| - \\|"
                    + " ([0-9.]+) \\| - \\|")
            .matcher(result.out());
    int found = 0;
    while (rows.find()) {
      found++;
      assertThat(Double.parseDouble(rows.group(1))).as("(a) run ms/eval").isPositive();
      assertThat(Double.parseDouble(rows.group(2))).as("(b) floor ms/pass").isPositive();
      assertThat(Double.parseDouble(rows.group(3))).as("a/b").isPositive();
    }
    assertThat(found).as(result.out()).isEqualTo(2);
    assertThat(result.out())
        .contains("one 5-evaluation run at 32 px")
        .containsPattern(
            "JIT compiler time inside \\(a\\) at 32 px, part of its CPU time: [0-9.]+ ms per evaluation");
    // (e): L-BFGS alone at the run's size, early and with a full history, and a/b adjusted to it.
    assertThat(result.out())
        .containsPattern(
            "\\| 32 \\| [0-9.]+ \\([^)]*\\) \\| [0-9.]+ \\([^)]*\\) \\| [0-9.]+ \\| [0-9.]+ \\|");
    // The memory run in a fresh JVM: its row, and the RSS trail of the long run sampled every 4
    // evaluations.
    assertThat(result.out())
        .containsPattern("\\| 32 \\| 12 \\| [0-9]+ \\| [0-9]+ \\| -?[0-9]+ \\| [0-9.]+ \\|");
    assertThat(result.out())
        .containsPattern(
            "RSS over 12 evaluations at 32 px \\(evaluation:RSS/RSS minus committed Java heap, MiB\\):"
                + " 4:[0-9]+/[0-9]+ 8:[0-9]+/[0-9]+"
                + " 12:[0-9]+/[0-9]+");
    assertThat(result.out())
        .containsPattern(
            "RSS spread \\(max - min of the samples\\): [0-9]+ MiB over the whole"
                + " run, [0-9]+ MiB after evaluation 12 \\(history full\\); without the Java heap: [0-9]+ and [0-9]+ MiB");
  }

  @Test
  void sparkOverheadComparesASweepWithDirectRuns() {
    Outcome result =
        bench(
            "--no-speed",
            "--no-memory",
            "--device",
            "cpu",
            "--spark-runs",
            "2",
            "--spark-size",
            "32",
            "--spark-steps",
            "3",
            "--spark-reps",
            "1");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("spark: 2 runs of 32 px x 3 evaluations");
    assertThat(result.out())
        .containsPattern(
            "rep 1/1: sweep [0-9.]+ s, direct [0-9.]+ s, overhead per run -?[0-9.]+ s");
    assertThat(result.out()).containsPattern("spark overhead per run: -?[0-9.]+ s median");
  }

  @Test
  void unreadableContentImageIsRejectedBeforeAnyMeasurement() {
    Outcome result =
        bench("--content", "no/such/image.png", "--no-torch", "--no-memory", "--no-spark");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--content").contains("no/such/image.png");
    assertThat(result.out()).doesNotContain("speed:");
  }

  @Test
  void weightsThatAreNeitherRandomNorAFileAreRejected() {
    Outcome result = bench("--weights", "random:zero", "--no-torch", "--no-memory", "--no-spark");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("--weights").contains("random:zero");
  }
}
