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

  /**
   * The CPU's family, model and the vector instruction sets the kernels can use, e.g. {@code family
   * 25 model 1; AVX2 FMA; no AVX-512; no AMX}: the floor moves ~2.7x between an AVX2 and an AVX-512
   * machine of the same family, so a figure means little without it.
   */
  static String instructionSet() {
    return instructionSet(readOrEmpty(Path.of("/proc/cpuinfo")));
  }

  /** {@link #instructionSet()} of a {@code /proc/cpuinfo} text. */
  static String instructionSet(String cpuinfo) {
    String family = firstValue(cpuinfo, "cpu family");
    String model = firstValue(cpuinfo, "model");
    String flagLine = firstValue(cpuinfo, "flags");
    if (flagLine == null) {
      return "instruction set unknown (no flags in /proc/cpuinfo)";
    }
    java.util.Set<String> flags = new java.util.HashSet<>(List.of(flagLine.split("\\s+")));
    StringBuilder line = new StringBuilder();
    if (family != null) {
      line.append("family ").append(family).append(" model ").append(model).append("; ");
    }
    List<String> vector = new java.util.ArrayList<>();
    for (String f : List.of("avx", "avx2", "fma")) {
      if (flags.contains(f)) {
        vector.add(f.toUpperCase(Locale.ROOT));
      }
    }
    line.append(vector.isEmpty() ? "no AVX" : String.join(" ", vector)).append("; ");
    List<String> avx512 = new java.util.ArrayList<>();
    for (String f : flags) {
      if (f.startsWith("avx512")) {
        avx512.add(f.substring("avx512".length()).replaceFirst("^_", "").toUpperCase(Locale.ROOT));
      }
    }
    java.util.Collections.sort(avx512);
    line.append(avx512.isEmpty() ? "no AVX-512" : "AVX-512 (" + String.join(" ", avx512) + ")")
        .append("; ");
    List<String> amx = new java.util.ArrayList<>();
    for (String f : flags) {
      if (f.startsWith("amx_")) {
        amx.add(f.substring("amx_".length()).toUpperCase(Locale.ROOT));
      }
    }
    java.util.Collections.sort(amx);
    line.append(amx.isEmpty() ? "no AMX" : "AMX (" + String.join(" ", amx) + ")");
    line.append(
        flags.contains("avx512_bf16") || flags.contains("amx_bf16")
            ? "; bf16 in hardware"
            : "; no bf16 in hardware");
    return line.toString();
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  private static String firstValue(String text, String key) {
    for (String line : text.split("\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
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
