package org.stylesweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The bench's multi-scale and memory-plan modes run end to end at a tiny size and print their
 * tables; no figure is held to a speed or a size, only that each was measured.
 */
class MultiScaleBenchTest {

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
  void stagesModeTimesEachScheduleAgainstTheSingleScaleLoss() {
    Outcome result =
        bench(
            "--stages",
            "16:6,32:8",
            "--stages-size",
            "32",
            "--stages-baseline",
            "8",
            "--device",
            "cpu",
            "--threads",
            "1",
            "--run-set",
            "line_search=strong_wolfe");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    assertThat(result.out()).contains("multi-scale stages at 32 px", "reaches ref at", "ratio");
    Matcher single =
        Pattern.compile("32:8 \\(single scale\\) +([0-9.]+) +([0-9.]+) .* evaluation 8 .* 1\\.00 ")
            .matcher(result.out());
    assertThat(single.find()).as(result.out()).isTrue();
    assertThat(Double.parseDouble(single.group(1))).isPositive();
    assertThat(result.out()).containsPattern("16:6,32:8 +[0-9.]+ +[0-9.]+ +[0-9.e+-]+ ");
  }

  @Test
  void aScheduleThatDoesNotEndAtTheBenchSizeOrABadSettingIsRefused() {
    Outcome wrongEnd = bench("--stages", "16:3,24:3", "--stages-size", "32", "--device", "cpu");
    assertThat(wrongEnd.exitCode()).isEqualTo(2);
    assertThat(wrongEnd.err()).contains("the last stage must be --stages-size (32 px)");
    Outcome badKey = bench("--stages", "16:3,32:3", "--run-set", "stpes=3");
    assertThat(badKey.exitCode()).isEqualTo(2);
    assertThat(badKey.err()).contains("--run-set stpes=3: unknown run parameter 'stpes'");
  }

  @Test
  void memoryPlanModePrintsTheEstimateBesideTheMeasuredPeak() {
    Outcome result =
        bench(
            "--memory-plan",
            "--memory-sizes",
            "32",
            "--memory-steps",
            "3",
            "--device",
            "cpu",
            "--threads",
            "1",
            "--run-set",
            "lbfgs_history=2");

    assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
    Matcher row =
        Pattern.compile("\\n +32 +([0-9]+) +([0-9]+) +([0-9.]+) +[0-9]+ MiB \\(activations")
            .matcher(result.out());
    assertThat(row.find()).as(result.out()).isTrue();
    assertThat(Long.parseLong(row.group(1))).isPositive();
    assertThat(Long.parseLong(row.group(2))).isPositive();
    assertThat(result.out()).contains("lbfgs_history 2");
  }
}
