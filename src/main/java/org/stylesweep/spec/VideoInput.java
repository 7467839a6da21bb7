package org.stylesweep.spec;

import java.io.Serializable;

/**
 * One entry of a manifest's {@code videos:} list: a clip (an mp4 or other container FFmpeg reads,
 * or a folder or glob of frame images) and which of its frames to style.
 *
 * @param uri the qualified clip: a file, a folder ending in {@code /}, or a glob of frame images
 * @param start index of the first frame taken (0 = the first)
 * @param count how many frames to take at most; 0 = every frame to the end
 * @param stride take every stride-th frame from start (1 = every frame)
 * @param fps frame rate of the written mp4 and preview; 0 = the source's rate divided by stride (a
 *     folder of frames has no rate of its own: {@link #FOLDER_FPS})
 */
public record VideoInput(String uri, int start, int count, int stride, double fps)
    implements Serializable {

  /** The frame rate of a folder of frames when the manifest gives none. */
  public static final double FOLDER_FPS = 25.0;

  /** Checks the ranges (the parser names the field first, so these are programming errors). */
  public VideoInput {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("video uri is missing");
    }
    if (start < 0 || count < 0 || stride < 1 || fps < 0) {
      throw new IllegalArgumentException(
          "video " + uri + ": start, count >= 0, stride >= 1, fps >= 0 expected");
    }
  }

  /** The whole clip, every frame, at its own rate. */
  public static VideoInput whole(String uri) {
    return new VideoInput(uri, 0, 0, 1, 0);
  }

  /** Whether the clip is a folder or glob of frame images rather than one container file. */
  public boolean isFrames() {
    return uri.endsWith("/") || uri.contains("*") || uri.contains("?") || uri.contains("[");
  }

  /** The output frame rate given the source's own rate (ignored when {@link #fps} is set). */
  public double outputFps(double sourceFps) {
    if (fps > 0) {
      return fps;
    }
    return (sourceFps > 0 ? sourceFps : FOLDER_FPS) / stride;
  }

  /** Whether the source frame with this index is selected. */
  public boolean selects(long index) {
    if (index < start || (index - start) % stride != 0) {
      return false;
    }
    return count == 0 || (index - start) / stride < count;
  }

  /** Whether no selected frame lies at or after this index. */
  public boolean doneAfter(long index) {
    return count != 0 && index >= start + (long) (count - 1) * stride;
  }
}
