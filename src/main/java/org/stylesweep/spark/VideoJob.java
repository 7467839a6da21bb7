package org.stylesweep.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.common.UserError;
import org.stylesweep.image.ImageStore;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.manifest.ManifestException;
import org.stylesweep.manifest.SweepPlan;
import org.stylesweep.manifest.VideoPlanner;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Temporal;
import org.stylesweep.spec.VideoInput;
import org.stylesweep.spec.VideoRunSpec;
import org.stylesweep.video.ChunkBlend;
import org.stylesweep.video.FrameChain;
import org.stylesweep.video.OpticalFlow;
import org.stylesweep.video.VideoCodec;

/**
 * The video runs of a sweep ({@code videos:} in the manifest), after its image runs:
 *
 * <ol>
 *   <li>the driver decodes each clip's selected frames once per size into {@code video-inputs/}
 *       (skipped when there already);
 *   <li>optical flow of each frame pair, forward and backward, as Spark tasks (pairs are
 *       independent), cached as {@code .flo} files;
 *   <li>the frames: frame by frame ({@code temporal: none}) each frame is a task; temporal runs are
 *       one chain task each (or one per chunk of {@code chunk_frames}), which resumes at its first
 *       frame without an OK record;
 *   <li>the driver cross-fades the overlap frames at chunk seams ({@code blended/}), computes each
 *       shown frame's temporal error and writes the mp4, the GIF preview and the per-frame Parquet
 *       table {@code video-metrics/}.
 * </ol>
 */
