package org.stylesweep.bench;

import ai.djl.pytorch.jni.JniUtils;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.EvaluationBatch;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TransferResult;

/**
 * Sweep throughput on this machine, in one JVM, the settings taking turns each rep: sweeps of 1, 2
 * and 5 runs (or {@code --throughput-runs}) on as many task slots as cores, with one libtorch
 * thread per run (local mode's rule before: {@code spark.task.cpus 1}) against the cores shared by
 * the runs in flight (the rule now, {@code spark.EngineThreads}); then N runs one at a time on
 * every core against the same N runs batched (one network pass per evaluation for all). It calls
 * the engine directly, as the Spark tasks do, without Spark's own costs (those are the Spark
 * overhead section's).
 */
final class Throughput {

  /**
   * @param size image size of every run
   * @param steps evaluations per run
   * @param runCounts sweep sizes to compare
   * @param batch runs of the batched comparison
   * @param reps repetitions, each setting once per rep
   */
  record Settings(int size, int steps, List<Integer> runCounts, int batch, int reps) {}

  private final Settings settings;
  private final PrintStream out;
  private final int cores = Runtime.getRuntime().availableProcessors();

  Throughput(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** A set of runs' wall time and the mean of their own ms per evaluation. */
  private record Outcome(double wallSeconds, double msPerEvaluation, int runs, double cpuSeconds) {
    double runsPerHour() {
      return runs / wallSeconds * 3600;
    }

    /** Runs per hour of the process's CPU time: steadier than wall time on a loaded machine. */
    double runsPerCpuHour() {
      return runs / cpuSeconds * 3600;
    }
  }

  /** Process CPU time, all threads, in seconds. */
  private static double cpuNow() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() / 1e9
        : Double.NaN;
  }

  void run(Workload workload) {
    out.printf(
        Locale.ROOT,
        "throughput: %d px, %d evaluations per run, %d cores, %d reps (settings take turns each"
            + " rep; medians, min-max)%n",
        settings.size(),
        settings.steps(),
        cores,
        settings.reps());
    try (Vgg19 model = workload.model()) {
      // warm-up: the JIT and libtorch's first passes
      sweep(model, workload, 1, false);
      batched(model, workload, 2);
      List<Integer> counts = settings.runCounts();
      List<List<Outcome>> before = new ArrayList<>();
      List<List<Outcome>> now = new ArrayList<>();
      counts.forEach(c -> before.add(new ArrayList<>()));
      counts.forEach(c -> now.add(new ArrayList<>()));
      List<Outcome> alone = new ArrayList<>();
      List<Outcome> together = new ArrayList<>();
      for (int rep = 1; rep <= settings.reps(); rep++) {
        for (int i = 0; i < counts.size(); i++) {
          boolean shareFirst = (rep + i) % 2 == 0;
          for (int turn = 0; turn < 2; turn++) {
            boolean share = (turn == 0) == shareFirst;
            Outcome o = sweep(model, workload, counts.get(i), share);
            (share ? now : before).get(i).add(o);
            out.printf(
                Locale.ROOT,
                "  rep %d/%d, %d-run sweep, %s: %.1f s, %.1f ms per evaluation%n",
                rep,
                settings.reps(),
                counts.get(i),
                share ? "cores shared" : "1 thread per run",
                o.wallSeconds(),
                o.msPerEvaluation());
          }
        }
        boolean batchFirst = rep % 2 == 0;
        for (int turn = 0; turn < 2; turn++) {
          boolean batch = (turn == 0) == batchFirst;
          Outcome o =
              batch ? batched(model, workload, settings.batch()) : oneAtATime(model, workload);
          (batch ? together : alone).add(o);
          out.printf(
              Locale.ROOT,
              "  rep %d/%d, %d runs %s: %.1f s wall, %.1f s CPU, %.0f runs per hour%n",
              rep,
              settings.reps(),
              settings.batch(),
              batch ? "batched" : "one at a time",
              o.wallSeconds(),
              o.cpuSeconds(),
              o.runsPerHour());
        }
      }
      out.println();
      out.println(
          "| runs in the sweep | ms per evaluation, 1 thread per run (before) | ms per evaluation,"
              + " cores shared (now) | sweep wall s, before | sweep wall s, now | now / before (wall) |");
      out.println("|---:|---:|---:|---:|---:|---:|");
      for (int i = 0; i < counts.size(); i++) {
        out.printf(
            Locale.ROOT,
            "| %d | %s | %s | %s | %s | %.2f |%n",
            counts.get(i),
            cell(before.get(i).stream().mapToDouble(Outcome::msPerEvaluation).toArray()),
            cell(now.get(i).stream().mapToDouble(Outcome::msPerEvaluation).toArray()),
            cell(before.get(i).stream().mapToDouble(Outcome::wallSeconds).toArray()),
            cell(now.get(i).stream().mapToDouble(Outcome::wallSeconds).toArray()),
            median(ratios(now.get(i), before.get(i))));
      }
      out.println();
      out.println(
          "| runs | runs per hour, one at a time on every core | runs per hour, batched | batched /"
              + " one at a time (wall) | runs per CPU hour, one at a time | runs per CPU hour,"
              + " batched | batched / one at a time (CPU) |");
      out.println("|---:|---:|---:|---:|---:|---:|---:|");
      double[] cpuRatios = new double[alone.size()];
      for (int i = 0; i < cpuRatios.length; i++) {
        cpuRatios[i] = alone.get(i).cpuSeconds() / together.get(i).cpuSeconds();
      }
      out.printf(
          Locale.ROOT,
          "| %d | %s | %s | %.2f | %s | %s | %.2f |%n",
          settings.batch(),
          cell(alone.stream().mapToDouble(Outcome::runsPerHour).toArray()),
          cell(together.stream().mapToDouble(Outcome::runsPerHour).toArray()),
          median(ratios(alone, together)),
          cell(alone.stream().mapToDouble(Outcome::runsPerCpuHour).toArray()),
          cell(together.stream().mapToDouble(Outcome::runsPerCpuHour).toArray()),
          median(cpuRatios));
    }
  }

