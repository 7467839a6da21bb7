package org.stylesweep.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's resident memory from {@code /proc/self/status} (Linux): the measured peak of a run
 * on a CPU. {@link #watch} resets the kernel's high-water mark ({@code VmHWM}, by writing 5 to
 * {@code /proc/self/clear_refs}) and samples {@code VmRSS} on a daemon thread, so that a peak is
 * caught even when another run in the same JVM resets the mark again. Elsewhere (no {@code /proc})
 * the values are null.
 */
public final class ResidentMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  /** Sampling interval of a watch, in milliseconds. */
  static final long SAMPLE_MILLIS = 20;

  private ResidentMemory() {}

  /** Resident bytes now ({@code VmRSS}), or -1 without {@code /proc}. */
  public static long rssBytes() {
    return field("VmRSS:");
  }

  /** The peak resident bytes since start or the last reset ({@code VmHWM}), or -1. */
  public static long peakBytes() {
    return field("VmHWM:");
  }

  /** Starts watching the resident memory; close the watch when the run ends. */
  public static Watch watch() {
    return new Watch();
  }

  /** A peak measurement over a stretch of work. */
  public static final class Watch implements AutoCloseable {
    private final long start = rssBytes();
    private volatile long max = start;
    private volatile boolean running = true;
    private final Thread sampler;

    /** Whether the high-water mark was reset (else it may be an earlier run's peak). */
    private final boolean reset;

    private Watch() {
      boolean cleared;
      try {
        Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
        cleared = true;
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        cleared = false; // no reset: the samples alone give the peak
      }
      reset = cleared;
      sampler =
          new Thread(
              () -> {
                while (running) {
                  max = Math.max(max, rssBytes());
                  try {
                    Thread.sleep(SAMPLE_MILLIS);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "resident-memory-watch");
      sampler.setDaemon(true);
      if (start >= 0) {
        sampler.start();
      }
    }

    /** Resident bytes when the watch started, or -1. */
    public long startBytes() {
      return start;
    }

    /**
     * The peak resident bytes since the watch started, above its start (the larger of the sampled
     * maximum and the high-water mark); null without {@code /proc}.
     */
    public Long peakAboveStart() {
      if (start < 0) {
        return null;
      }
      long peak = Math.max(max, Math.max(rssBytes(), reset ? peakBytes() : -1));
      return Math.max(0, peak - start);
    }

    @Override
    public void close() {
      running = false;
      sampler.interrupt();
    }
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS, StandardCharsets.US_ASCII)) {
        if (line.startsWith(name)) {
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
