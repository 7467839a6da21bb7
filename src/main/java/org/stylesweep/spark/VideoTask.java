package org.stylesweep.spark;

import ai.djl.engine.Engine;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.Errors;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.image.ImageStore;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Temporal;
import org.stylesweep.spec.VideoRunSpec;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TemporalGuide;
import org.stylesweep.transfer.TransferResult;
import org.stylesweep.video.FrameChain;
import org.stylesweep.video.OpticalFlow;

/**
 * The executor side of a video run. A {@link Work} item is either one frame (frame by frame: each
 * frame is its own task) or a chain of frames (temporal: in order, each tied to the ones before).
 * Each frame writes its image, then its record, durably; a chain skips the frames whose record is
 * already OK (it reads their images back as the earlier frames), so a chain killed mid-way resumes
 * at its first unfinished frame. A chain may be one chunk of a run ({@code chunk_frames}); how a
 * chunk starts is {@link #startChunk}'s. Returns how many frames it computed.
 */
final class VideoTask implements Function<VideoTask.Work, Integer> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(VideoTask.class);

  /**
   * @param run the video run
   * @param from first frame index
   * @param to one past the last frame index
   */
  record Work(VideoRunSpec run, int from, int to) implements Serializable {}

  private final String out;
  private final Broadcast<HadoopConfBytes> conf;

  VideoTask(String out, Broadcast<HadoopConfBytes> conf) {
    this.out = out;
    this.conf = conf;
  }

  @Override
  public Integer call(Work work) throws IOException {
    Configuration hadoop = conf.value().get();
    VideoRunSpec run = work.run();
    TaskContext task = TaskContext.get();
    DeviceSelection.Selection selection =
        DeviceSelection.choose(
            run.model().device(), resources(task), Engine.getInstance().getGpuCount());
    EngineThreads.apply(task == null ? 1 : task.cpus());
    Vgg19 model = ExecutorModels.get(run.model(), selection.device(), hadoop);
    int side = run.params().get(Params.IMAGE_SIZE);
    int styleSide =
        (int)
            Math.min(
                Params.MAX_IMAGE_SIZE, Math.round(run.params().get(Params.STYLE_SCALE) * side));
    // As RunTask reads a style, so that a frame equals the single-image run on it.
    BufferedImage style = ImageStore.read(run.style(), hadoop, 2 * Math.max(1, styleSide));
    Temporal mode = run.params().get(Params.TEMPORAL);
    Map<Integer, float[]> results = new HashMap<>();
    int computed = 0;
    Chain chain = Chain.WHOLE;
    if (mode != Temporal.NONE) {
      chain = startChunk(model, run, mode, work.from(), style, results, hadoop);
    }
    for (int i = work.from(); i < work.to(); i++) {
      FrameRecord earlier = FrameRecord.read(VideoLayout.record(out, run.runId(), i), hadoop);
      if (earlier != null && earlier.ok()) {
        if (mode != Temporal.NONE) {
          results.put(
              i,
              planar(ImageStore.read(VideoLayout.frame(out, run.runId(), i).toString(), hadoop)));
        }
        continue;
      }
      long start = System.nanoTime();
      BufferedImage content =
          ImageStore.read(VideoLayout.contentFrame(out, run.framesId(), i).toString(), hadoop);
      Frame computedFrame = frame(model, run, mode, i, content, style, results, hadoop, chain);
      TransferResult result = computedFrame.result();
      boolean warmStart = computedFrame.tied();
      String error = result.error();
      if (error == null) {
        try {
          ImageStore.writePng(
              result.image(), VideoLayout.frame(out, run.runId(), i).toString(), hadoop);
        } catch (IOException | RuntimeException e) {
          error = Errors.describe(e);
        }
      }
      int at =
          Math.max(
              0,
              (result.resultEvaluation() > 0 ? result.resultEvaluation() : result.evaluations())
                  - 1);
      boolean has = result.lossHistory() != null && result.lossHistory().length > at;
      FrameRecord record =
          new FrameRecord(
              run.runId(),
              i,
              error == null ? Schemas.OK : Schemas.FAILED,
              error,
              has ? result.lossHistory()[at] : Double.NaN,
              has ? result.contentLossHistory()[at] : Double.NaN,
              has ? result.styleLossHistory()[at] : Double.NaN,
              result.evaluations(),
              (System.nanoTime() - start) / 1e9,
              warmStart);
      record.write(VideoLayout.record(out, run.runId(), i), hadoop);
      computed++;
      if (error == null) {
        if (mode != Temporal.NONE) {
          results.put(i, planar(result.image()));
        }
        LOG.info(
            "video run {}: frame {} done in {} s",
            run.runId(),
            i,
            String.format("%.1f", record.seconds()));
      } else {
        LOG.warn("video run {}: frame {} FAILED: {}", run.runId(), i, error);
      }
      // A chain keeps only the frames it may still look back to.
      int newest = i;
      results.keySet().removeIf(k -> k <= newest - 4);
    }
    return computed;
  }

  /**
   * Which earlier frames a chain may tie to: none before {@code floor}, and on disk only those from
   * {@code diskFrom} on (earlier ones come from this task's memory: its own overlap chain).
   */
  private record Chain(int floor, int diskFrom) {
    static final Chain WHOLE = new Chain(0, 0);
  }

  /**
   * Prepares the start of a temporal task at frame {@code from}. Three cases at a chunk boundary
   * {@code s} (the first frame of a chunk after the first):
   *
   * <ul>
   *   <li>{@code from == s} and frame s−1 is not finished (chunks run in parallel): the chunk
   *       starts {@code chunk_overlap} frames early, the first of them frame by frame, and chains
   *       through them, writing each durably to {@code overlap/} (those already there, from a
   *       killed try, are read back instead) for the driver to cross-fade with the previous chunk's
   *       frames;
   *   <li>{@code from == s} and frame s−1 is finished: one chain across the boundary, tied to it
   *       directly; overlap frames of an earlier try lead into nothing now and are deleted;
   *   <li>{@code from > s} (a resumed chunk): its earlier frames are on disk; when the chunk was
   *       seeded by an overlap, the overlap frames are read back, and when it started cold nothing
   *       before s is looked at, so that the look-back (long-term: up to 4 frames) sees the same
   *       chain as before the interruption.
   * </ul>
   */
  private Chain startChunk(
      Vgg19 model,
      VideoRunSpec run,
      Temporal mode,
      int from,
      BufferedImage style,
      Map<Integer, float[]> results,
      Configuration hadoop)
      throws IOException {
    int size = run.params().get(Params.CHUNK_FRAMES);
    int overlap = run.params().get(Params.CHUNK_OVERLAP);
    int s = from - from % size;
    if (s == 0) {
      return Chain.WHOLE;
    }
    if (from > s) {
      boolean seeded = false;
      for (int i = s - overlap; i < s; i++) {
        Path p = VideoLayout.overlapFrame(out, run.runId(), i);
        if (HadoopFiles.exists(p, hadoop)) {
          results.put(i, planar(ImageStore.read(p.toString(), hadoop)));
          seeded = true;
        }
      }
      if (seeded) {
        return new Chain(s - overlap, s);
      }
      // A chunk that started cold (chunk_overlap 0) tied to nothing before s; keep it so.
      FrameRecord first = FrameRecord.read(VideoLayout.record(out, run.runId(), s), hadoop);
      return first != null && first.ok() && !first.warmStart() ? new Chain(s, s) : Chain.WHOLE;
    }
    if (okOnDisk(run, s - 1, hadoop)) {
      for (int i = s - overlap; i < s; i++) {
        HadoopFiles.deleteRecursively(VideoLayout.overlapFrame(out, run.runId(), i), hadoop);
      }
      return Chain.WHOLE;
    }
    Chain chain = new Chain(s - overlap, s);
    LOG.info(
        "video run {}: frame {} is not finished, so the chunk from frame {} {}",
        run.runId(),
        s - 1,
        s,
        overlap == 0 ? "starts cold (chunk_overlap 0)" : "starts " + overlap + " frames early");
    for (int i = s - overlap; i < s; i++) {
      Path p = VideoLayout.overlapFrame(out, run.runId(), i);
      if (HadoopFiles.exists(p, hadoop)) {
        results.put(i, planar(ImageStore.read(p.toString(), hadoop)));
        continue;
      }
      long start = System.nanoTime();
      BufferedImage content =
          ImageStore.read(VideoLayout.contentFrame(out, run.framesId(), i).toString(), hadoop);
      TransferResult result =
          frame(model, run, mode, i, content, style, results, hadoop, chain).result();
      if (result.error() != null) {
        LOG.warn("video run {}: overlap frame {} FAILED: {}", run.runId(), i, result.error());
        continue;
      }
      ImageStore.writePng(result.image(), p.toString(), hadoop);
      results.put(i, planar(result.image()));
      LOG.info(
          "video run {}: overlap frame {} (for the chunk from {}) done in {} s",
          run.runId(),
          i,
          s,
          String.format("%.1f", (System.nanoTime() - start) / 1e9));
    }
    return chain;
  }

  /** A frame's result, and whether the temporal loss tied it to an earlier frame. */
  private record Frame(TransferResult result, boolean tied) {}

  /**
   * One frame: a plain transfer (frame by frame, or no earlier frame the chain may tie to), else
   * tied by the temporal loss to the earlier results it finds (in memory, else on disk).
   */
  private Frame frame(
      Vgg19 model,
      VideoRunSpec run,
      Temporal mode,
      int i,
      BufferedImage content,
      BufferedImage style,
      Map<Integer, float[]> results,
      Configuration hadoop,
      Chain chain)
      throws IOException {
    List<float[]> earlierFrames = new ArrayList<>();
    List<FrameChain.Pair> pairs = new ArrayList<>();
    for (int j : FrameChain.lookBack(mode, i)) {
      if (i - j < chain.floor()) {
        continue; // before this task's chain began: another chain's frame
      }
      if (!results.containsKey(i - j)) {
        Path p = VideoLayout.frame(out, run.runId(), i - j);
        if (i - j < chain.diskFrom() || !okOnDisk(run, i - j, hadoop)) {
          continue; // not there (failed, or a chunk still running): no tie to it
        }
        results.put(i - j, planar(ImageStore.read(p.toString(), hadoop)));
      }
      earlierFrames.add(results.get(i - j));
      pairs.add(
          new FrameChain.Pair(
              readFlow(VideoLayout.flow(out, run.framesId(), i - j, i), hadoop),
              readFlow(VideoLayout.flow(out, run.framesId(), i, i - j), hadoop)));
    }
    Progress progress = new Progress(run.runId(), i, run.params().get(Params.STEPS));
    if (earlierFrames.isEmpty()) {
      return new Frame(
          StyleTransfer.run(
              model,
              run.model().normalization(),
              org.stylesweep.spec.Task.TRANSFER,
              content,
              style,
              run.params(),
              progress),
          false);
    }
    TemporalGuide guide =
        FrameChain.guide(content.getWidth(), content.getHeight(), earlierFrames, pairs);
    return new Frame(
        StyleTransfer.runTemporal(
            model, run.model().normalization(), content, style, run.params(), guide, progress),
        true);
  }

  private boolean okOnDisk(VideoRunSpec run, int i, Configuration hadoop) throws IOException {
    FrameRecord r = FrameRecord.read(VideoLayout.record(out, run.runId(), i), hadoop);
    return r != null && r.ok();
  }

  static OpticalFlow.Field readFlow(Path path, Configuration hadoop) throws IOException {
    return OpticalFlow.fromFlo(HadoopFiles.readAll(path, hadoop), path.toString());
  }

  static float[] planar(BufferedImage image) {
    return ImageTensors.toPlanar(image).data();
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

  /** One log line every tenth of a frame's evaluations. */
  private record Progress(String runId, int frame, int steps) implements ProgressListener {
    @Override
    public void onProgress(int evaluation, int total, double loss, double content, double style) {
      LOG.info(
          "video run {} frame {}: evaluation {}/{} loss {}",
          runId,
          frame,
          evaluation,
          total,
          String.format("%.4g", loss));
    }

    @Override
    public int every() {
      return Math.max(1, Math.min(50, steps / 10));
    }
  }
}
