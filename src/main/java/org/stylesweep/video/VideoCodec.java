package org.stylesweep.video;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.image.ImageStore;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.spec.VideoInput;

/**
 * Decoding and encoding of clips in the JVM with FFmpeg through bytedeco JavaCV: a container file
 * (mp4/H.264 and whatever else FFmpeg reads) or a folder or glob of frame images, both through
 * Hadoop's FileSystem (a clip on s3a is copied to a local temporary file first, since FFmpeg seeks
 * in mp4). Encoding writes H.264 mp4 (the OpenH264 encoder of JavaCV's LGPL FFmpeg build) and an
 * animated GIF preview.
 */
public final class VideoCodec {
  private VideoCodec() {}

  static {
    // FFmpeg prints every stream it opens to stderr; keep its warnings and errors only.
    avutil.av_log_set_level(avutil.AV_LOG_WARNING);
  }

  /** File name endings taken as frames from a folder. */
  private static final List<String> FRAME_ENDINGS = List.of(".png", ".jpg", ".jpeg", ".bmp");

  /**
   * What the container says about a clip, before decoding it.
   *
   * @param width frame width in pixels
   * @param height frame height in pixels
   * @param frames the frame count the container states (the number of files for a folder)
   * @param fps the frame rate it states (0 for a folder of frames)
   */
  public record Info(int width, int height, long frames, double fps) {}

  /** The container's frame count, size and rate. */
  public static Info probe(String uri, Configuration conf) throws IOException {
    if (VideoInput.whole(uri).isFrames()) {
      List<Path> files = frameFiles(uri, conf);
      int[] size = ImageStore.size(files.get(0).toString(), conf);
      return new Info(size[0], size[1], files.size(), 0);
    }
    try (LocalCopy local = LocalCopy.of(uri, conf);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(local.file())) {
      grabber.start();
      return new Info(
          grabber.getImageWidth(),
          grabber.getImageHeight(),
          grabber.getLengthInVideoFrames(),
          grabber.getVideoFrameRate());
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot read the video " + uri + ": " + e.getMessage(), e);
    }
  }

  /**
   * Decodes the selected frames of a clip in order, handing each to {@code sink} as an RGB image
   * (decoding stops after the last selected frame).
   *
   * @return the source's frame rate (0 for a folder of frames)
   */
  public static double decode(VideoInput input, Configuration conf, Consumer<BufferedImage> sink)
      throws IOException {
    if (input.isFrames()) {
      List<Path> files = frameFiles(input.uri(), conf);
      for (int i = 0; i < files.size(); i++) {
        if (input.selects(i)) {
          sink.accept(ImageStore.read(files.get(i).toString(), conf));
        }
        if (input.doneAfter(i)) {
          break;
        }
      }
      return 0;
    }
    try (LocalCopy local = LocalCopy.of(input.uri(), conf);
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(local.file())) {
      grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
      grabber.start();
      long index = 0;
      org.bytedeco.javacv.Frame frame;
      while ((frame = grabber.grabImage()) != null) {
        if (input.selects(index)) {
          sink.accept(fromBgr24(frame));
        }
        if (input.doneAfter(index)) {
          break;
        }
        index++;
      }
      return grabber.getVideoFrameRate();
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot decode the video " + input.uri() + ": " + e.getMessage(), e);
    }
  }

  /** The selected frames of a clip, decoded into memory (for short clips and tests). */
  public static List<BufferedImage> decodeAll(VideoInput input, Configuration conf)
      throws IOException {
    List<BufferedImage> frames = new ArrayList<>();
    decode(input, conf, frames::add);
    return frames;
  }

