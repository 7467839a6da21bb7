package org.stylesweep.weights;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A progress bar for a download: bytes so far and total, rate and ETA.
 *
 * <p>On a terminal it redraws one line with {@code \r} at most every {@code terminalInterval}; in a
 * log (not a terminal) it prints a full line every {@code logInterval}, so a driver log on a
 * cluster shows progress without thousands of carriage returns. The rate is the average over this
 * session's bytes (a resumed download does not count the bytes it already had).
 */
final class DownloadProgress {
  private static final long TERMINAL_INTERVAL_NANOS = 200_000_000L;
  private static final long LOG_INTERVAL_NANOS = 5_000_000_000L;
  private static final int BAR_WIDTH = 24;
  private static final double MIB = 1024.0 * 1024.0;

  private final PrintStream out;
  private final boolean terminal;
  private final String label;
  private final long total;
  private final long startBytes;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long lastPrintNanos;
  private long bytes;
  private int lastLineLength;

  /**
   * @param out where to print (stderr in the CLI)
   * @param terminal whether {@code out} is a terminal: redraw one line, else print lines
   * @param label what is downloaded, printed at the start of each line
   * @param total the total size in bytes, or -1 when the server did not say
   * @param startBytes bytes already on disk from an earlier, cut download
   * @param nanoClock the clock, {@code System::nanoTime} outside tests
   */
  DownloadProgress(
      PrintStream out,
      boolean terminal,
      String label,
      long total,
      long startBytes,
      LongSupplier nanoClock) {
    this.out = out;
    this.terminal = terminal;
    this.label = label;
    this.total = total;
    this.startBytes = startBytes;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastPrintNanos = startNanos;
    this.bytes = startBytes;
  }

  /**
   * Records that the file now holds {@code bytesNow} bytes; prints when the interval has passed.
   */
  void update(long bytesNow) {
    bytes = bytesNow;
    long now = nanoClock.getAsLong();
    long interval = terminal ? TERMINAL_INTERVAL_NANOS : LOG_INTERVAL_NANOS;
    if (now - lastPrintNanos >= interval) {
      lastPrintNanos = now;
      print(line(now), false);
    }
  }

  /** Prints the final line (always), ending it with a newline. */
  void finish() {
    long now = nanoClock.getAsLong();
    double seconds = Math.max((now - startNanos) / 1e9, 1e-9);
    String text =
        String.format(
            Locale.ROOT, "%s  %s  %s in %.1f s (%s)", label, bar(), amount(), seconds, rate(now));
    print(text, true);
  }

  /** The current progress line, without printing it. */
  String line(long now) {
    StringBuilder text =
        new StringBuilder(label)
            .append("  ")
            .append(bar())
            .append("  ")
            .append(amount())
            .append("  ")
            .append(rate(now));
    double perSecond = bytesPerSecond(now);
    if (total > 0 && perSecond > 0) {
      text.append("  ETA ").append(clock((total - bytes) / perSecond));
    }
    return text.toString();
  }

  private void print(String text, boolean last) {
    if (terminal) {
      // Pad so a shorter line fully covers the previous one.
      String padded =
          text.length() < lastLineLength ? text + " ".repeat(lastLineLength - text.length()) : text;
      lastLineLength = text.length();
      out.print("\r" + padded + (last ? System.lineSeparator() : ""));
    } else {
      out.println(text);
    }
    out.flush();
  }

  private String bar() {
    if (total <= 0) {
      return "[" + "?".repeat(BAR_WIDTH) + "]";
    }
    int filled = (int) Math.min(BAR_WIDTH, BAR_WIDTH * bytes / total);
    int percent = (int) Math.min(100, 100 * bytes / total);
    return "["
        + "#".repeat(filled)
        + "-".repeat(BAR_WIDTH - filled)
        + "] "
        + String.format(Locale.ROOT, "%3d%%", percent);
  }

  private String amount() {
    return total > 0
        ? String.format(Locale.ROOT, "%.1f/%.1f MiB", bytes / MIB, total / MIB)
        : String.format(Locale.ROOT, "%.1f MiB", bytes / MIB);
  }

  private String rate(long now) {
    return String.format(Locale.ROOT, "%.1f MiB/s", bytesPerSecond(now) / MIB);
  }

  private double bytesPerSecond(long now) {
    double seconds = (now - startNanos) / 1e9;
    return seconds <= 0 ? 0 : (bytes - startBytes) / seconds;
  }

  /** Seconds as {@code m:ss} or {@code h:mm:ss}. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