  /** median (min-max) */
  private static String cell(double[] values) {
    List<Double> list = java.util.Arrays.stream(values).boxed().toList();
    return String.format(
        Locale.ROOT, "%.1f (%.1f-%.1f)", Stats.median(list), Stats.min(list), Stats.max(list));
  }

  private static double median(double[] values) {
    return Stats.median(java.util.Arrays.stream(values).boxed().toList());
  }

  /** Per rep, a's wall over b's. */
  private static double[] ratios(List<Outcome> a, List<Outcome> b) {
    double[] r = new double[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = a.get(i).wallSeconds() / b.get(i).wallSeconds();
    }
    return r;
  }

  /**
   * {@code runs} runs on {@code min(runs, cores)} workers, as local[*] with spark.task.cpus 1
   * schedules them; each with 1 thread, or with the cores shared among the runs not yet finished.
   */
  private Outcome sweep(Vgg19 model, Workload workload, int runs, boolean share) {
    AtomicInteger left = new AtomicInteger(runs);
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(runs, cores));
    double cpu = cpuNow();
    long start = System.nanoTime();
    try {
      List<Future<TransferResult>> futures = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        futures.add(
            pool.submit(
                () -> {
                  try {
                    int[] threads = {share ? shareOf(left.get()) : 1};
                    JniUtils.setNumThreads(threads[0]);
                    ProgressListener resize =
                        new ProgressListener() {
                          @Override
                          public void onProgress(
                              int evaluation, int steps, double loss, double c, double s) {}

                          @Override
                          public void onEvaluation(int evaluation) {
                            int wanted = share ? shareOf(left.get()) : 1;
                            if (wanted != threads[0]) {
                              JniUtils.setNumThreads(wanted);
                              threads[0] = wanted;
                            }
                          }
                        };
                    return transfer(model, workload, resize, null);
                  } finally {
                    left.decrementAndGet();
                  }
                }));
      }
      return outcome(futures, start, cpu);
    } finally {
      pool.shutdownNow();
    }
  }

  private int shareOf(int left) {
    return Math.max(1, cores / Math.max(1, Math.min(left, cores)));
  }

  /** The batch's runs one after another, each on every core. */
  private Outcome oneAtATime(Vgg19 model, Workload workload) {
    JniUtils.setNumThreads(cores);
    double cpu = cpuNow();
    long start = System.nanoTime();
    double ms = 0;
    for (int r = 0; r < settings.batch(); r++) {
      ms += check(transfer(model, workload, ProgressListener.NONE, null)).msPerEvaluation();
    }
    return new Outcome(
        (System.nanoTime() - start) / 1e9, ms / settings.batch(), settings.batch(), cpuNow() - cpu);
  }

  /** {@code n} runs evaluated together, every thread on every core. */
  private Outcome batched(Vgg19 model, Workload workload, int n) {
    List<EvaluationBatch.Seat> seats = EvaluationBatch.seats(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    double cpu = cpuNow();
    long start = System.nanoTime();
    try {
      List<Future<TransferResult>> futures = new ArrayList<>();
      for (EvaluationBatch.Seat seat : seats) {
        futures.add(
            pool.submit(
                () -> {
                  JniUtils.setNumThreads(cores);
                  return transfer(model, workload, ProgressListener.NONE, seat);
                }));
      }
      return outcome(futures, start, cpu);
    } finally {
      pool.shutdownNow();
    }
  }

  private TransferResult transfer(
      Vgg19 model, Workload workload, ProgressListener listener, EvaluationBatch.Seat seat) {
    List<java.awt.image.BufferedImage> styles = List.of(workload.style());
    var params = Workload.params(settings.size(), settings.steps());
    return seat == null
        ? StyleTransfer.runBlend(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            workload.content(),
            styles,
            params,
            listener)
        : StyleTransfer.runBlend(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            workload.content(),
            styles,
            params,
            listener,
            seat);
  }

  private static TransferResult check(TransferResult result) {
    if (!result.ok()) {
      throw new IllegalStateException("a throughput run failed: " + result.error());
    }
    return result;
  }

  private static Outcome outcome(List<Future<TransferResult>> futures, long start, double cpu) {
    double ms = 0;
    for (Future<TransferResult> f : futures) {
      try {
        ms += check(f.get()).msPerEvaluation();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a throughput run failed: " + e.getCause(), e.getCause());
      }
    }
    return new Outcome(
        (System.nanoTime() - start) / 1e9, ms / futures.size(), futures.size(), cpuNow() - cpu);
  }
}
