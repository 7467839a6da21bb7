package org.stylesweep.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;

/**
 * Conversions between {@link BufferedImage}s and RGB float tensors in [0,1] laid out (1, 3, H, W),
 * and high-quality resizing.
 *
 * <p>Resizing is separable convolution with the Keys bicubic kernel (a = -0.5) whose support widens
 * by the scale factor when shrinking, so downscaling averages every source pixel (no aliasing) and
 * upscaling interpolates smoothly: the algorithm of Pillow's {@code Image.resize(BICUBIC)} and
 * torchvision's antialiased resize. It works on float pixels, so a tensor made from a resized image
 * carries no extra 8-bit rounding.
 *
 * <p>Alpha is composited over white, grey images become three equal channels, and 16-bit images are
 * read at 8 bits per channel (through {@link BufferedImage#getRGB}).
 */
public final class ImageTensors {
  private ImageTensors() {}

  /** Planar RGB pixels in [0,1]: {@code data[c * height * width + y * width + x]}. */
  public record Planar(int width, int height, float[] data) {
    /** Creates a planar image, checking the array length. */
    public Planar {
      if (width <= 0 || height <= 0 || data.length != 3L * width * height) {
        throw new IllegalArgumentException(
            "planar image needs 3 x " + width + " x " + height + " values, got " + data.length);
      }
    }
  }

