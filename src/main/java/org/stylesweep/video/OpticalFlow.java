package org.stylesweep.video;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_video.DISOpticalFlow;

/**
 * Dense optical flow between two frames with OpenCV's DIS (Kroeger et al. 2016, preset medium),
 * warping along a flow with OpenCV's bilinear {@code remap}, and the {@code .flo} files (Middlebury
 * format) flows are cached in.
 *
 * <p>Directions: for frames {@code a} then {@code b}, {@code flow(a, b)} is defined on a's pixels
 * with {@code a(x) ≈ b(x + w(x))}. The temporal loss warps the previous frame into the current one
 * with the backward flow {@code ŵ = flow(cur, prev)}: {@code ω(prev)(x) = prev(x + ŵ(x))}.
 */
public final class OpticalFlow {
  private OpticalFlow() {}

  /**
   * A flow field: (u, v) per pixel, interleaved, row-major.
   *
   * @param width pixels per row
   * @param height rows
   * @param uv 2 · width · height floats: u then v of each pixel
   */
  public record Field(int width, int height, float[] uv) {
    /** Checks the length. */
    public Field {
      if (uv.length != 2 * width * height) {
        throw new IllegalArgumentException(
            "a "
                + width
                + "x"
                + height
                + " flow has "
                + 2 * width * height
                + " values, not "
                + uv.length);
      }
    }

    /** u at pixel (x, y). */
    public float u(int x, int y) {
      return uv[2 * (y * width + x)];
    }

    /** v at pixel (x, y). */
    public float v(int x, int y) {
      return uv[2 * (y * width + x) + 1];
    }
  }

  /** The flow from frame {@code a} to frame {@code b} (same size), on a's pixels. */
  public static Field dis(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      throw new IllegalArgumentException(
          "frames of different sizes: "
              + a.getWidth()
              + "x"
              + a.getHeight()
              + " and "
              + b.getWidth()
              + "x"
              + b.getHeight());
    }
    int w = a.getWidth();
    int h = a.getHeight();
    try (Mat ga = grey(a);
        Mat gb = grey(b);
        Mat flow = new Mat();
        DISOpticalFlow dis = DISOpticalFlow.create(DISOpticalFlow.PRESET_MEDIUM)) {
      dis.calc(ga, gb, flow);
      float[] uv = new float[2 * w * h];
      try (FloatIndexer idx = flow.createIndexer()) {
        idx.get(0L, uv);
      }
      return new Field(w, h, uv);
    }
  }

  /**
   * Samples planar images along a flow: {@code out(x) = image(x + w(x))}, bilinear, the border
   * replicated (points outside the frame are masked out by {@link ConsistencyMask} anyway).
   *
   * @param planar channels · height · width floats, plane after plane
   * @param channels how many planes
   */
  public static float[] warp(float[] planar, int channels, Field flow) {
    int w = flow.width();
    int h = flow.height();
    if (planar.length != channels * w * h) {
      throw new IllegalArgumentException(
          "image of "
              + planar.length
              + " values does not match a "
              + w
              + "x"
              + h
              + " flow with "
              + channels
              + " channels");
    }
    float[] out = new float[planar.length];
    try (Mat mapX = new Mat(h, w, opencv_core.CV_32FC1);
        Mat mapY = new Mat(h, w, opencv_core.CV_32FC1)) {
      float[] xs = new float[w * h];
      float[] ys = new float[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int i = y * w + x;
          xs[i] = x + flow.uv()[2 * i];
          ys[i] = y + flow.uv()[2 * i + 1];
        }
      }
      put(mapX, xs);
      put(mapY, ys);
      float[] plane = new float[w * h];
      for (int c = 0; c < channels; c++) {
        System.arraycopy(planar, c * w * h, plane, 0, w * h);
        try (Mat src = new Mat(h, w, opencv_core.CV_32FC1);
            Mat dst = new Mat()) {
          put(src, plane);
          opencv_imgproc.remap(
              src,
              dst,
              mapX,
              mapY,
              opencv_imgproc.INTER_LINEAR,
              opencv_core.BORDER_REPLICATE,
              new Scalar(0.0));
          try (FloatIndexer idx = dst.createIndexer()) {
            idx.get(0L, out, c * w * h, w * h);
          }
        }
      }
    }
    return out;
  }

  /** A flow field warped along another: {@code out(x) = field(x + w(x))} (for w̃ of the check). */
  public static Field warp(Field field, Field along) {
    int n = field.width() * field.height();
    float[] planar = new float[2 * n];
    for (int i = 0; i < n; i++) {
      planar[i] = field.uv()[2 * i];
      planar[n + i] = field.uv()[2 * i + 1];
    }
    float[] warped = warp(planar, 2, along);
    float[] uv = new float[2 * n];
    for (int i = 0; i < n; i++) {
      uv[2 * i] = warped[i];
      uv[2 * i + 1] = warped[n + i];
    }
    return new Field(field.width(), field.height(), uv);
  }

  /**
   * A flow in the Middlebury {@code .flo} format: "PIEH", width and height as 32-bit integers, then
   * u, v per pixel as 32-bit floats, little-endian.
   */
  public static byte[] toFlo(Field field) {
    ByteBuffer buffer =
        ByteBuffer.allocate(12 + 4 * field.uv().length).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putFloat(FLO_TAG).putInt(field.width()).putInt(field.height());
    for (float value : field.uv()) {
      buffer.putFloat(value);
    }
    return buffer.array();
  }

  /** Reads {@link #toFlo}'s format; {@code what} names the file in errors. */
  public static Field fromFlo(byte[] bytes, String what) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    if (bytes.length < 12 || buffer.getFloat() != FLO_TAG) {
      throw new IllegalArgumentException(what + " is not a .flo flow file (no PIEH tag)");
    }
    int w = buffer.getInt();
    int h = buffer.getInt();
    if (w <= 0 || h <= 0 || bytes.length != 12 + 8L * w * h) {
      throw new IllegalArgumentException(
          what
              + ": a "
              + w
              + "x"
              + h
              + " flow of "
              + bytes.length
              + " bytes is truncated or corrupt");
    }
    float[] uv = new float[2 * w * h];
    buffer.asFloatBuffer().get(uv);
    return new Field(w, h, uv);
  }

  /** The .flo tag: the bytes "PIEH" read as a little-endian float, 202021.25. */
  private static final float FLO_TAG = 202021.25f;

  private static void put(Mat mat, float[] values) {
    try (FloatIndexer idx = mat.createIndexer()) {
      idx.put(0L, values);
    }
  }

  /** An image as an 8-bit grey Mat (Rec. 601 luma, as OpenCV's own conversion). */
  private static Mat grey(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    Mat mat = new Mat(h, w, opencv_core.CV_8UC1);
    byte[] luma = new byte[w * h];
    int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < rgb.length; i++) {
      int r = (rgb[i] >> 16) & 255;
      int g = (rgb[i] >> 8) & 255;
      int b = rgb[i] & 255;
      luma[i] = (byte) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
    }
    try (UByteIndexer idx = mat.createIndexer()) {
      for (int i = 0; i < luma.length; i++) {
        idx.put(i / w, i % w, luma[i] & 255);
      }
    }
    return mat;
  }
}
