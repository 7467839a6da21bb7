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
import org.stylesweep.model.Normalization;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.Task;
import org.stylesweep.transfer.TransferResult;

/**
 * The benchmark: speed (a, b, c) in this JVM, interleaved over repetitions, then memory in fresh
 * JVMs. See {@link BenchCommand} for the options and BENCHMARKS.md for what the figures mean.
 */
final class Bench {

  /** Every setting of one benchmark (the command's options). */
  record Settings(
      List<Integer> sizes, int reps, int steps, int threads, String device, Path content, Path style, String weights,
      boolean torch, String python, Path torchScript, int torchWarmup,
      List<Integer> memorySizes, int memorySteps, int leakSize, int leakEvaluations, int sampleEvery) {}

  /** Medians of one size. */
  record SpeedRow(int size, int[] imageSize, double runMs, double floorMs, double torchMs,
      List<Double> runs, List<Double> floors, List<Double> torches) {
    double runOverFloor() {
      return runMs / floorMs;
    }

    double runOverTorch() {
      return runMs / torchMs;
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
    Workload workload = Workload.load(settings.content(), settings.style(), settings.weights(), device);
    JniUtils.setNumThreads(settings.threads());
    header(workload);
    List<SpeedRow> rows = settings.sizes().isEmpty() ? List.of() : speed(workload);
    if (!settings.memorySizes().isEmpty()) {
      memory(workload);
    }
    out.printf(Locale.ROOT, "load average at the end: %s%n", Machine.loadAverage());
    return rows;
  }

  private void header(Workload workload) {
    out.println("stylesweep bench: content conv4_2, style conv1_1..conv5_1, L-BFGS (history 100, no line search),"
        + " init content, clamp end, content " + workload.contentName() + ", style " + workload.styleName()
        + ", weights " + workload.weights());
    out.printf(Locale.ROOT, "machine: %s%n", Machine.describe());
    out.printf(Locale.ROOT, "engine: DJL %s, libtorch %s, device %s, intra-op threads %d%n",
        Engine.getDjlVersion(), Engine.getInstance().getVersion(), workload.device(), JniUtils.getNumThreads());
    out.printf(Locale.ROOT, "load average at the start: %s%n", Machine.loadAverage());
  }

  private List<SpeedRow> speed(Workload workload) {
    TorchReference torch = null;
    if (settings.torch()) {
      TorchReference candidate = new TorchReference(settings.python(), settings.torchScript());
      String why = candidate.unavailableReason();
      if (why == null) {
        torch = candidate;
      } else {
        out.println("(c) skipped: " + why);
      }
    } else {
      out.println("(c) skipped: --no-torch");
    }
    VggLayers.Layer deepest = Workload.deepestLayer();
    Map<Integer, List<Double>> runs = new LinkedHashMap<>();
    Map<Integer, List<Double>> floors = new LinkedHashMap<>();
    Map<Integer, List<Double>> torches = new LinkedHashMap<>();
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
      out.printf(Locale.ROOT, "speed: %d evaluations per measurement, %d reps after one warm-up round; the three"
          + " measurements take turns (order rotated each rep); medians%n", settings.steps(), settings.reps());
      for (int rep = 0; rep <= settings.reps(); rep++) {
        boolean warmUp = rep == 0;
        for (int size : settings.sizes()) {
          int[] imageSize = workload.contentSize(size);
          for (int turn = 0; turn < 3; turn++) {
            int which = (turn + rep) % 3;
            if (which == 0) {
              double ms = runMs(model, workload, size, warmUp ? Math.min(3, settings.steps()) : settings.steps());
              if (!warmUp) {
                runs.computeIfAbsent(size, k -> new ArrayList<>()).add(ms);
              }
            } else if (which == 1) {
              double ms = FloorPass.msPerPass(model, workload, imageSize, deepest,
                  warmUp ? Math.min(3, settings.steps()) : settings.steps());
              if (!warmUp) {
                floors.computeIfAbsent(size, k -> new ArrayList<>()).add(ms);
              }
            } else if (torch != null && !warmUp) {
              TorchReference.Timing timing = torch.run(torchInputs.get(size), settings.steps(), settings.torchWarmup(),
                  settings.threads(), workload.device());
              torchVersion = "torch " + timing.torchVersion() + ", " + timing.threads() + " threads";
              torches.computeIfAbsent(size, k -> new ArrayList<>()).add(timing.msPerEvaluation());
            }
          }
          if (!warmUp) {
            out.printf(Locale.ROOT, "  rep %d/%d, %d px: a %.1f  b %.1f  c %s ms%n", rep, settings.reps(), size,
                last(runs.get(size)), last(floors.get(size)),
                torches.containsKey(size) ? String.format(Locale.ROOT, "%.1f", last(torches.get(size))) : "-");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary folder for the PyTorch reference's inputs", e);
    } finally {
      deleteQuietly(tempDir, torchInputs.values());
    }
    List<SpeedRow> rows = new ArrayList<>();
    for (int size : settings.sizes()) {
      List<Double> t = torches.getOrDefault(size, List.of());
      rows.add(new SpeedRow(size, workload.contentSize(size), Stats.median(runs.get(size)),
          Stats.median(floors.get(size)), Stats.median(t), runs.get(size), floors.get(size), t));
    }
    printSpeed(rows, torchVersion);
    return rows;
  }

  private double runMs(Vgg19 model, Workload workload, int size, int steps) {
    TransferResult result = StyleTransfer.run(model, Normalization.IMAGENET, Task.TRANSFER,
        workload.content(), workload.style(), Workload.params(size, steps), ProgressListener.NONE);
    if (!result.ok()) {
      throw new IllegalStateException("the benchmark run at " + size + " px failed: " + result.error());
    }
    if (result.evaluations() != steps) {
      throw new IllegalStateException("the benchmark run at " + size + " px stopped after " + result.evaluations()
          + " of " + steps + " evaluations (" + result.stopReason().key() + ")");
    }
    return result.msPerEvaluation();
  }

  private void printSpeed(List<SpeedRow> rows, String torchVersion) {
    out.println();
    out.println("| size | image | (a) run ms/eval | (b) floor ms/pass | (c) torch ms/eval | a/b | a/c |");
    out.println("|---:|---:|---:|---:|---:|---:|---:|");
    for (SpeedRow row : rows) {
      boolean hasTorch = !row.torches().isEmpty();
      out.printf(Locale.ROOT, "| %d | %dx%d | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | %s | %.3f | %s |%n",
          row.size(), row.imageSize()[0], row.imageSize()[1],
          row.runMs(), Stats.min(row.runs()), Stats.max(row.runs()),
          row.floorMs(), Stats.min(row.floors()), Stats.max(row.floors()),
          hasTorch ? String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", row.torchMs(), Stats.min(row.torches()),
              Stats.max(row.torches())) : "-",
          row.runOverFloor(),
          hasTorch ? String.format(Locale.ROOT, "%.3f", row.runOverTorch()) : "-");
    }
    out.println("medians over " + settings.reps() + " reps (min-max in brackets); targets on CPU: a/b <= 1.10,"
        + " a/c <= 0.75" + (torchVersion == null ? "" : "; (c) " + torchVersion));
    out.println();
  }

  private void memory(Workload workload) {
    if (!ProcStatus.available()) {
      out.println("memory: skipped, /proc/self/status is not readable (Linux only)");
      return;
    }
    out.printf(Locale.ROOT, "memory: one run per fresh JVM (-Xmx1g); %d evaluations, %d at %d px"
        + " (RSS sampled every %d)%n", settings.memorySteps(), settings.leakEvaluations(), settings.leakSize(),
        settings.sampleEvery());
    out.println("| size | evaluations | RSS before run MiB | peak RSS MiB | peak - before MiB | ms/eval |");
    out.println("|---:|---:|---:|---:|---:|---:|");
    MemoryProbe.Figures leak = null;
    List<Integer> sizes = new ArrayList<>(settings.memorySizes());
    if (settings.leakEvaluations() > 0 && !sizes.contains(settings.leakSize())) {
      sizes.add(settings.leakSize());
    }
    for (int size : sizes) {
      int steps = size == settings.leakSize() && settings.leakEvaluations() > 0
          ? settings.leakEvaluations() : settings.memorySteps();
      MemoryProbe.Figures figures = MemoryProbe.measure(workload, settings.content(), settings.style(), size, steps,
          settings.sampleEvery(), settings.threads(), settings.device());
      if (figures.error() != null) {
        throw new IllegalStateException("the memory run at " + size + " px failed: " + figures.error());
      }
      out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f | %.0f | %.1f |%n", size, figures.evaluations(),
          mib(figures.rssBeforeRun()), mib(figures.peakRss()), mib(figures.peakRss() - figures.rssBeforeRun()),
          figures.msPerEvaluation());
      if (size == settings.leakSize() && settings.leakEvaluations() > 0) {
        leak = figures;
      }
    }
    if (leak != null) {
      StringBuilder trail = new StringBuilder();
      for (long[] sample : leak.samples()) {
        trail.append(String.format(Locale.ROOT, " %d:%.0f", sample[0], mib(sample[1])));
      }
      long spread = leak.spreadFrom(0);
      // After ~100 evaluations the L-BFGS history (100 pairs of s and y) is full; growth past that is a leak.
      long afterHistory = leak.spreadFrom(Math.min(110, leak.evaluations()));
      out.printf(Locale.ROOT, "RSS over %d evaluations at %d px (evaluation:MiB):%s%n", leak.evaluations(),
          leak.size(), trail);
      out.printf(Locale.ROOT, "RSS spread (max - min of the samples): %.0f MiB over the whole run, %.0f MiB after"
          + " evaluation 110 (history full); target <= 100 MiB: %s%n", mib(spread), mib(afterHistory),
          mib(spread) <= 100 ? "met" : "NOT met");
    }
    out.println();
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static double last(List<Double> values) {
    return values == null || values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
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
