package org.stylesweep.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Stages;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TransferResult;

/**
 * {@code bench --stages}: does a multi-scale schedule reach the single-scale run's final loss
 * sooner? One single-scale run of {@code baseline} evaluations at {@code size} sets the target (its
 * final loss, and its wall time); then each schedule runs in the same JVM, and the time it first
 * reaches that loss in its last stage (the same size, so the losses compare) is printed beside the
 * single-scale time with their ratio, in wall time and in this process's CPU time (which a busy,
 * shared machine disturbs less). Every run has the same parameters apart from {@code stages}.
 */
final class StagesBench {
  private final Workload workload;
  private final Normalization normalization;
  private final RunParams base;
  private final PrintStream out;

  /**
   * @param base the runs' parameters (size and steps are the single-scale run's)
   */
  StagesBench(Workload workload, Normalization normalization, RunParams base, PrintStream out) {
    this.workload = workload;
    this.normalization = normalization;
    this.base = base;
    this.out = out;
  }

  /** One schedule's outcome. */
  record Outcome(
      String schedule,
      double seconds,
      double finalLoss,
      double secondsToTarget,
      double cpuSeconds,
      double cpuSecondsToTarget,
      int evaluationToTarget,
      String error) {}

  /** Runs the single-scale reference, then each schedule; prints the table; returns the rows. */
  List<Outcome> run(List<String> schedules) {
    int size = base.get(Params.IMAGE_SIZE);
    // Every schedule is checked before the first run, so a bad one costs no time.
    List<RunParams> runs = new ArrayList<>();
    for (String schedule : schedules) {
      RunParams staged = base.with(Params.STAGES, Stages.canonical(List.of(schedule)));
      List<Stages.Stage> stages = Stages.of(staged);
      if (stages.get(stages.size() - 1).size() != size) {
        throw new IllegalArgumentException(
            "--stages "
                + schedule
                + ": the last stage must be --stages-size ("
                + size
                + " px) so its loss compares with the single-scale run's");
      }
      runs.add(staged);
    }
    List<Outcome> outcomes = new ArrayList<>();
    try (Vgg19 model = workload.model()) {
      out.printf(
          Locale.ROOT,
          "multi-scale stages at %d px: single-scale %d evaluations, then %s; weights %s,"
              + " normalization %s, device %s%n",
          size,
          base.get(Params.STEPS),
          String.join(" | ", schedules),
          workload.weights(),
          normalization.key(),
          workload.device());
      Timed reference = timed(model, base, Double.NaN, 0);
      if (reference.result.error() != null) {
        throw new IllegalStateException(
            "the single-scale reference failed: " + reference.result.error());
      }
      double target = finalLoss(reference.result);
      Outcome single =
          new Outcome(
              size + ":" + base.get(Params.STEPS) + " (single scale)",
              reference.seconds,
              target,
              reference.seconds,
              reference.cpuSeconds,
              reference.cpuSeconds,
              reference.result.evaluations(),
              null);
      outcomes.add(single);
      print(single, single, true);
      for (RunParams staged : runs) {
        List<Stages.Stage> stages = Stages.of(staged);
        int before = Stages.totalSteps(staged) - stages.get(stages.size() - 1).steps();
        Timed t = timed(model, staged, target, before);
        Outcome o =
            new Outcome(
                String.join(",", staged.get(Params.STAGES)),
                t.seconds,
                t.result.error() == null ? finalLoss(t.result) : Double.NaN,
                t.secondsToTarget,
                t.cpuSeconds,
                t.cpuSecondsToTarget,
                t.evaluationToTarget,
                t.result.error());
        outcomes.add(o);
        print(o, single, false);
      }
    }
    return outcomes;
  }

  private void print(Outcome o, Outcome reference, boolean header) {
    if (header) {
      out.printf(
          Locale.ROOT,
          "%-36s %9s %9s %12s %16s %9s %7s %9s %7s%n",
          "schedule",
          "wall s",
          "CPU s",
          "final loss",
          "reaches ref at",
          "wall s",
          "ratio",
          "CPU s",
          "ratio");
    }
    boolean reached = o.secondsToTarget() >= 0;
    out.printf(
        Locale.ROOT,
        "%-36s %9.1f %9.1f %12.5g %16s %9s %7s %9s %7s%s%n",
        o.schedule(),
        o.seconds(),
        o.cpuSeconds(),
        o.finalLoss(),
        reached ? "evaluation " + o.evaluationToTarget() : "not reached",
        reached ? String.format(Locale.ROOT, "%.1f", o.secondsToTarget()) : "-",
        reached
            ? String.format(Locale.ROOT, "%.2f", o.secondsToTarget() / reference.seconds())
            : "-",
        reached ? String.format(Locale.ROOT, "%.1f", o.cpuSecondsToTarget()) : "-",
        reached
            ? String.format(Locale.ROOT, "%.2f", o.cpuSecondsToTarget() / reference.cpuSeconds())
            : "-",
        o.error() == null ? "" : "  FAILED: " + o.error());
  }

  /** A run with its wall time and when it first got to {@code target} after {@code before}. */
  private record Timed(
      TransferResult result,
      double seconds,
      double secondsToTarget,
      double cpuSeconds,
      double cpuSecondsToTarget,
      int evaluationToTarget) {}

  private Timed timed(Vgg19 model, RunParams params, double target, int before) {
    long start = System.nanoTime();
    long cpuStart = cpuNanos();
    long[] reachedAt = {-1};
    long[] reachedCpu = {-1};
    int[] reachedEvaluation = {0};
    ProgressListener watch =
        new ProgressListener() {
          @Override
          public void onProgress(int evaluation, int steps, double loss, double c, double s) {
            if (reachedAt[0] < 0 && evaluation > before && loss <= target) {
              reachedAt[0] = System.nanoTime();
              reachedCpu[0] = cpuNanos();
              reachedEvaluation[0] = evaluation;
            }
          }

          @Override
          public int every() {
            return 1;
          }
        };
    TransferResult result =
        StyleTransfer.run(
            model,
            normalization,
            Task.TRANSFER,
            workload.content(),
            workload.style(),
            params,
            watch);
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (cpuNanos() - cpuStart) / 1e9;
    return new Timed(
        result,
        seconds,
        reachedAt[0] < 0 ? -1 : (reachedAt[0] - start) / 1e9,
        cpuSeconds,
        reachedCpu[0] < 0 ? -1 : (reachedCpu[0] - cpuStart) / 1e9,
        reachedEvaluation[0]);
  }

  /** CPU time of this process (every thread: libtorch's, the JIT's, the collector's). */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static double finalLoss(TransferResult r) {
    int at = r.resultEvaluation() > 0 ? r.resultEvaluation() : r.evaluations();
    return r.lossHistory()[at - 1];
  }
}