  /**
   * The size of an image scaled so that its longest side is {@code longestSide}, keeping the aspect
   * ratio (the shorter side is rounded, at least 1).
   *
   * @return {@code {width, height}}
   */
  public static int[] scaledSize(int width, int height, int longestSide) {
    if (longestSide <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + longestSide);
    }
    if (width >= height) {
      return new int[] {
        longestSide, Math.max(1, (int) Math.round((double) height * longestSide / width))
      };
    }
    return new int[] {
      Math.max(1, (int) Math.round((double) width * longestSide / height)), longestSide
    };
  }

  /**
   * The number of floats of a planar RGB image of {@code width x height}, computed in long so that
   * a large size fails with a message instead of wrapping around to a negative array size.
   *
   * @throws IllegalArgumentException when the image cannot be held in one Java array
   */
  static int planarLength(long width, long height) {
    long length = 3 * width * height;
    if (width <= 0 || height <= 0 || length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "an image of "
              + width
              + " x "
              + height
              + " pixels is too large to hold as"
              + " floats (at most "
              + (Integer.MAX_VALUE - 8) / 3
              + " pixels); shrink it");
    }
    return (int) length;
  }

  /** Reads an image's RGB pixels into planar floats in [0,1], compositing alpha over white. */
  public static Planar toPlanar(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int plane = planarLength(width, height) / 3;
    int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
    boolean alpha = image.getColorModel().hasAlpha();
    float[] data = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      float r = ((p >> 16) & 0xff) / 255f;
      float g = ((p >> 8) & 0xff) / 255f;
      float b = (p & 0xff) / 255f;
      if (alpha) {
        float a = ((p >>> 24) & 0xff) / 255f;
        r = r * a + (1 - a);
        g = g * a + (1 - a);
        b = b * a + (1 - a);
      }
      data[i] = r;
      data[plane + i] = g;
      data[2 * plane + i] = b;
    }
    return new Planar(width, height, data);
  }

  /** Writes planar floats to an RGB image, clamping to [0,1] and rounding to 8 bits. */
  public static BufferedImage toImage(Planar planar) {
    int width = planar.width();
    int height = planar.height();
    int plane = width * height;
    float[] data = planar.data();
    int[] rgb = new int[plane];
    for (int i = 0; i < plane; i++) {
      rgb[i] = (to8(data[i]) << 16) | (to8(data[plane + i]) << 8) | to8(data[2 * plane + i]);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, width, height, rgb, 0, width);
    return image;
  }

  private static int to8(float v) {
    if (!(v > 0f)) {
      return 0; // also maps NaN to black
    }
    return v >= 1f ? 255 : Math.round(v * 255f);
  }

  /**
   * Resizes so that the longest side is {@code longestSide}; returns the input if it already has
   * that size.
   */
  public static BufferedImage resizeLongestSide(BufferedImage image, int longestSide) {
    int[] size = scaledSize(image.getWidth(), image.getHeight(), longestSide);
    return resize(image, size[0], size[1]);
  }

  /** Resizes to exactly {@code width × height}; returns the input if it already has that size. */
  public static BufferedImage resize(BufferedImage image, int width, int height) {
    if (image.getWidth() == width && image.getHeight() == height) {
      return image;
    }
    return toImage(resize(toPlanar(image), width, height));
  }

  /** Resizes planar floats to exactly {@code width × height} (antialiased bicubic). */
  public static Planar resize(Planar source, int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException(
          "target size must be positive, got " + width + "x" + height);
    }
    if (source.width() == width && source.height() == height) {
      return source;
    }
    Planar horizontal = resampleRows(source, width);
    return resampleColumns(horizontal, height);
  }

  /**
   * An image as a (1, 3, H, W) float32 tensor in [0,1] in {@code manager}, resized (antialiased
   * bicubic, clamped back to [0,1]) to {@code width × height} unless it has that size already.
   */
  public static NDArray toTensor(BufferedImage image, int width, int height, NDManager manager) {
    return manager.create(planarAt(image, width, height), new Shape(1, 3, height, width));
  }

  /**
   * An image's planar RGB floats in [0,1] at {@code width × height}, resized as {@link #toTensor}
   * does.
   */
  public static float[] planarAt(BufferedImage image, int width, int height) {
    Planar planar = resize(toPlanar(image), width, height);
    float[] data = planar.data();
    if (image.getWidth() != width || image.getHeight() != height) {
      // bicubic overshoots at edges; the contract is [0,1]
      for (int i = 0; i < data.length; i++) {
        data[i] = Math.min(1f, Math.max(0f, data[i]));
      }
    }
    return data;
  }

  /** An image at its own size as a (1, 3, H, W) float32 tensor in [0,1]. */
  public static NDArray toTensor(BufferedImage image, NDManager manager) {
    return toTensor(image, image.getWidth(), image.getHeight(), manager);
  }

  /**
   * A (1, 3, H, W) or (3, H, W) tensor as an RGB image, clamped to [0,1] and rounded to 8 bits.
   * Copies the tensor to the host once.
   */
  public static BufferedImage toImage(NDArray tensor) {
    Shape shape = tensor.getShape();
    int dims = shape.dimension();
    if (!((dims == 4 && shape.get(0) == 1 && shape.get(1) == 3)
        || (dims == 3 && shape.get(0) == 3))) {
      throw new IllegalArgumentException(
          "expected a (1, 3, H, W) or (3, H, W) image tensor, got shape " + shape);
    }
    int height = (int) shape.get(dims - 2);
    int width = (int) shape.get(dims - 1);
    float[] data =
        tensor.getDataType() == DataType.FLOAT32 ? tensor.toFloatArray() : toFloats(tensor);
    return toImage(new Planar(width, height, data));
  }

  private static float[] toFloats(NDArray tensor) {
    try (NDArray converted = tensor.toType(DataType.FLOAT32, true)) {
      return converted.toFloatArray();
    }
  }

  // Keys cubic convolution kernel with a = -0.5 (Pillow's bicubic filter), support 2.
  private static double cubic(double x) {
    double a = -0.5;
    x = Math.abs(x);
    if (x < 1) {
      return ((a + 2) * x - (a + 3)) * x * x + 1;
    }
    if (x < 2) {
      return (((x - 5) * x + 8) * x - 4) * a;
    }
    return 0;
  }

  /** Taps of one output position: the first source index and its normalized weights. */
  private record Taps(int[] start, double[][] weights) {}

  /**
   * Computes resampling taps as Pillow's {@code precompute_coeffs}: support widened by the scale
   * when shrinking.
   */
  private static Taps taps(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(scale, 1.0);
    double support = 2.0 * filterScale;
    int[] start = new int[outSize];
    double[][] weights = new double[outSize][];
    for (int out = 0; out < outSize; out++) {
      double center = (out + 0.5) * scale;
      int min = Math.max((int) (center - support + 0.5), 0);
      int max = Math.min((int) (center + support + 0.5), inSize);
      double[] w = new double[max - min];
      double total = 0;
      for (int i = 0; i < w.length; i++) {
        w[i] = cubic((i + min - center + 0.5) / filterScale);
        total += w[i];
      }
      if (total != 0) {
        for (int i = 0; i < w.length; i++) {
          w[i] /= total;
        }
      }
      start[out] = min;
      weights[out] = w;
    }
    return new Taps(start, weights);
  }

  private static Planar resampleRows(Planar in, int outWidth) {
    int inWidth = in.width();
    int height = in.height();
    if (inWidth == outWidth) {
      return in;
    }
    Taps taps = taps(inWidth, outWidth);
    float[] src = in.data();
    float[] dst = new float[planarLength(outWidth, height)];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < height; y++) {
        int srcRow = (c * height + y) * inWidth;
        int dstRow = (c * height + y) * outWidth;
        for (int x = 0; x < outWidth; x++) {
          double[] w = taps.weights()[x];
          int s = srcRow + taps.start()[x];
          double sum = 0;
          for (int k = 0; k < w.length; k++) {
            sum += w[k] * src[s + k];
          }
          dst[dstRow + x] = (float) sum;
        }
      }
    }
    return new Planar(outWidth, height, dst);
  }

  private static Planar resampleColumns(Planar in, int outHeight) {
    int width = in.width();
    int inHeight = in.height();
    if (inHeight == outHeight) {
      return in;
    }
    Taps taps = taps(inHeight, outHeight);
    float[] src = in.data();
    float[] dst = new float[planarLength(width, outHeight)];
    double[] row = new double[width];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < outHeight; y++) {
        java.util.Arrays.fill(row, 0);
        double[] w = taps.weights()[y];
        int first = taps.start()[y];
        for (int k = 0; k < w.length; k++) {
          int s = (c * inHeight + first + k) * width;
          double wk = w[k];
          for (int x = 0; x < width; x++) {
            row[x] += wk * src[s + x];
          }
        }
        int d = (c * outHeight + y) * width;
        for (int x = 0; x < width; x++) {
          dst[d + x] = (float) row[x];
        }
      }
    }
    return new Planar(width, outHeight, dst);
  }
}