  /**
   * Writes frames as an H.264 mp4 (yuv420p, which needs even sides: an odd last row or column is
   * dropped). Written to a local temporary file, then durably to {@code target}.
   *
   * @param bitsPerPixel the target bitrate per pixel and frame (e.g. 0.5 for near-lossless small
   *     frames)
   */
  public static void writeMp4(
      List<BufferedImage> frames, double fps, double bitsPerPixel, Path target, Configuration conf)
      throws IOException {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no frames to write to " + target);
    }
    int width = frames.get(0).getWidth() & ~1;
    int height = frames.get(0).getHeight() & ~1;
    if (width < 2 || height < 2) {
      throw new IllegalArgumentException(
          "frames of "
              + frames.get(0).getWidth()
              + "x"
              + frames.get(0).getHeight()
              + " px are too small for an mp4");
    }
    File tmp = Files.createTempFile("stylesweep-", ".mp4").toFile();
    try {
      try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(tmp, width, height, 0);
          Java2DFrameConverter converter = new Java2DFrameConverter()) {
        recorder.setFormat("mp4");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(fps);
        recorder.setGopSize(Math.max(1, (int) Math.round(fps)));
        // OpenH264's rate control alone undershoots small frames badly (34 kb/s asked 147):
        // cap the quantizer as well so quality does not depend on the frame size.
        recorder.setVideoOption("qmin", "1");
        recorder.setVideoOption("qmax", System.getProperty("dbg.qmax", "16"));
        recorder.setVideoBitrate(
            (int) Math.min(Integer.MAX_VALUE, bitsPerPixel * width * height * fps));
        recorder.start();
        for (BufferedImage frame : frames) {
          recorder.record(converter.convert(bgr(frame, width, height)));
        }
        recorder.stop();
      } catch (FrameRecorder.Exception e) {
        throw new IOException("cannot encode the mp4 " + target + ": " + e.getMessage(), e);
      }
      HadoopFiles.writeDurably(target, Files.readAllBytes(tmp.toPath()), conf);
    } finally {
      Files.deleteIfExists(tmp.toPath());
    }
  }

  /**
   * Writes a small looping animated GIF preview (longest side {@code maxSide}, FFmpeg's GIF encoder
   * with an 8-bit palette).
   */
  public static void writeGif(
      List<BufferedImage> frames, double fps, int maxSide, Path target, Configuration conf)
      throws IOException {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("no frames to write to " + target);
    }
    int[] size =
        ImageTensors.scaledSize(frames.get(0).getWidth(), frames.get(0).getHeight(), maxSide);
    File tmp = Files.createTempFile("stylesweep-", ".gif").toFile();
    try {
      try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(tmp, size[0], size[1], 0);
          Java2DFrameConverter converter = new Java2DFrameConverter()) {
        recorder.setFormat("gif");
        recorder.setVideoCodec(avcodec.AV_CODEC_ID_GIF);
        recorder.setPixelFormat(avutil.AV_PIX_FMT_RGB8);
        recorder.setFrameRate(fps);
        recorder.start();
        for (BufferedImage frame : frames) {
          recorder.record(
              converter.convert(
                  bgr(ImageTensors.resize(frame, size[0], size[1]), size[0], size[1])));
        }
        recorder.stop();
      } catch (FrameRecorder.Exception e) {
        throw new IOException("cannot encode the preview " + target + ": " + e.getMessage(), e);
      }
      HadoopFiles.writeDurably(target, Files.readAllBytes(tmp.toPath()), conf);
    } finally {
      Files.deleteIfExists(tmp.toPath());
    }
  }

  /**
   * The frame files of a folder ({@code dir/}: its image files) or a glob, sorted by name.
   *
   * @throws IOException naming the folder or pattern when it matches no image
   */
  static List<Path> frameFiles(String uri, Configuration conf) throws IOException {
    Path pattern = uri.endsWith("/") ? new Path(uri, "*") : new Path(uri);
    FileSystem fs = HadoopFiles.fileSystem(pattern, conf);
    FileStatus[] matches = fs.globStatus(pattern);
    List<Path> files = new ArrayList<>();
    if (matches != null) {
      Arrays.stream(matches)
          .filter(FileStatus::isFile)
          .map(FileStatus::getPath)
          .filter(
              p ->
                  FRAME_ENDINGS.stream()
                      .anyMatch(e -> p.getName().toLowerCase(Locale.ROOT).endsWith(e)))
          .sorted(Comparator.comparing(Path::getName))
          .forEach(files::add);
    }
    if (files.isEmpty()) {
      throw new IOException(
          "the video frames "
              + uri
              + " match no image file ("
              + String.join(", ", FRAME_ENDINGS)
              + ")");
    }
    return files;
  }

  /**
   * A decoded BGR24 frame as an RGB image. Read with the frame's own row stride: JavaCV's
   * Java2DFrameConverter infers the channel count as stride / width, which FFmpeg's row padding
   * breaks for small widths (a 96 px frame came back as 4 channels and garbled).
   */
  static BufferedImage fromBgr24(org.bytedeco.javacv.Frame frame) {
    int width = frame.imageWidth;
    int height = frame.imageHeight;
    java.nio.ByteBuffer bytes = (java.nio.ByteBuffer) frame.image[0];
    int stride = frame.imageStride; // in bytes for 8-bit images
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      int at = y * stride;
      for (int x = 0; x < width; x++) {
        int b = bytes.get(at + 3 * x) & 255;
        int g = bytes.get(at + 3 * x + 1) & 255;
        int r = bytes.get(at + 3 * x + 2) & 255;
        row[x] = (r << 16) | (g << 8) | b;
      }
      image.setRGB(0, y, width, 1, row, 0, width);
    }
    return image;
  }

  /** The top-left width x height of an image as 3-byte BGR, the layout FFmpeg's converter takes. */
  private static BufferedImage bgr(BufferedImage image, int width, int height) {
    BufferedImage copy = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    copy.getGraphics().drawImage(image, 0, 0, null);
    return copy;
  }

  /** A clip as a local file FFmpeg can open: the file itself, or a temporary copy. */
  private record LocalCopy(String file, java.nio.file.Path temporary) implements AutoCloseable {
    static LocalCopy of(String uri, Configuration conf) throws IOException {
      Path path = new Path(uri);
      String scheme = path.toUri().getScheme();
      if (scheme == null || scheme.equals("file")) {
        File local = new File(path.toUri().getPath());
        if (!local.isFile()) {
          throw new IOException("video file not found: " + uri);
        }
        return new LocalCopy(local.getPath(), null);
      }
      String name = path.getName();
      java.nio.file.Path tmp =
          Files.createTempFile(
              "stylesweep-video-", name.contains(".") ? name.substring(name.lastIndexOf('.')) : "");
      try (var in = HadoopFiles.fileSystem(path, conf).open(path)) {
        Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      return new LocalCopy(tmp.toString(), tmp);
    }

    @Override
    public void close() throws IOException {
      if (temporary != null) {
        Files.deleteIfExists(temporary);
      }
    }
  }
}
