package org.stylesweep.spark;

import org.apache.hadoop.fs.Path;

/**
 * Where video runs write in the output folder:
 *
 * <pre>
 * video-inputs/&lt;frames_id&gt;/000000.png     a clip's selected frames at a run size (shared)
 * video-inputs/&lt;frames_id&gt;/info.json      their count, size and frame rate
 * video-inputs/&lt;frames_id&gt;/flow/a-b.flo   optical flow from frame a to frame b (cached)
 * videos/&lt;run_id&gt;/frames/000000.png        the stylised frames
 * videos/&lt;run_id&gt;/records/000000.json      each frame's durable record
 * videos/&lt;run_id&gt;/overlap/000000.png       a chunk's chain through the frames before it
 * videos/&lt;run_id&gt;/blended/000000.png       the shown frame where two chunks cross-fade
 * videos/&lt;run_id&gt;/video.mp4, preview.gif  the stylised clip and its small preview
 * videos/&lt;run_id&gt;/original.mp4            the selected frames as they were, for comparison
 * video-metrics/                          Parquet, one row per frame ({@link Schemas#VIDEO_FRAMES})
 * </pre>
 */
public final class VideoLayout {
  private VideoLayout() {}

  /** Folder of the per-run outputs. */
  public static final String VIDEOS = "videos";

  /** Folder of the per-frame metrics table. */
  public static final String METRICS = "video-metrics";

  /** Folder of the frames and flows of one clip at one size. */
  public static Path inputs(String out, String framesId) {
    return new Path(new Path(out, "video-inputs"), framesId);
  }

  static String name(int index) {
    return String.format("%06d", index);
  }

  static Path contentFrame(String out, String framesId, int index) {
    return new Path(inputs(out, framesId), name(index) + ".png");
  }

  static Path info(String out, String framesId) {
    return new Path(inputs(out, framesId), "info.json");
  }

  static Path flow(String out, String framesId, int from, int to) {
    return new Path(new Path(inputs(out, framesId), "flow"), from + "-" + to + ".flo");
  }

  /** The folder of one video run. */
  public static Path run(String out, String runId) {
    return new Path(new Path(out, VIDEOS), runId);
  }

  /** A stylised frame. */
  public static Path frame(String out, String runId, int index) {
    return new Path(new Path(run(out, runId), "frames"), name(index) + ".png");
  }

  /**
   * A chunk's own result for a frame of the previous chunk (the chunk started early, see {@link
   * org.stylesweep.video.ChunkBlend}); the overlaps of different boundaries never share a frame.
   */
  public static Path overlapFrame(String out, String runId, int index) {
    return new Path(new Path(run(out, runId), "overlap"), name(index) + ".png");
  }

  /** The cross-fade of a frame and its overlap result: the frame the run shows. */
  public static Path blendedFrame(String out, String runId, int index) {
    return new Path(new Path(run(out, runId), "blended"), name(index) + ".png");
  }

  /** A frame's record. */
  public static Path record(String out, String runId, int index) {
    return new Path(new Path(run(out, runId), "records"), name(index) + ".json");
  }
}
