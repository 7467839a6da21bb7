package org.stylesweep.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.network.util.JavaUtils;
import org.stylesweep.common.UserError;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.transfer.MemoryPlan;

/**
 * The memory a run may use, where the driver can know it, and the refusal of runs that do not fit
 * before anything runs ({@link MemoryPlan} estimates each run):
 *
 * <ul>
 *   <li><b>local mode</b>: the machine's available memory ({@code MemAvailable} of {@code
 *       /proc/meminfo}) less the driver heap's room to grow, shared by the runs in flight
 *       (min(runs, slots / spark.task.cpus)), less the model once;
 *   <li><b>YARN and Kubernetes with CPU executors</b>: libtorch's tensors live outside the Java
 *       heap, so in the container's memory overhead ({@code spark.executor.memoryOverhead}, else
 *       max(spark.executor.minMemoryOverhead, spark.executor.memoryOverheadFactor ×
 *       spark.executor.memory), Spark's own defaults), shared by the runs of an executor
 *       (spark.executor.cores / spark.task.cpus), less the model once.
 * </ul>
 *
 * Elsewhere (a standalone cluster, whose workers' memory the driver does not know, and GPU
 * executors, where only the executor sees its GPU's free memory: {@link RunTask} checks there) the
 * budget is unknown and nothing is refused here.
 */
public final class MemoryBudget {
  private MemoryBudget() {}

  /** Bytes per element of the model (float32). */
  static final int BYTES = 4;

  /**
   * The memory one run may use.
   *
   * @param bytes the budget of one run, before the model is taken off
   * @param sharedBy runs in flight that share {@code bytes}' source
   * @param where how the budget was found, for messages
   */
  public record Budget(long bytes, int sharedBy, String where) {}

  /**
   * The budget of one run under this Spark configuration, or null when the driver cannot know it.
   *
   * @param runs the runs to compute
   * @param memAvailable the machine's available bytes (local mode), or -1 when unknown
   */
  public static Budget of(SparkConf conf, int runs, long memAvailable) {
    String master = conf.get("spark.master", "local[*]");
    int taskCpus = conf.getInt("spark.task.cpus", 1);
    if (master.startsWith("local")) {
      if (memAvailable < 0) {
        return null;
      }
      int slots = localSlots(master);
      int inFlight = Math.max(1, Math.min(runs, slots / Math.max(1, taskCpus)));
      Runtime rt = Runtime.getRuntime();
      long heapRoom = Math.max(0, rt.maxMemory() - rt.totalMemory());
      long usable = Math.max(0, memAvailable - heapRoom);
      return new Budget(
          usable / inFlight,
          inFlight,
          String.format(
              Locale.ROOT,
              "local mode: %s available on this machine less %s the driver heap may still grow,"
                  + " shared by %d runs at once",
              MemoryPlan.mib(memAvailable),
              MemoryPlan.mib(heapRoom),
              inFlight));
    }
    boolean containers = master.startsWith("yarn") || master.startsWith("k8s");
    boolean gpus = conf.getDouble("spark.executor.resource.gpu.amount", 0) > 0;
    if (!containers || gpus) {
      return null;
    }
    long executorMemory = bytes(conf, "spark.executor.memory", "1g");
    long overhead;
    String source;
    if (conf.contains("spark.executor.memoryOverhead")) {
      overhead = JavaUtils.byteStringAsMb(conf.get("spark.executor.memoryOverhead")) << 20;
      source = "spark.executor.memoryOverhead " + conf.get("spark.executor.memoryOverhead");
    } else {
      double factor = conf.getDouble("spark.executor.memoryOverheadFactor", 0.10);
      long minimum = bytes(conf, "spark.executor.minMemoryOverhead", "384m");
      overhead = Math.max(minimum, (long) (factor * executorMemory));
      source =
          String.format(
              Locale.ROOT,
              "the default memory overhead max(%s, %s x spark.executor.memory %s)",
              MemoryPlan.mib(minimum),
              factor,
              MemoryPlan.mib(executorMemory));
    }
    int cores = conf.getInt("spark.executor.cores", 1);
    int perExecutor = Math.max(1, cores / Math.max(1, taskCpus));
    return new Budget(
        overhead / perExecutor,
        perExecutor,
        String.format(
            Locale.ROOT,
            "CPU executors: %s of native memory per executor (%s), shared by %d runs at once;"
                + " raise spark.executor.memoryOverhead",
            MemoryPlan.mib(overhead),
            source,
            perExecutor));
  }

  /**
   * Refuses, before anything runs, every run whose estimate does not fit the budget: one {@link
   * UserError} (exit 2) naming each run with its estimate and the largest size that fits.
   */
  static void refuseOversized(SparkConf conf, List<RunSpec> runs) {
    Budget budget = of(conf, runs.size(), memAvailable());
    if (budget == null || runs.isEmpty()) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (RunSpec run : runs) {
      String problem = problem(run, budget);
      if (problem != null) {
        problems.add(problem);
      }
    }
    if (!problems.isEmpty()) {
      throw new UserError(
          problems.size()
              + " of "
              + runs.size()
              + " runs would not fit in memory; nothing was run:\n  - "
              + String.join("\n  - ", problems.subList(0, Math.min(20, problems.size())))
              + (problems.size() > 20 ? "\n  - ... and " + (problems.size() - 20) + " more" : ""),
          true);
    }
  }

  /** The refusal of one run under a budget, or null when it fits. */
  static String problem(RunSpec run, Budget budget) {
    if (RunMemory.estimate(run) == null) {
      return null; // bad parameters: the run fails with their problems instead
    }
    long model = MemoryPlan.weightsBytes(run.task(), run.params(), BYTES);
    long forRun = budget.bytes() - model / budget.sharedBy();
    long need = MemoryPlan.estimate(run.task(), run.params(), BYTES).total();
    if (need <= forRun) {
      return null;
    }
    return "run "
        + run.runId()
        + " (image_size "
        + run.params().get(org.stylesweep.spec.Params.IMAGE_SIZE)
        + ") "
        + MemoryPlan.refusal(run.task(), run.params(), BYTES, Math.max(0, forRun), budget.where());
  }

  /** The machine's available memory ({@code MemAvailable}), or -1 when unknown. */
  static long memAvailable() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static final Pattern LOCAL = Pattern.compile("local\\[(\\d+|\\*)(?:,\\s*\\d+)?\\]");

  private static int localSlots(String master) {
    Matcher m = LOCAL.matcher(master);
    if (m.matches() && !m.group(1).equals("*")) {
      return Integer.parseInt(m.group(1));
    }
    return master.equals("local") ? 1 : Runtime.getRuntime().availableProcessors();
  }

  private static long bytes(SparkConf conf, String key, String fallback) {
    return JavaUtils.byteStringAsMb(conf.get(key, fallback)) << 20;
  }
}