public final class VideoJob {
  private static final Logger LOG = LoggerFactory.getLogger(VideoJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Longest side of the GIF preview. */
  static final int PREVIEW_SIDE = 160;

  private VideoJob() {}

  /**
   * What the video runs did.
   *
   * @param runs video runs planned
   * @param frames frames in all runs
   * @param computed frames computed by this call (the rest were already OK)
   * @param failed frames FAILED afterwards
   * @param meanTemporalError per run id, the mean of its frames' temporal errors
   */
  public record Outcome(
      int runs, int frames, int computed, int failed, Map<String, Double> meanTemporalError) {}

  /** The frames of a clip at a size, as prepared in {@code video-inputs/}. */
  record Frames(int count, int width, int height, double fps) implements Serializable {}

  /** Runs every video run of the plan into {@code out} (qualified). */
  public static Outcome run(SparkSession spark, SweepPlan plan, String out) throws IOException {
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    List<VideoRunSpec> runs;
    try {
      runs = VideoPlanner.plan(plan, hadoop);
    } catch (ManifestException e) {
      throw new UserError(e.getMessage(), true, e);
    }
    if (runs.isEmpty()) {
      return new Outcome(0, 0, 0, 0, Map.of());
    }
    Map<String, Frames> frames = new LinkedHashMap<>();
    for (VideoRunSpec run : runs) {
      if (!frames.containsKey(run.framesId())) {
        frames.put(run.framesId(), prepareFrames(run, out, hadoop));
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<HadoopConfBytes> conf = jsc.broadcast(new HadoopConfBytes(hadoop));
    try {
      computeFlows(jsc, conf, runs, frames, out, hadoop);
      int computed = computeFrames(jsc, conf, runs, frames, out, hadoop);
      return finish(spark, runs, frames, out, hadoop, computed);
    } finally {
      conf.destroy();
    }
  }

  /** Decodes the selected frames once at the run's size (longest side image_size). */
  private static Frames prepareFrames(VideoRunSpec run, String out, Configuration hadoop)
      throws IOException {
    Path info = VideoLayout.info(out, run.framesId());
    if (HadoopFiles.exists(info, hadoop)) {
      return JSON.readValue(HadoopFiles.readAll(info, hadoop), Frames.class);
    }
    int side = run.params().get(Params.IMAGE_SIZE);
    VideoInput video = run.video();
    LOG.info("video {}: decoding the selected frames at {} px", video.uri(), side);
    int[] count = {0};
    int[] size = new int[2];
    IOException[] failure = {null};
    double sourceFps =
        VideoCodec.decode(
            video,
            hadoop,
            frame -> {
              int[] s = ImageTensors.scaledSize(frame.getWidth(), frame.getHeight(), side);
              size[0] = s[0];
              size[1] = s[1];
              try {
                ImageStore.writePng(
                    ImageTensors.resize(frame, s[0], s[1]),
                    VideoLayout.contentFrame(out, run.framesId(), count[0]).toString(),
                    hadoop);
              } catch (IOException e) {
                failure[0] = e;
              }
              count[0]++;
            });
    if (failure[0] != null) {
      throw failure[0];
    }
    if (count[0] == 0) {
      throw new UserError(
          "the video "
              + video.uri()
              + " has no frame from start "
              + video.start()
              + " (stride "
              + video.stride()
              + "); lower videos[].start",
          true);
    }
    Frames result = new Frames(count[0], size[0], size[1], video.outputFps(sourceFps));
    HadoopFiles.writeDurably(info, JSON.writeValueAsBytes(result), hadoop);
    LOG.info(
        "video {}: {} frames of {}x{} at {} fps",
        video.uri(),
        count[0],
        size[0],
        size[1],
        result.fps());
    return result;
  }

  /** Flow pairs (from, to) every run needs: (i−1, i) always (the temporal error), and J back. */
  private static void computeFlows(
      JavaSparkContext jsc,
      Broadcast<HadoopConfBytes> conf,
      List<VideoRunSpec> runs,
      Map<String, Frames> frames,
      String out,
      Configuration hadoop)
      throws IOException {
    Set<List<Object>> pairs = new LinkedHashSet<>();
    for (VideoRunSpec run : runs) {
      int n = frames.get(run.framesId()).count();
      Temporal mode = run.params().get(Params.TEMPORAL);
      for (int i = 1; i < n; i++) {
        List<Integer> back = new ArrayList<>(FrameChain.lookBack(mode, i));
        if (!back.contains(1)) {
          back.add(1);
        }
        for (int j : back) {
          if (!HadoopFiles.exists(VideoLayout.flow(out, run.framesId(), i, i - j), hadoop)) {
            pairs.add(List.of(run.framesId(), i - j, i));
          }
        }
      }
    }
    if (pairs.isEmpty()) {
      return;
    }
    LOG.info("optical flow: {} frame pairs, forward and backward", pairs.size());
    List<List<Object>> todo = new ArrayList<>(pairs);
    String target = out;
    jsc.parallelize(todo, Math.min(todo.size(), Math.max(1, jsc.defaultParallelism() * 4)))
        .foreach(
            pair -> {
              Configuration h = conf.value().get();
              String id = (String) pair.get(0);
              int a = (Integer) pair.get(1);
              int b = (Integer) pair.get(2);
              BufferedImage fa =
                  ImageStore.read(VideoLayout.contentFrame(target, id, a).toString(), h);
              BufferedImage fb =
                  ImageStore.read(VideoLayout.contentFrame(target, id, b).toString(), h);
              HadoopFiles.writeDurably(
                  VideoLayout.flow(target, id, a, b),
                  OpticalFlow.toFlo(OpticalFlow.dis(fa, fb)),
                  h);
              // The backward flow last: its file says the pair is done.
              HadoopFiles.writeDurably(
                  VideoLayout.flow(target, id, b, a),
                  OpticalFlow.toFlo(OpticalFlow.dis(fb, fa)),
                  h);
            });
  }

  private static int computeFrames(
      JavaSparkContext jsc,
      Broadcast<HadoopConfBytes> conf,
      List<VideoRunSpec> runs,
      Map<String, Frames> frames,
      String out,
      Configuration hadoop)
      throws IOException {
    List<VideoTask.Work> work = new ArrayList<>();
    int chains = 0;
    int skipped = 0;
    for (VideoRunSpec run : runs) {
      int n = frames.get(run.framesId()).count();
      boolean chain = run.params().get(Params.TEMPORAL) != Temporal.NONE;
      List<Integer> missing = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        FrameRecord r = FrameRecord.read(VideoLayout.record(out, run.runId(), i), hadoop);
        if (r == null || !r.ok()) {
          missing.add(i);
        }
      }
      skipped += n - missing.size();
      if (missing.isEmpty()) {
        continue;
      }
      if (chain) {
        // Chains first: each is one long sequential task, so it should not wait for the rest.
        // A long clip is cut into chunks of chunk_frames, each resuming at its first missing frame.
        int size = run.params().get(Params.CHUNK_FRAMES);
        for (int c = 0; c < n; c += size) {
          int end = Math.min(n, c + size);
          int begin = c;
          java.util.Optional<Integer> first =
              missing.stream().filter(i -> i >= begin && i < end).findFirst();
          if (first.isPresent()) {
            work.add(chains++, new VideoTask.Work(run, first.get(), end));
          }
        }
      } else {
        missing.forEach(i -> work.add(new VideoTask.Work(run, i, i + 1)));
      }
    }
    LOG.info(
        "video runs: {} runs, {} frames already OK (skipped), {} tasks to run",
        runs.size(),
        skipped,
        work.size());
    if (work.isEmpty()) {
      return 0;
    }
    List<Integer> counts =
        jsc.parallelize(work, work.size()).map(new VideoTask(out, conf)).collect();
    return counts.stream().mapToInt(Integer::intValue).sum();
  }

  private static Outcome finish(
      SparkSession spark,
      List<VideoRunSpec> runs,
      Map<String, Frames> frames,
      String out,
      Configuration hadoop,
      int computed)
      throws IOException {
    List<Row> rows = new ArrayList<>();
    Map<String, Double> means = new LinkedHashMap<>();
    int total = 0;
    int failed = 0;
    for (VideoRunSpec run : runs) {
      Frames f = frames.get(run.framesId());
      List<BufferedImage> images = new ArrayList<>();
      float[] previous = null;
      double sum = 0;
      int counted = 0;
      Map<Integer, Path> blended = blend(run, f.count(), out, hadoop);
      for (int i = 0; i < f.count(); i++) {
        total++;
        FrameRecord r = FrameRecord.read(VideoLayout.record(out, run.runId(), i), hadoop);
        Double error = null;
        String image = null;
        float[] current = null;
        if (r != null && r.ok()) {
          Path p = blended.getOrDefault(i, VideoLayout.frame(out, run.runId(), i));
          BufferedImage stylised = ImageStore.read(p.toString(), hadoop);
          images.add(stylised);
          image = p.toString().substring(out.length() + 1);
          current = VideoTask.planar(stylised);
          if (previous != null) {
            error =
                FrameChain.temporalError(
                    current,
                    previous,
                    new FrameChain.Pair(
                        VideoTask.readFlow(VideoLayout.flow(out, run.framesId(), i - 1, i), hadoop),
                        VideoTask.readFlow(
                            VideoLayout.flow(out, run.framesId(), i, i - 1), hadoop)));
            sum += error;
            counted++;
          }
        } else {
          failed++;
        }
        previous = current;
        rows.add(
            RowFactory.create(
                run.runId(),
                run.video().uri(),
                run.style(),
                run.params().get(Params.TEMPORAL).key(),
                run.params().get(Params.TEMPORAL_WEIGHT),
                i,
                r == null ? Schemas.FAILED : r.status(),
                r == null ? "no record: the frame did not finish" : r.error(),
                r == null || Double.isNaN(r.loss()) ? null : r.loss(),
                r == null || Double.isNaN(r.contentLoss()) ? null : r.contentLoss(),
                r == null || Double.isNaN(r.styleLoss()) ? null : r.styleLoss(),
                r == null ? 0 : r.evaluations(),
                r == null ? 0.0 : r.seconds(),
                r != null && r.warmStart(),
                error,
                image,
                run.params().get(Params.CHUNK_FRAMES),
                run.params().get(Params.CHUNK_OVERLAP)));
      }
      if (counted > 0) {
        means.put(run.runId(), sum / counted);
      }
      Path folder = VideoLayout.run(out, run.runId());
      if (images.size() == f.count()) {
        VideoCodec.writeMp4(images, f.fps(), 0.5, new Path(folder, "video.mp4"), hadoop);
        VideoCodec.writeGif(images, f.fps(), PREVIEW_SIDE, new Path(folder, "preview.gif"), hadoop);
        Path original = new Path(folder, "original.mp4");
        if (!HadoopFiles.exists(original, hadoop)) {
          List<BufferedImage> originals = new ArrayList<>();
          for (int i = 0; i < f.count(); i++) {
            originals.add(
                ImageStore.read(
                    VideoLayout.contentFrame(out, run.framesId(), i).toString(), hadoop));
          }
          VideoCodec.writeMp4(originals, f.fps(), 0.5, original, hadoop);
        }
      }
      LOG.info(
          "video run {} ({} on {}, temporal {}): {} of {} frames OK, mean temporal error {}",
          run.runId(),
          new Path(run.style()).getName(),
          run.video().uri(),
          run.params().get(Params.TEMPORAL).key(),
          images.size(),
          f.count(),
          counted > 0 ? String.format("%.5f", sum / counted) : "-");
    }
    compare(runs, rows, means);
    spark
        .createDataFrame(rows, Schemas.VIDEO_FRAMES)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(new Path(out, VideoLayout.METRICS).toString());
    return new Outcome(runs.size(), total, computed, failed, means);
  }

  /**
   * Cross-fades the overlap frames of every chunk boundary where the next chunk ran its own chain
   * through them ({@link ChunkBlend}): writes {@code blended/} and returns the frames to show in
   * their place. A boundary is blended only when its first frame is OK and overlap frames exist (a
   * chunk that chained directly to a finished predecessor deleted them); each blended frame needs
   * both its own OK frame and the overlap frame. The inputs are durable files, so a rerun writes
   * the same bytes again.
   */
  private static Map<Integer, Path> blend(
      VideoRunSpec run, int frames, String out, Configuration hadoop) throws IOException {
    Map<Integer, Path> shown = new LinkedHashMap<>();
    int overlap = run.params().get(Params.CHUNK_OVERLAP);
    if (run.params().get(Params.TEMPORAL) == Temporal.NONE || overlap == 0) {
      return shown;
    }
    for (int s : ChunkBlend.boundaries(frames, run.params().get(Params.CHUNK_FRAMES))) {
      if (!ok(run, s, out, hadoop)) {
        continue;
      }
      List<Integer> done = new ArrayList<>();
      for (int k = 0; k < overlap; k++) {
        int i = s - overlap + k;
        Path b = VideoLayout.overlapFrame(out, run.runId(), i);
        if (!ok(run, i, out, hadoop) || !HadoopFiles.exists(b, hadoop)) {
          continue;
        }
        BufferedImage a =
            ImageStore.read(VideoLayout.frame(out, run.runId(), i).toString(), hadoop);
        Path target = VideoLayout.blendedFrame(out, run.runId(), i);
        ImageStore.writePng(
            ChunkBlend.blend(
                a, ImageStore.read(b.toString(), hadoop), ChunkBlend.alpha(k, overlap)),
            target.toString(),
            hadoop);
        shown.put(i, target);
        done.add(i);
      }
      if (!done.isEmpty()) {
        LOG.info(
            "video run {}: frames {} cross-faded into the chunk from frame {}",
            run.runId(),
            done,
            s);
      }
    }
    return shown;
  }

  private static boolean ok(VideoRunSpec run, int i, String out, Configuration hadoop)
      throws IOException {
    FrameRecord r = FrameRecord.read(VideoLayout.record(out, run.runId(), i), hadoop);
    return r != null && r.ok();
  }

  /**
   * Logs, for each clip and style, every run's mean temporal error and mean style loss beside the
   * frame-by-frame run's, with their ratios: the comparison the temporal loss is for.
   */
  private static void compare(List<VideoRunSpec> runs, List<Row> rows, Map<String, Double> means) {
    Map<String, double[]> style = new LinkedHashMap<>();
    for (Row r : rows) {
      if (!r.isNullAt(10)) {
        double[] acc = style.computeIfAbsent(r.getString(0), k -> new double[2]);
        acc[0] += r.getDouble(10);
        acc[1]++;
      }
    }
    Map<String, List<VideoRunSpec>> groups = new LinkedHashMap<>();
    for (VideoRunSpec run : runs) {
      groups.computeIfAbsent(run.framesId() + " " + run.style(), k -> new ArrayList<>()).add(run);
    }
    for (List<VideoRunSpec> group : groups.values()) {
      VideoRunSpec base =
          group.stream()
              .filter(r -> r.params().get(Params.TEMPORAL) == Temporal.NONE)
              .findFirst()
              .orElse(null);
      for (VideoRunSpec run : group) {
        double te = means.getOrDefault(run.runId(), Double.NaN);
        double[] st = style.getOrDefault(run.runId(), new double[] {Double.NaN, 1});
        double sl = st[0] / st[1];
        String ratios = "";
        if (base != null && base != run) {
          double[] bs = style.getOrDefault(base.runId(), new double[] {Double.NaN, 1});
          ratios =
              String.format(
                  " = %.3fx and %.3fx frame by frame",
                  te / means.getOrDefault(base.runId(), Double.NaN), sl / (bs[0] / bs[1]));
        }
        long frames = rows.stream().filter(r -> r.getString(0).equals(run.runId())).count();
        int chunk = run.params().get(Params.CHUNK_FRAMES);
        String chunks =
            run.params().get(Params.TEMPORAL) != Temporal.NONE && chunk < frames
                ? ", chunks of " + chunk + ", overlap " + run.params().get(Params.CHUNK_OVERLAP)
                : "";
        LOG.info(
            "compare {} on {}: temporal {} (weight {}{}): mean temporal error {}, mean style loss"
                + " {}{}",
            new Path(run.style()).getName(),
            new Path(run.video().uri()).getName(),
            run.params().get(Params.TEMPORAL).key(),
            run.params().get(Params.TEMPORAL_WEIGHT),
            chunks,
            String.format("%.5f", te),
            String.format("%.4g", sl),
            ratios);
      }
    }
  }
}
