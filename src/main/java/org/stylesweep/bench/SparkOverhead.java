package org.stylesweep.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.stylesweep.image.ImageStore;
import org.stylesweep.manifest.Manifest;
import org.stylesweep.manifest.ManifestException;
import org.stylesweep.manifest.ManifestParser;
import org.stylesweep.manifest.SweepPlan;
import org.stylesweep.manifest.SweepPlanner;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spark.SweepJob;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TransferResult;
import org.stylesweep.weights.WeightsResolver;

/**
 * Spark's cost per run: the same small sweep run by {@link SweepJob} on {@code local[slots]}
 * (images and records written, the metrics table rebuilt) and called directly on a pool of {@code
 * slots} threads ({@link StyleTransfer#run} only, one intra-op thread each, as a task with {@code
 * spark.task.cpus=1} gets), alternately. Each sweep writes into a fresh folder, so it computes
 * every run.
 */
final class SparkOverhead {

  /**
   * Settings of the comparison.
   *
   * @param runs runs in the sweep (seeds 0..runs-1 of one content and style pair)
   * @param size image size
   * @param steps evaluations per run
   * @param slots Spark local slots and direct threads
   * @param reps timed repetitions after a warm-up round
   */
  record Settings(int runs, int size, int steps, int slots, int reps) {}

  private final Settings settings;
  private final PrintStream out;

