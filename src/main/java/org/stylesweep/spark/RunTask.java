package org.stylesweep.spark;

import ai.djl.engine.Engine;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.Errors;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.image.ImageStore;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.Spatial;
import org.stylesweep.spec.Stages;
import org.stylesweep.spec.StyleBlend;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.EvaluationBatch;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.QualityMetrics;
import org.stylesweep.transfer.Region;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TransferResult;

/**
 * One run inside a Spark task: pick the device, take the cached model, read the inputs, run the
 * transfer, then write the image and the record durably (image first, so an OK record always has
 * its image) before returning the record's JSON. A run that throws or produces a non-finite loss
 * becomes a FAILED record and the task still succeeds, so the sweep goes on; only a device the
 * manifest insists on and cannot have fails the task.
 *
 * <p>A retried task (after a lost executor, say) finds the record its first attempt wrote and
 * returns it instead of computing the run again; otherwise it overwrites the record under the same
 * name, so a run never has two rows.
 */
final class RunTask implements Function<RunSpec, String> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RunTask.class);

  private final String out;
  private final Broadcast<HadoopConfBytes> conf;

  /** How a local sweep shares its cores among runs; null on a cluster ({@code spark.task.cpus}). */
  private final EngineThreads.LocalShare share;

  /**
   * @param out the qualified output folder
   * @param conf the driver's Hadoop configuration
   * @param share local mode's core sharing, or null to size threads by {@code spark.task.cpus}
   */
  RunTask(String out, Broadcast<HadoopConfBytes> conf, EngineThreads.LocalShare share) {
    this.out = out;
    this.conf = conf;
    this.share = share;
  }

  @Override
  public String call(RunSpec spec) throws IOException {
    try {
      return compute(spec, TaskContext.get(), null);
    } finally {
      if (share != null) {
        share.finished();
      }
    }
  }

  /** How a local sweep shares its cores, or null on a cluster. */
  EngineThreads.LocalShare share() {
    return share;
  }

  /**
   * One run of the task {@code task} (passed in: a batch's runs compute on threads of their own,
   * where {@link TaskContext#get()} is null), evaluated with the other runs of {@code seat}'s batch
   * or alone when {@code seat} is null.
   */
  String compute(RunSpec spec, TaskContext task, EvaluationBatch.Seat seat) throws IOException {
    Configuration hadoop = conf.value().get();
    Path recordPath = OutputLayout.record(out, spec.runId());
    if (task != null && task.attemptNumber() > 0 && HadoopFiles.exists(recordPath, hadoop)) {
      RunRecord earlier = earlierRecord(recordPath, hadoop);
      if (earlier != null && earlier.ok()) {
        LOG.info(
            "run {}: attempt {} found the record of an earlier attempt; not computing it again",
            spec.runId(),
            task.attemptNumber());
        return earlier.toJson();
      }
    }
    RunRecord record = execute(spec, task, hadoop, seat);
    HadoopFiles.writeDurably(
        recordPath, (record.toJson() + "\n").getBytes(StandardCharsets.UTF_8), hadoop);
    return record.toJson();
  }

  /**
   * The record an earlier attempt wrote, or null when it does not parse (the run is then computed
   * again).
   */
  private static RunRecord earlierRecord(Path recordPath, Configuration hadoop) throws IOException {
    try {
      return RunRecord.fromJson(
          new String(HadoopFiles.readAll(recordPath, hadoop), StandardCharsets.UTF_8));
    } catch (UncheckedIOException | IllegalArgumentException e) {
      LOG.warn(
          "record {} of an earlier attempt does not parse ({}); computing the run again",
          recordPath,
          e.getMessage());
      return null;
    }
  }

  private RunRecord execute(
      RunSpec spec, TaskContext task, Configuration hadoop, EvaluationBatch.Seat seat) {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    String executorId = SparkEnv.get() == null ? null : SparkEnv.get().executorId();
    String device = null;
    TransferResult result = null;
    double setupSeconds = 0;
    String error;
    String imagePath = OutputLayout.IMAGES + "/" + spec.runId() + ".png";
    Vgg19 model = null;
    BufferedImage content = null;
    BufferedImage style = null;
    Long estimate = RunMemory.estimate(spec);
    RunMemory memory = null;
    try {
      DeviceSelection.Selection selection =
          DeviceSelection.choose(
              spec.model().device(), resources(task), Engine.getInstance().getGpuCount());
      if (selection.note() != null) {
        LOG.warn("run {}: {}", spec.runId(), selection.note());
      }
      device = selection.device().toString();
      int threads =
          EngineThreads.apply(
              share == null
                  ? EngineThreads.forTask(task == null ? 1 : task.cpus())
                  : share.threadsNow());
      LOG.info(
          "run {}: {} libtorch threads ({})",
          spec.runId(),
          threads,
          share == null
              ? "spark.task.cpus"
              : "local mode: " + share.cores() + " cores shared by the runs in flight");
      if (spec.task() == Task.STYLIZE) {
        // a trained network applied in one pass: no VGG-19 needed
        result = ExecutorStylizers.run(spec, selection.device(), hadoop);
        setupSeconds = result.setupMillis() / 1000.0;
      } else {
        model = ExecutorModels.get(spec.model(), selection.device(), hadoop);
        // On a GPU only this executor knows the free memory: a run that cannot fit fails at once.
        String tooBig = RunMemory.refusal(spec, selection.device(), estimate);
        if (tooBig != null) {
          throw new RunMemory.TooLarge(tooBig);
        }
        memory = RunMemory.watch(selection.device());
      }
      if (result == null && spec.task() == Task.TRAIN_TEXTURE) {
        result = TextureTraining.run(spec, model, out, hadoop, new LoggingListener(spec, share));
        setupSeconds = result.setupMillis() / 1000.0;
      }
      if (result == null && spec.task() == Task.TRAIN_STYLE) {
        // a feed-forward network, not a pixel optimisation: see StyleTraining
        result = StyleTraining.run(spec, model, out, hadoop, new LoggingListener(spec, share));
        setupSeconds = result.setupMillis() / 1000.0;
      }
      // Twice the side each input is resized to is plenty to decode; the header is checked first.
      int side = spec.params().get(Params.IMAGE_SIZE);
      int styleSide =
          (int) Math.min(Params.MAX_IMAGE_SIZE, Math.round(Stages.largestStyleSide(spec.params())));
      content =
          spec.content() == null || result != null
              ? null
              : ImageStore.read(Spatial.image(spec.content()), hadoop, 2 * side);
      int styleDecode = 2 * Math.max(1, styleSide);
      if (result != null) {
        // trained above
      } else if (Spatial.isRegionStyle(spec.style())) {
        // spatial control: each region of the content with its style (masks at full size)
        Map<String, String> masks = Spatial.masks(spec.content());
        List<Region> regions = new ArrayList<>();
        for (Map.Entry<String, Spatial.RegionStyle> e :
            Spatial.regionStyles(spec.style()).entrySet()) {
          String mask = masks.get(e.getKey());
          if (mask == null) {
            continue; // a region of another content
          }
          Spatial.RegionStyle s = e.getValue();
          regions.add(
              new Region(
                  ImageStore.read(mask, hadoop),
                  ImageStore.read(s.image(), hadoop, styleDecode),
                  s.mask() == null ? null : ImageStore.read(s.mask(), hadoop),
                  1.0));
        }
        String rest = Spatial.rest(spec.style());
        BufferedImage plain = rest == null ? null : ImageStore.read(rest, hadoop, styleDecode);
        double beforeTransfer = seconds(start);
        result =
            StyleTransfer.runGuided(
                model,
                spec.model().normalization(),
                content,
                plain,
                regions,
                spec.params(),
                new LoggingListener(spec, share));
        setupSeconds = beforeTransfer + result.setupMillis() / 1000.0;
      } else {
        List<BufferedImage> styles = new ArrayList<>();
        for (String member : StyleBlend.members(spec.style())) {
          styles.add(ImageStore.read(member, hadoop, styleDecode));
        }
        // The quality measures compare with one style image; a blend has none (they are skipped).
        style = styles.size() == 1 ? styles.get(0) : null;
        double beforeTransfer = seconds(start);
        result =
            seat == null
                ? StyleTransfer.runBlend(
                    model,
                    spec.model().normalization(),
                    spec.task(),
                    content,
                    styles,
                    spec.params(),
                    new LoggingListener(spec, share))
                : StyleTransfer.runBlend(
                    model,
                    spec.model().normalization(),
                    spec.task(),
                    content,
                    styles,
                    spec.params(),
                    new LoggingListener(spec, share),
                    seat);
        setupSeconds = beforeTransfer + result.setupMillis() / 1000.0;
      }
      error =
          result.error() == null
              ? null
              : result
                  .error()
                  .replace("the content image (", "the content image " + spec.content() + " (")
                  .replace("the style image (", "the style image " + spec.style() + " (");
      if (error == null && result.image() == null) {
        error = "the transfer returned no image";
      }
      if (error == null) {
        // a multi-scale run's coarse stages first, so an OK record always has every image
        for (int k = 1; k < result.stages().size(); k++) {
          ImageStore.writePng(
              result.stages().get(k - 1).image(),
              new Path(out, OutputLayout.stageImage(spec.runId(), k)).toString(),
              hadoop);
        }
        ImageStore.writePng(result.image(), new Path(out, imagePath).toString(), hadoop);
      }
    } catch (DeviceSelection.DeviceUnavailableException e) {
      throw e;
    } catch (RunMemory.TooLarge e) {
      error = e.getMessage();
    } catch (IOException | UncheckedIOException e) {
      error = e.getMessage();
    } catch (RuntimeException | LinkageError | AssertionError e) {
      error = Errors.describe(e);
    } catch (Error e) {
      // OutOfMemoryError and the like go to Spark as they are; the memory sampler stops first.
      if (memory != null) {
        memory.close();
      }
      throw e;
    }
    Long peak = memory == null ? null : memory.close();
    if (error != null) {
      // A task Spark is killing (job cancelled, speculative copy) was interrupted, not failed: let
      // Spark see the kill and leave no FAILED record behind.
      if (task != null) {
        task.killTaskIfInterrupted();
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new IllegalStateException("run " + spec.runId() + " was interrupted: " + error);
      }
      LOG.warn("run {} FAILED: {}", spec.runId(), error);
    }
    Map<String, Double> quality = Map.of();
    if (error == null && model != null) {
      quality = quality(spec, model, content, style, result);
    }
    RunRecord.Context context = new RunRecord.Context(device, executorId, hostName(), startedAt);
    return RunRecord.of(spec, result, error, imagePath, setupSeconds, seconds(start), context)
        .withQuality(quality)
        .withMemory(peak, estimate);
  }

  /**
   * The quality measures of an OK run's result; none (with a warning) when they cannot be computed,
   * which does not fail the run.
   */
  private static Map<String, Double> quality(
      RunSpec spec,
      Vgg19 model,
      BufferedImage content,
      BufferedImage style,
      TransferResult result) {
    long start = System.nanoTime();
    try {
      Map<String, Double> measures =
          QualityMetrics.measure(
              model, spec.model().normalization(), spec.task(), result.image(), content, style);
      LOG.info(
          "run {}: quality measures in {} ms: {}",
          spec.runId(),
          (System.nanoTime() - start) / 1_000_000,
          measures);
      return measures;
    } catch (RuntimeException e) {
      LOG.warn("run {}: quality measures not computed: {}", spec.runId(), Errors.describe(e));
      return Map.of();
    }
  }

  private static Map<String, List<String>> resources(TaskContext task) {
    Map<String, List<String>> resources = new HashMap<>();
    if (task != null) {
      for (Map.Entry<String, ResourceInformation> e : task.resourcesJMap().entrySet()) {
        resources.put(e.getKey(), List.of(e.getValue().addresses()));
      }
    }
    return resources;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  /** Executor-side progress: one log line every tenth of the run (at most every 50 evaluations). */
  private static final class LoggingListener implements ProgressListener {
    private final RunSpec spec;
    private final int every;
    private final EngineThreads.LocalShare share;
    private int threads = -1;

    LoggingListener(RunSpec spec, EngineThreads.LocalShare share) {
      this.spec = spec;
      this.every = Math.max(1, Math.min(50, Stages.totalSteps(spec.params()) / 10));
      this.share = share;
    }

    /** In local mode, takes the cores other runs of the sweep left behind when they finished. */
    @Override
    public void onEvaluation(int evaluation) {
      if (share == null) {
        return;
      }
      int wanted = share.threadsNow();
      if (threads < 0) {
        threads = EngineThreads.current();
      }
      if (wanted != threads) {
        LOG.info(
            "run {}: {} libtorch threads from evaluation {} (runs of the sweep finished)",
            spec.runId(),
            wanted,
            evaluation + 1);
        threads = EngineThreads.apply(wanted);
      }
    }

    @Override
    public void onProgress(
        int evaluation, int steps, double loss, double contentLoss, double styleLoss) {
      LOG.info(
          "run {}: evaluation {}/{} loss {} (content {}, style {})",
          spec.runId(),
          evaluation,
          steps,
          String.format("%.4g", loss),
          String.format("%.4g", contentLoss),
          String.format("%.4g", styleLoss));
    }

    @Override
    public int every() {
      return every;
    }
  }
}
