package org.stylesweep.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The machine, as the benchmark reports it: CPUs, CPU model, memory and load (Linux /proc). */
final class Machine {
  private Machine() {}

  /** e.g. {@code 2 CPUs (AMD EPYC), 23.4 GiB RAM}. */
  static String describe() {
    String model = firstValue(Path.of("/proc/cpuinfo"), "model name");
    String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal");
    String memory =
        memKb == null
            ? "RAM unknown"
            : String.format(
                Locale.ROOT,
                "%.1f GiB RAM",
                Long.parseLong(memKb.replace("kB", "").trim()) / 1048576.0);
    return Runtime.getRuntime().availableProcessors()
        + " CPUs ("
        + (model == null ? "model unknown" : model)
        + "), "
        + memory
        + ", "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", Java "
        + System.getProperty("java.version");
  }

  /** The 1, 5 and 15 minute load averages; other processes on the machine slow the figures. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }
}
