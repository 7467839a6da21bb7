package org.stylesweep.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;

/**
 * Images in and out through Hadoop's FileSystem ({@code file:}, {@code s3a:}, {@code hdfs:}, plain
 * paths). Reading names the file when it is missing or cannot be decoded, reads the header first
 * and refuses an image over the pixel budget ({@link #maxInputPixels}) before decoding it; writing
 * is durable (see {@link HadoopFiles#writeDurably}).
 */
public final class ImageStore {
  private ImageStore() {}

  static {
    // Executors decode in memory; ImageIO's disk cache would only add temporary files.
    ImageIO.setUseCache(false);
  }

  /**
   * The Hadoop configuration key (also read as a Java system property) of the input pixel budget:
   * an image whose header declares more pixels than this is refused before it is decoded. Set it
   * with {@code --conf spark.hadoop.stylesweep.maxInputPixels=N} (every executor then sees it) or
   * {@code -Dstylesweep.maxInputPixels=N}.
   */
  public static final String MAX_INPUT_PIXELS_KEY = "stylesweep.maxInputPixels";

  /** The default pixel budget: 100 megapixels (a 10000 x 10000 image). */
  public static final long DEFAULT_MAX_INPUT_PIXELS = 100_000_000L;

  /**
   * Images up to this many pixels are always decoded at full size (so results do not depend on the
   * decode); larger ones are decoded subsampled when the caller says how much it needs.
   */
  public static final long FULL_DECODE_PIXELS = 4096L * 4096L;

  /** An image refused before decoding: its header declares more pixels than the budget. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  /**
   * The pixel budget in force: the Hadoop configuration's, else the system property, else the
   * default.
   */
  public static long maxInputPixels(Configuration conf) {
    String text = conf == null ? null : conf.get(MAX_INPUT_PIXELS_KEY);
    if (text == null) {
      text = System.getProperty(MAX_INPUT_PIXELS_KEY);
    }
    if (text == null || text.isBlank()) {
      return DEFAULT_MAX_INPUT_PIXELS;
    }
    try {
      long value = Long.parseLong(text.trim().replace("_", ""));
      if (value <= 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          MAX_INPUT_PIXELS_KEY + " must be a positive whole number of pixels, got '" + text + "'");
    }
  }

  /**
   * Reads and decodes an image (PNG, JPEG, BMP, GIF: whatever ImageIO reads) at full size, after
   * checking its declared size against the pixel budget ({@link #maxInputPixels}).
   *
   * @throws IOException naming the file when it is missing, unreadable, not a decodable image or
   *     over the budget ({@link TooLargeException})
   */
  public static BufferedImage read(String uri, Configuration conf) throws IOException {
    return read(uri, conf, 0);
  }

  /**
   * An image's width and height from its header alone (nothing is decoded).
   *
   * @throws IOException naming the file when it is missing or not an image Java reads
   */
  public static int[] size(String uri, Configuration conf) throws IOException {
    Path path = new Path(uri);
    try (InputStream in = HadoopFiles.fileSystem(path, conf).open(path);
        ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        throw new IOException("cannot decode image " + uri + ": not an image format Java reads");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream, true, true);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("file not found: " + uri);
    }
  }

  /**
   * Reads an image as {@link #read(String, Configuration)} does, but when it has more than {@link
   * #FULL_DECODE_PIXELS} pixels decodes only every n-th pixel of every n-th row, with the largest n
   * that still leaves a longest side of at least {@code neededLongSide} (callers ask for twice the
   * side they resize to). Only the header is read before the budget check, so a small file that
   * declares a huge image costs no memory.
   *
   * @param neededLongSide the longest side the caller needs; 0 or less for the full image
   */
  public static BufferedImage read(String uri, Configuration conf, int neededLongSide)
      throws IOException {
    Path path = new Path(uri);
    long budget = maxInputPixels(conf);
    FileSystem fs = HadoopFiles.fileSystem(path, conf);
    try (InputStream in = fs.open(path);
        ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        throw new IOException(
            "cannot decode image "
                + uri
                + ": not an image format Java reads; use one of "
                + new TreeSet<>(Arrays.asList(ImageIO.getReaderFileSuffixes())));
      }
      ImageReader reader = readers.next();
      int width = -1;
      int height = -1;
      try {
        reader.setInput(stream, true, true);
        width = reader.getWidth(0);
        height = reader.getHeight(0);
        long pixels = (long) width * height;
        if (pixels > budget) {
          throw new TooLargeException(
              "image "
                  + uri
                  + " is "
                  + width
                  + " x "
                  + height
                  + " pixels ("
                  + megapixels(pixels)
                  + "), over the input budget of "
                  + megapixels(budget)
                  + "; shrink the image, or raise "
                  + MAX_INPUT_PIXELS_KEY
                  + " (--conf spark.hadoop."
                  + MAX_INPUT_PIXELS_KEY
                  + "=N)");
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsampling(width, height, neededLongSide);
        if (step > 1) {
          param.setSourceSubsampling(step, step, 0, 0);
        }
        BufferedImage image = reader.read(0, param);
        if (image == null) {
          throw new IOException("cannot decode image " + uri + ": the decoder returned no image");
        }
        return image;
      } catch (TooLargeException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new IOException("cannot decode image " + uri + ": " + e.getMessage(), e);
      } catch (OutOfMemoryError e) {
        // A decoder's raster for the declared size did not fit: this input fails, the JVM goes on.
        throw new IOException(
            "cannot decode image "
                + uri
                + " ("
                + width
                + " x "
                + height
                + " pixels): not enough memory to decode it; shrink the image or lower "
                + MAX_INPUT_PIXELS_KEY);
      } finally {
        reader.dispose();
      }
    } catch (FileNotFoundException e) {
      throw new FileNotFoundException("file not found: " + uri);
    }
  }

  /**
   * The subsampling step for an image of {@code width x height} when the caller needs a longest
   * side of {@code neededLongSide}: 1 (full decode) up to {@link #FULL_DECODE_PIXELS} pixels or
   * when nothing is needed, else the largest step that keeps the longest side at least that long.
   */
  static int subsampling(int width, int height, int neededLongSide) {
    if (neededLongSide <= 0 || (long) width * height <= FULL_DECODE_PIXELS) {
      return 1;
    }
    return Math.max(1, Math.max(width, height) / neededLongSide);
  }

  private static String megapixels(long pixels) {
    return String.format(Locale.ROOT, "%.1f megapixels", pixels / 1e6);
  }

  /** Writes the image as PNG, durably, replacing any previous file. */
  public static void writePng(BufferedImage image, String uri, Configuration conf)
      throws IOException {
    HadoopFiles.writeDurably(new Path(uri), png(image), conf);
  }

  /** The image encoded as PNG; the same image always gives the same bytes. */
  public static byte[] png(BufferedImage image) throws IOException {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", png)) {
      throw new IOException("no PNG writer for an image of type " + image.getType());
    }
    return png.toByteArray();
  }
}
