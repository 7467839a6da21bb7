package org.stylesweep.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TransferResult;

/**
 * The benchmark: speed (a, b, c) in this JVM, interleaved over repetitions, then memory in fresh
 * JVMs. See {@link BenchCommand} for the options and BENCHMARKS.md for what the figures mean.
 */
final class Bench {

  /** Every setting of one benchmark (the command's options). */
  record Settings(
      List<Integer> sizes,
      int reps,
      int steps,
      int threads,
      String device,
      int warmupEvaluations,
      Path content,
      Path style,
      String weights,
      boolean torch,
      String python,
      Path torchScript,
      int torchWarmup,
      List<Integer> memorySizes,
      int memorySteps,
      int leakSize,
      int leakEvaluations,
      int sampleEvery,
      SparkOverhead.Settings spark) {}

  /** What one size's reps measured, in rep order; torch lists are empty when (c) did not run. */
  record SpeedRow(
      int size,
      int[] imageSize,
      List<Timing> runs,
      List<Timing> floors,
      List<Timing> torches,
      List<Timing> torchFloors,
      List<Double> setupMs,
      List<Timing> lbfgsEarly,
      List<Timing> lbfgsFull) {

    /**
     * a/b once the L-BFGS history is full: each rep's run with the optimizer's early cost replaced
     * by its full-history cost, over the floor; median over reps.
     */
    double runOverFloorAtFullHistory(boolean cpu) {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < Math.min(runs.size(), Math.min(floors.size(), lbfgsFull.size())); i++) {
        double run =
            pick(runs.get(i), cpu) - pick(lbfgsEarly.get(i), cpu) + pick(lbfgsFull.get(i), cpu);
        ratios.add(run / pick(floors.get(i), cpu));
      }
      return Stats.median(ratios);
    }

