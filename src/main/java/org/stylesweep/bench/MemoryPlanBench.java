package org.stylesweep.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.MemoryPlan;

/**
 * {@code bench --memory-plan}: the memory plan's estimate of a run's peak beside the measured one,
 * per size. Each run has a fresh JVM ({@link MemoryProbe}: heap pre-touched, so RSS growth is
 * native memory); measured = peak RSS − RSS with the model loaded, the quantity the plan estimates.
 */
final class MemoryPlanBench {
  private final Workload workload;
  private final Normalization normalization;
  private final RunParams base;
  private final int threads;
  private final String device;
  private final PrintStream out;
  private final java.nio.file.Path content;
  private final java.nio.file.Path style;

  MemoryPlanBench(
      Workload workload,
      java.nio.file.Path content,
      java.nio.file.Path style,
      Normalization normalization,
      RunParams base,
      int threads,
      String device,
      PrintStream out) {
    this.workload = workload;
    this.content = content;
    this.style = style;
    this.normalization = normalization;
    this.base = base;
    this.threads = threads;
    this.device = device;
    this.out = out;
  }

  /** Measures each size; prints estimate, measurement and ratio. */
  void run(List<Integer> sizes, int steps) {
    out.printf(
        Locale.ROOT,
        "memory plan against measured peaks: %d evaluations, lbfgs_history %d, one fresh JVM per"
            + " size%n",
        steps,
        base.get(Params.LBFGS_HISTORY));
    out.printf(
        Locale.ROOT,
        "%6s %14s %14s %8s   %s%n",
        "size",
        "estimate MiB",
        "measured MiB",
        "ratio",
        "estimate's parts");
    for (int size : sizes) {
      RunParams p = base.with(Params.IMAGE_SIZE, size).with(Params.STEPS, steps);
      MemoryPlan.Estimate estimate = MemoryPlan.estimate(Task.TRANSFER, p, 4);
      MemoryProbe.Figures f =
          MemoryProbe.measure(
              workload,
              content,
              style,
              size,
              steps,
              Math.max(1, steps / 10),
              threads,
              device,
              childArguments(p));
      long measured = f.peakRss() - f.rssBeforeRun();
      out.printf(
          Locale.ROOT,
          "%6d %14.0f %14.0f %8.2f   %s%s%n",
          size,
          estimate.total() / 1048576.0,
          measured / 1048576.0,
          (double) estimate.total() / measured,
          estimate.describe(),
          f.error() == null ? "" : "  (run FAILED: " + f.error() + ")");
    }
  }

  /** The child's normalization and every run parameter away from the probe's defaults. */
  private List<String> childArguments(RunParams p) {
    List<String> args = new ArrayList<>();
    args.add(normalization.key());
    RunParams probe = Workload.params(p.get(Params.IMAGE_SIZE), p.get(Params.STEPS));
    for (Param<?> param : Params.ALL) {
      Object value = p.get(param);
      if (!value.equals(probe.get(param))) {
        args.add(param.key() + "=" + yaml(Params.spelling(value)));
      }
    }
    return args;
  }

  private static String yaml(Object value) {
    if (value instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      list.forEach(v -> parts.add("'" + v + "'"));
      return "[" + String.join(", ", parts) + "]";
    }
    return String.valueOf(value);
  }
}
