package org.stylesweep.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress bar's text, rate, ETA and throttling, on a clock the test moves. */
class DownloadProgressTest {
  private static final long MIB = 1024 * 1024;
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong now = new AtomicLong(1000 * SECOND);
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);

  private String printed() {
    return sink.toString(StandardCharsets.UTF_8);
  }

  @Test
  void lineShowsBytesRateAndEta() {
    DownloadProgress progress =
        new DownloadProgress(out, false, "Downloading w", 100 * MIB, 0, now::get);
    now.addAndGet(10 * SECOND);
    progress.update(25 * MIB);

    // 25 MiB in 10 s is 2.5 MiB/s; 75 MiB remain, so 30 s.
    assertThat(progress.line(now.get()))
        .isEqualTo(
            "Downloading w  [######------------------]  25%  25.0/100.0 MiB  2.5 MiB/s  ETA 0:30");
  }

  @Test
  void resumedBytesDoNotInflateTheRate() {
    DownloadProgress progress =
        new DownloadProgress(out, false, "w", 100 * MIB, 50 * MIB, now::get);
    now.addAndGet(10 * SECOND);
    progress.update(60 * MIB);

    assertThat(progress.line(now.get())).contains(" 60%", "1.0 MiB/s", "ETA 0:40");
  }

  @Test
  void logModePrintsALineEveryFiveSecondsAndAFinalLine() {
    DownloadProgress progress = new DownloadProgress(out, false, "w", 10 * MIB, 0, now::get);
    for (int i = 1; i <= 10; i++) {
      now.addAndGet(SECOND);
      progress.update(i * MIB);
    }
    progress.finish();

    String[] lines = printed().split("\\R");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).contains(" 50%", "5.0/10.0 MiB", "ETA 0:05");
    assertThat(lines[1]).contains("100%", "ETA 0:00");
    assertThat(lines[2]).contains("100%", "10.0/10.0 MiB in 10.0 s (1.0 MiB/s)");
    assertThat(printed()).doesNotContain("\r");
  }

  @Test
  void terminalModeRedrawsOneLineWithCarriageReturns() {
    DownloadProgress progress = new DownloadProgress(out, true, "w", 10 * MIB, 0, now::get);
    for (int i = 1; i <= 10; i++) {
      now.addAndGet(SECOND / 10);
      progress.update(i * MIB);
    }
    progress.finish();

    // Every 200 ms: 5 redraws plus the final one, each starting with \r; one newline at the end.
    assertThat(printed().chars().filter(c -> c == '\r')).hasSize(6);
    assertThat(printed().chars().filter(c -> c == '\n')).hasSize(1);
    assertThat(printed()).endsWith("(10.0 MiB/s)" + System.lineSeparator());
  }

  @Test
  void unknownTotalShowsBytesWithoutPercentOrEta() {
    DownloadProgress progress = new DownloadProgress(out, false, "w", -1, 0, now::get);
    now.addAndGet(2 * SECOND);
    progress.update(4 * MIB);

    assertThat(progress.line(now.get()))
        .contains("4.0 MiB", "2.0 MiB/s")
        .doesNotContain("ETA", "%");
  }

  @Test
  void clockFormatsMinutesAndHours() {
    assertThat(DownloadProgress.clock(59.6)).isEqualTo("1:00");
    assertThat(DownloadProgress.clock(3725)).isEqualTo("1:02:05");
  }
}