    /** Median over reps of each rep's ratio of two measurements taken side by side. */
    static double pairedRatio(List<Timing> numerators, List<Timing> denominators, boolean cpu) {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < Math.min(numerators.size(), denominators.size()); i++) {
        ratios.add(pick(numerators.get(i), cpu) / pick(denominators.get(i), cpu));
      }
      return Stats.median(ratios);
    }

    /** a/b: run over floor. */
    double runOverFloor(boolean cpu) {
      return pairedRatio(runs, floors, cpu);
    }

    /** a/c: run over the PyTorch tutorial. */
    double runOverTorch(boolean cpu) {
      return pairedRatio(runs, torches, cpu);
    }

    /** Median of one measurement. */
    static double median(List<Timing> timings, boolean cpu) {
      return Stats.median(timings.stream().map(t -> pick(t, cpu)).toList());
    }

    private static double pick(Timing timing, boolean cpu) {
      return cpu ? timing.cpuMs() : timing.wallMs();
    }
  }

  private final Settings settings;
  private final PrintStream out;

  Bench(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Runs what the settings ask for, printing as it goes; returns the speed rows. */
  List<SpeedRow> run() {
    Device device = Workload.device(settings.device());
    Workload workload =
        Workload.load(settings.content(), settings.style(), settings.weights(), device);
    Workload.setThreads(settings.threads());
    header(workload);
    List<SpeedRow> rows = settings.sizes().isEmpty() ? List.of() : speed(workload);
    if (!settings.memorySizes().isEmpty()) {
      memory(workload);
    }
    if (settings.spark() != null) {
      try {
        new SparkOverhead(settings.spark(), out)
            .run(settings.content(), settings.style(), settings.weights());
      } finally {
        // Spark's tasks set the process's intra-op threads to spark.task.cpus; put ours back.
        Workload.setThreads(settings.threads());
      }
    }
    out.printf(Locale.ROOT, "load average at the end: %s%n", Machine.loadAverage());
    return rows;
  }

  private void header(Workload workload) {
    out.println(
        "stylesweep bench: content conv4_2, style conv1_1..conv5_1, L-BFGS (history 100, no line search),"
            + " init content, clamp end, content "
            + workload.contentName()
            + ", style "
            + workload.styleName()
            + ", weights "
            + workload.weights());
    out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
    out.printf(Locale.ROOT, "cpu: %s%n", Machine.instructionSet());
    String waitPolicy = System.getenv("OMP_WAIT_POLICY");
    out.printf(
        Locale.ROOT,
        "engine: DJL %s, libtorch %s, device %s, intra-op threads %d, OMP_WAIT_POLICY %s%n",
        Engine.getDjlVersion(),
        Engine.getInstance().getVersion(),
        workload.device(),
        JniUtils.getNumThreads(),
        waitPolicy == null ? "unset (libgomp spins; ./spark-submit.sh sets PASSIVE)" : waitPolicy);
    out.printf(Locale.ROOT, "load average at the start: %s%n", Machine.loadAverage());
  }

  private List<SpeedRow> speed(Workload workload) {
    TorchReference torch = null;
    if (settings.torch()) {
      TorchReference candidate = new TorchReference(settings.python(), settings.torchScript());
      String why = candidate.unavailableReason(workload.device());
      if (why == null) {
        torch = candidate;
      } else {
        out.println("(c) skipped: " + why);
      }
    } else {
      out.println("(c) skipped: --no-torch");
    }
    VggLayers.Layer deepest = Workload.deepestLayer();
    Map<Integer, SpeedRow> rows = new LinkedHashMap<>();
    for (int size : settings.sizes()) {
      rows.put(
          size,
          new SpeedRow(
              size,
              workload.contentSize(size),
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>(),
              new ArrayList<>()));
    }
    Map<Integer, Path> torchInputs = new LinkedHashMap<>();
    String torchVersion = null;
    Path tempDir = null;
    try (Vgg19 model = workload.model()) {
      if (torch != null) {
        tempDir = Files.createTempDirectory("stylesweep-bench");
        for (int size : settings.sizes()) {
          Path npz = tempDir.resolve("inputs-" + size + ".npz");
          workload.writeTorchInputs(model, size, npz);
          torchInputs.put(size, npz);
        }
      }
      int smallest = settings.sizes().stream().mapToInt(Integer::intValue).min().orElseThrow();
      out.printf(
          Locale.ROOT,
          "speed: %d evaluations per measurement, timed from the end of the first to the end of"
              + " the last; %d reps after a warm-up (one %d-evaluation run at %d px, then one round of 3 evaluations each);"
              + " the measurements take turns (order rotated each rep)%n",
          settings.steps(),
          settings.reps(),
          settings.warmupEvaluations(),
          smallest);
      if (settings.warmupEvaluations() > 1) {
        // The JVM's JIT compiles the run's Java side (DJL's wrappers, L-BFGS, the objective) over
        // the
        // first few hundred evaluations; measured without this, reps 1-2 carried its CPU time.
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            workload.content(),
            workload.style(),
            Workload.params(smallest, settings.warmupEvaluations()),
            ProgressListener.NONE);
      }
      for (int rep = 0; rep <= settings.reps(); rep++) {
        boolean warmUp = rep == 0;
        int steps = warmUp ? Math.min(3, settings.steps()) : settings.steps();
        for (SpeedRow row : rows.values()) {
          for (int turn = 0; turn < 3; turn++) {
            int which = (turn + rep) % 3;
            if (which == 0) {
              Timing run = run(model, workload, row.size(), steps);
              if (!warmUp) {
                row.runs().add(run);
                row.setupMs().add((double) lastSetupMs);
              }
            } else if (which == 1) {
              Timing floor =
                  FloorPass.measure(model, workload, row.imageSize(), deepest, steps - 1);
              if (!warmUp) {
                row.floors().add(floor);
              }
            } else if (torch != null && !warmUp) {
              TorchReference.Result result =
                  torch.run(
                      torchInputs.get(row.size()),
                      settings.steps(),
                      settings.torchWarmup(),
                      settings.threads(),
                      workload.device(),
                      true);
              torchVersion =
                  "torch "
                      + result.torchVersion()
                      + ", "
                      + result.threads()
                      + " threads, BLAS "
                      + result.blas();
              row.torches().add(result.run());
              row.torchFloors().add(result.floor());
            }
          }
          if (!warmUp) {
            int[] image = row.imageSize();
            OptimizerCost.Result lbfgs =
                OptimizerCost.measure(
                    workload.device(), 3L * image[0] * image[1], settings.steps());
            row.lbfgsEarly().add(lbfgs.early());
            row.lbfgsFull().add(lbfgs.full());
            out.printf(
                Locale.ROOT,
                "  rep %d/%d, %d px, wall/CPU ms: (a) %s (JIT %.1f)  (b) %s  (c) %s  (d) %s  (e) %s, %s%n",
                rep,
                settings.reps(),
                row.size(),
                last(row.runs()),
                row.runs().get(row.runs().size() - 1).jitMs(),
                last(row.floors()),
                last(row.torches()),
                last(row.torchFloors()),
                last(row.lbfgsEarly()),
                last(row.lbfgsFull()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot make a temporary folder for the PyTorch reference's inputs", e);
    } finally {
      deleteQuietly(tempDir, torchInputs.values());
    }
    printSpeed(List.copyOf(rows.values()), torchVersion);
    return List.copyOf(rows.values());
  }

  private long lastSetupMs;

  /**
   * One full run; per-evaluation time from the end of its first evaluation to the end of its last.
   */
  private Timing run(Vgg19 model, Workload workload, int size, int steps) {
    Timing.Mark[] marks = new Timing.Mark[2];
    ProgressListener clock =
        new ProgressListener() {
          @Override
          public void onProgress(
              int evaluation, int budget, double loss, double contentLoss, double styleLoss) {
            if (evaluation == 1) {
              marks[0] = Timing.now();
            } else if (evaluation == budget) {
              marks[1] = Timing.now();
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
            Normalization.IMAGENET,
            Task.TRANSFER,
            workload.content(),
            workload.style(),
            Workload.params(size, steps),
            clock);
    if (!result.ok()) {
      throw new IllegalStateException(
          "the benchmark run at " + size + " px failed: " + result.error());
    }
    if (result.evaluations() != steps || marks[0] == null || marks[1] == null) {
      throw new IllegalStateException(
          "the benchmark run at "
              + size
              + " px stopped after "
              + result.evaluations()
              + " of "
              + steps
              + " evaluations ("
              + result.stopReason().key()
              + ")");
    }
    lastSetupMs = result.setupMillis();
    return Timing.between(marks[0], marks[1], steps - 1);
  }

  private void printSpeed(List<SpeedRow> rows, String torchVersion) {
    for (boolean cpu : new boolean[] {false, true}) {
      out.println();
      out.println(
          cpu
              ? "CPU ms per evaluation (process CPU time, all threads; medians over reps, min-max in brackets):"
              : "Wall ms per evaluation (medians over reps, min-max in brackets):");
      out.println(
          "| size | image | (a) run | (b) floor | (c) torch tutorial | (d) torch floor | a/b | a/c |");
      out.println("|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (SpeedRow row : rows) {
        boolean hasTorch = !row.torches().isEmpty();
        out.printf(
            Locale.ROOT,
            "| %d | %dx%d | %s | %s | %s | %s | %.3f | %s |%n",
            row.size(),
            row.imageSize()[0],
            row.imageSize()[1],
            cell(row.runs(), cpu),
            cell(row.floors(), cpu),
            cell(row.torches(), cpu),
            cell(row.torchFloors(), cpu),
            row.runOverFloor(cpu),
            hasTorch ? String.format(Locale.ROOT, "%.3f", row.runOverTorch(cpu)) : "-");
      }
    }
    out.println(
        "a/b and a/c: median over reps of each rep's ratio (measured side by side). Targets on CPU:"
            + " a/b <= 1.10, a/c <= 0.75."
            + (torchVersion == null ? "" : " (c), (d): " + torchVersion + "."));
    out.println();
    out.printf(
        Locale.ROOT,
        "(e) L-BFGS alone (a quadratic with the image's number of values), CPU ms per iteration:"
            + " over evaluations 1-%d as in (a), and with the full 100-pair history; a/b with (a)'s L-BFGS cost at full"
            + " history:%n",
        settings.steps());
    out.println(
        "| size | (e) evaluations 1-"
            + settings.steps()
            + " | (e) full history | a/b at full history (wall) |"
            + " a/b at full history (CPU) |");
    out.println("|---:|---:|---:|---:|---:|");
    for (SpeedRow row : rows) {
      out.printf(
          Locale.ROOT,
          "| %d | %s | %s | %.3f | %.3f |%n",
          row.size(),
          cell(row.lbfgsEarly(), true),
          cell(row.lbfgsFull(), true),
          row.runOverFloorAtFullHistory(false),
          row.runOverFloorAtFullHistory(true));
    }
    for (SpeedRow row : rows) {
      out.printf(
          Locale.ROOT,
          "setup of a run at %d px (images, targets, initial image): %.0f ms median%n",
          row.size(),
          Stats.median(row.setupMs()));
    }
    for (SpeedRow row : rows) {
      List<Double> jit = row.runs().stream().map(Timing::jitMs).toList();
      out.printf(
          Locale.ROOT,
          "JIT compiler time inside (a) at %d px, part of its CPU time: %.1f ms per evaluation"
              + " median (max %.1f)%n",
          row.size(),
          Stats.median(jit),
          jit.stream().mapToDouble(d -> d).max().orElse(0));
    }
    out.println();
  }

  private static String cell(List<Timing> timings, boolean cpu) {
    if (timings.isEmpty()) {
      return "-";
    }
    List<Double> values = timings.stream().map(t -> cpu ? t.cpuMs() : t.wallMs()).toList();
    return String.format(
        Locale.ROOT,
        "%.1f (%.1f-%.1f)",
        Stats.median(values),
        Stats.min(values),
        Stats.max(values));
  }

  private void memory(Workload workload) {
    if (!ProcStatus.available()) {
      out.println("memory: skipped, /proc/self/status is not readable (Linux only)");
      return;
    }
    out.printf(
        Locale.ROOT,
        "memory: one run per fresh JVM (-Xms=-Xmx=%s, heap pre-touched), %d evaluations%s; RSS sampled every %d%n",
        MemoryProbe.HEAP,
        settings.memorySteps(),
        settings.leakEvaluations() == 0
            ? ""
            : String.format(
                Locale.ROOT, " (%d at %d px)", settings.leakEvaluations(), settings.leakSize()),
        settings.sampleEvery());
    out.println(
        "| size | evaluations | RSS before run MiB | peak RSS MiB | peak - before MiB | ms/eval |");
    out.println("|---:|---:|---:|---:|---:|---:|");
    MemoryProbe.Figures leak = null;
    List<Integer> sizes = new ArrayList<>(settings.memorySizes());
    if (settings.leakEvaluations() > 0 && !sizes.contains(settings.leakSize())) {
      sizes.add(settings.leakSize());
    }
    for (int size : sizes) {
      int steps =
          size == settings.leakSize() && settings.leakEvaluations() > 0
              ? settings.leakEvaluations()
              : settings.memorySteps();
      MemoryProbe.Figures figures =
          MemoryProbe.measure(
              workload,
              settings.content(),
              settings.style(),
              size,
              steps,
              settings.sampleEvery(),
              settings.threads(),
              settings.device());
      if (figures.error() != null) {
        // The memory it held up to there is still what this measures; say where it stopped.
        out.printf(
            Locale.ROOT,
            "(the run at %d px stopped after %d evaluations: %s)%n",
            size,
            figures.evaluations(),
            figures.error());
      }
      out.printf(
          Locale.ROOT,
          "| %d | %d | %.0f | %.0f | %.0f | %.1f |%n",
          size,
          figures.evaluations(),
          mib(figures.rssBeforeRun()),
          mib(figures.peakRss()),
          mib(figures.peakRss() - figures.rssBeforeRun()),
          figures.msPerEvaluation());
      if (size == settings.leakSize() && settings.leakEvaluations() > 0) {
        leak = figures;
      }
    }
    if (leak != null) {
      StringBuilder trail = new StringBuilder();
      for (long[] sample : leak.samples()) {
        trail.append(
            String.format(
                Locale.ROOT,
                " %d:%.0f/%.0f",
                sample[0],
                mib(sample[1]),
                mib(sample[1] - sample[2])));
      }
      // After ~100 evaluations the L-BFGS history (100 pairs of s and y) is full; growth past that
      // is a leak.
      int historyFull = Math.min(110, leak.evaluations());
      out.printf(
          Locale.ROOT,
          "RSS over %d evaluations at %d px (evaluation:RSS/RSS minus committed Java heap, MiB):%s%n",
          leak.evaluations(),
          leak.size(),
          trail);
      out.printf(
          Locale.ROOT,
          "RSS spread (max - min of the samples): %.0f MiB over the whole run, %.0f MiB after"
              + " evaluation %d (history full); without the Java heap: %.0f and %.0f MiB; target <= 100 MiB: %s%n",
          mib(leak.spreadFrom(0)),
          mib(leak.spreadFrom(historyFull)),
          historyFull,
          mib(leak.nativeSpreadFrom(0)),
          mib(leak.nativeSpreadFrom(historyFull)),
          mib(leak.spreadFrom(0)) <= 100
              ? "met"
              : mib(leak.nativeSpreadFrom(0)) <= 100
                  ? "met by native memory, not by RSS (the heap grew)"
                  : "NOT met");
    }
    out.println();
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static String last(List<Timing> timings) {
    if (timings.isEmpty()) {
      return "-";
    }
    Timing t = timings.get(timings.size() - 1);
    return String.format(Locale.ROOT, "%.1f/%.1f", t.wallMs(), t.cpuMs());
  }

  private static void deleteQuietly(Path dir, Iterable<Path> files) {
    if (dir == null) {
      return;
    }
    try {
      for (Path file : files) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A temporary folder left behind is harmless; the figures are what matter.
    }
  }
}