  SparkOverhead(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /** Measures and prints; returns the median overhead per run in seconds. */
  double run(Path content, Path style, String weights) {
    Path dir;
    try {
      dir = Files.createTempDirectory("stylesweep-bench-spark");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary folder for the Spark sweep", e);
    }
    long sessionStart = System.nanoTime();
    // A session that exists already (a notebook's, another caller's) is used and left running.
    boolean ours =
        SparkSession.getDefaultSession().isEmpty() && SparkSession.getActiveSession().isEmpty();
    SparkSession spark =
        SparkSession.builder()
            .appName("stylesweep bench")
            .master("local[" + settings.slots() + "]")
            .config("spark.task.cpus", "1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    double sessionSeconds = (System.nanoTime() - sessionStart) / 1e9;
    try {
      Configuration hadoop = spark.sparkContext().hadoopConfiguration();
      SweepPlan plan = plan(dir, content, style, weights, hadoop);
      out.printf(
          Locale.ROOT,
          "spark: %d runs of %d px x %d evaluations, %s (spark.task.cpus %s) against"
              + " the same runs called directly on %d threads (1 intra-op thread each); session start %.1f s (once"
              + " per job, not counted)%n",
          plan.runs().size(),
          settings.size(),
          settings.steps(),
          spark.sparkContext().master(),
          spark.conf().get("spark.task.cpus", "1"),
          settings.slots(),
          sessionSeconds);
      List<Double> sparkSeconds = new ArrayList<>();
      List<Double> directSeconds = new ArrayList<>();
      List<Double> overheads = new ArrayList<>();
      try (Vgg19 model = Workload.load(content, style, weights, ai.djl.Device.cpu()).model()) {
        for (int rep = 0; rep <= settings.reps(); rep++) {
          // Alternate which goes first, so a drift in the machine's load hits both alike.
          double sweep;
          double direct;
          if (rep % 2 == 0) {
            sweep = sweep(spark, plan, dir.resolve("out-" + rep));
            direct = direct(model, plan, hadoop);
          } else {
            direct = direct(model, plan, hadoop);
            sweep = sweep(spark, plan, dir.resolve("out-" + rep));
          }
          double perRun = (sweep - direct) * settings.slots() / plan.runs().size();
          out.printf(
              Locale.ROOT,
              "  %s: sweep %.1f s, direct %.1f s, overhead per run %.2f s%n",
              rep == 0 ? "warm-up" : "rep " + rep + "/" + settings.reps(),
              sweep,
              direct,
              perRun);
          if (rep > 0) {
            sparkSeconds.add(sweep);
            directSeconds.add(direct);
            overheads.add(perRun);
          }
        }
      }
      double overhead = Stats.median(overheads);
      out.printf(
          Locale.ROOT,
          "spark overhead per run: %.2f s median (sweep %.1f s, direct %.1f s; overhead per run ="
              + " (sweep - direct) x %d slots / %d runs); target < 1 s: %s%n%n",
          overhead,
          Stats.median(sparkSeconds),
          Stats.median(directSeconds),
          settings.slots(),
          plan.runs().size(),
          overhead < 1 ? "met" : "NOT met");
      return overhead;
    } finally {
      if (ours) {
        spark.stop();
      }
      deleteTree(dir);
    }
  }

  private SweepPlan plan(Path dir, Path content, Path style, String weights, Configuration hadoop) {
    StringBuilder seeds = new StringBuilder();
    for (int i = 0; i < settings.runs(); i++) {
      seeds.append(i == 0 ? "" : ", ").append(i);
    }
    String yaml =
        String.join(
            "\n",
            "name: bench-spark-overhead",
            "model: {weights: '" + weights + "', normalization: imagenet, pooling: max}",
            "task: transfer",
            "contents: ['" + content.toAbsolutePath().toUri() + "']",
            "styles: ['" + style.toAbsolutePath().toUri() + "']",
            // Strong Wolfe: both sides must do the same work, and a fixed-step L-BFGS run may end
            // early
            // on an overshoot to a non-finite loss.
            "defaults: {image_size: "
                + settings.size()
                + ", steps: "
                + settings.steps()
                + ", line_search: strong_wolfe}",
            "sweep: {seed: [" + seeds + "]}",
            "");
    Path manifest = dir.resolve("bench.yaml");
    try {
      Files.writeString(manifest, yaml, StandardCharsets.UTF_8);
      Manifest parsed =
          new ManifestParser(hadoop, name -> VggLayers.resolve(name).name())
              .parse(manifest.toString(), List.of());
      WeightsResolver resolver =
          new WeightsResolver(hadoop, new org.apache.hadoop.fs.Path(dir.toUri()));
      return new SweepPlanner(hadoop).plan(parsed, resolver.resolve(parsed.model(), false).model());
    } catch (ManifestException e) {
      throw new IllegalArgumentException(
          "the benchmark's own sweep is invalid: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the benchmark's sweep in " + dir, e);
    }
  }

  private static double sweep(SparkSession spark, SweepPlan plan, Path outDir) {
    long start = System.nanoTime();
    try {
      SweepJob.Outcome outcome = SweepJob.run(spark, plan, outDir.toString());
      if (outcome.ok() != plan.runs().size()) {
        throw new IllegalStateException(
            "the benchmark sweep finished "
                + outcome.ok()
                + " of "
                + plan.runs().size()
                + " runs OK ("
                + outcome.failed()
                + " FAILED); see "
                + outDir);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the benchmark sweep could not write " + outDir, e);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private double direct(Vgg19 model, SweepPlan plan, Configuration hadoop) {
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(settings.slots());
    try {
      List<Future<TransferResult>> results = new ArrayList<>();
      for (RunSpec spec : plan.runs()) {
        results.add(
            pool.submit(
                () -> {
                  BufferedImage content = ImageStore.read(spec.content(), hadoop);
                  BufferedImage style = ImageStore.read(spec.style(), hadoop);
                  return StyleTransfer.run(
                      model,
                      spec.model().normalization(),
                      spec.task(),
                      content,
                      style,
                      spec.params(),
                      ProgressListener.NONE);
                }));
      }
      for (Future<TransferResult> result : results) {
        TransferResult done = result.get();
        if (!done.ok()) {
          throw new IllegalStateException("a direct benchmark run failed: " + done.error());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "a direct benchmark run failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind is harmless.
    }
  }
}
