package org.stylesweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench-stylize} prints both timings and their ratio, and refuses bad options. */
class StylizeBenchTest {

  @Test
  void printsStylizeAndOptimiseTimesAndTheirRatio() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    int code =
        new CommandLine(new StylizeBench(out))
            .execute("--size", "32", "--steps", "4", "--reps", "2", "--threads", "1");

    String text = bytes.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isEqualTo(0);
    Matcher stylize = Pattern.compile("median ([0-9.]+) ms per image").matcher(text);
    Matcher optimise =
        Pattern.compile("optimise: L-BFGS, 4 evaluations at 32 px.*: ([0-9.]+) s").matcher(text);
    Matcher ratio = Pattern.compile("one stylization is ([0-9]+)x faster").matcher(text);
    assertThat(stylize.find()).as(text).isTrue();
    assertThat(optimise.find()).as(text).isTrue();
    assertThat(ratio.find()).as(text).isTrue();
    // The printed times are rounded (0.1 s, 0.1 ms, the ratio to 1): the ratio must lie within
    // what those roundings allow (at this tiny size 0.1 s of rounding is a large share).
    double seconds = Double.parseDouble(optimise.group(1));
    double millis = Double.parseDouble(stylize.group(1));
    double low = Math.max(0, seconds - 0.05) * 1000 / (millis + 0.05) - 0.5;
    double high = (seconds + 0.05) * 1000 / Math.max(1e-3, millis - 0.05) + 0.5;
    assertThat(Double.parseDouble(ratio.group(1))).isBetween(low, high);
    assertThat(text).contains("32x32 px"); // the astronaut is square
  }

  @Test
  void aTooSmallSizeIsRefusedNamingTheOption() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    CommandLine cli = new CommandLine(new StylizeBench(System.out));
    cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));

    int code = cli.execute("--size", "8");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("--size must be at least 16");
  }
}
