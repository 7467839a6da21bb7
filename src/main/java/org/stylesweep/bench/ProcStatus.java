package org.stylesweep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this process from {@code /proc/self/status} (Linux): {@code VmRSS}, what is
 * resident now, and {@code VmHWM}, its peak since the process started. Both count native memory
 * (libtorch's tensors), which the JVM's own heap figures do not.
 */
final class ProcStatus {
  private static final Path STATUS = Path.of("/proc/self/status");

  private ProcStatus() {}

  /** Whether the figures can be read here (Linux). */
  static boolean available() {
    return Files.isReadable(STATUS);
  }

  /** Resident set size now, in bytes. */
  static long rssBytes() {
    return field("VmRSS:");
  }

  /** Peak resident set size of this process so far, in bytes. */
  static long peakRssBytes() {
    return field("VmHWM:");
  }

  private static long field(String name) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(name)) {
          // "VmRSS:\t  123456 kB"
          String[] parts = line.substring(name.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024L;
        }
      }
      throw new IllegalStateException(STATUS + " has no " + name + " line");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + STATUS + " (memory figures need Linux)", e);
    }
  }
}
