package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.stylesweep.image.ImageTensors;

/**
 * Training batches of content images: for step k, {@code batchSize} images drawn (with replacement)
 * from the set, each resized so that its shorter side is {@code crop} (pytorch/examples' {@code
 * Resize}), then a random crop × crop window, flipped left-right with probability ½.
 *
 * <p>The draws of step k depend only on the seed and k, so a resumed training sees the same batches
 * as one that never stopped. Resized images are kept in a bounded cache (a small set is decoded
 * once; a large one such as COCO streams).
 */
public final class TrainingImages {
  /** Cached resized images stop at this many floats (≈ 256 MB). */
  private static final long CACHE_FLOATS = 64L << 20;

  private final int count;
  private final IntFunction<BufferedImage> reader;
  private final int crop;
  private final int batchSize;
  private final long seed;
  private final Map<Integer, ImageTensors.Planar> cache;

  /**
   * @param count the number of images
   * @param reader decodes image i (0 ≤ i < count); may throw {@link UncheckedIOException} naming
   *     the file
   * @param crop the side of the square crops
   * @param batchSize images per batch
   * @param seed the seed of the draws
   */
  public TrainingImages(
      int count, IntFunction<BufferedImage> reader, int crop, int batchSize, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("training needs at least one content image");
    }
    this.count = count;
    this.reader = reader;
    this.crop = crop;
    this.batchSize = batchSize;
    this.seed = seed;
    long perImage = 3L * crop * crop * 2; // a resized image holds at most ~2 crops
    int capacity = (int) Math.max(1, Math.min(count, CACHE_FLOATS / perImage));
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, ImageTensors.Planar> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The number of images in the set. */
  public int count() {
    return count;
  }

  /** The (batchSize, 3, crop, crop) batch of step {@code step} (1-based), in {@code manager}. */
  public NDArray batch(int step, NDManager manager) {
    SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
    float[] data = new float[batchSize * 3 * crop * crop];
    int plane = crop * crop;
    for (int b = 0; b < batchSize; b++) {
      ImageTensors.Planar image = resized(random.nextInt(count));
      int x0 = random.nextInt(image.width() - crop + 1);
      int y0 = random.nextInt(image.height() - crop + 1);
      boolean flip = random.nextBoolean();
      float[] src = image.data();
      int srcPlane = image.width() * image.height();
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < crop; y++) {
          int srcRow = c * srcPlane + (y0 + y) * image.width() + x0;
          int dst = (b * 3 + c) * plane + y * crop;
          for (int x = 0; x < crop; x++) {
            data[dst + x] = src[srcRow + (flip ? crop - 1 - x : x)];
          }
        }
      }
    }
    return manager.create(data, new Shape(batchSize, 3, crop, crop));
  }

  private synchronized ImageTensors.Planar resized(int index) {
    ImageTensors.Planar cached = cache.get(index);
    if (cached != null) {
      return cached;
    }
    BufferedImage image = reader.apply(index);
    double scale = (double) crop / Math.min(image.getWidth(), image.getHeight());
    int w = Math.max(crop, (int) Math.round(image.getWidth() * scale));
    int h = Math.max(crop, (int) Math.round(image.getHeight() * scale));
    ImageTensors.Planar planar = new ImageTensors.Planar(w, h, ImageTensors.planarAt(image, w, h));
    cache.put(index, planar);
    return planar;
  }

  /** A reader over a list of URIs through {@code read}, wrapping I/O errors with the file name. */
  public static IntFunction<BufferedImage> reader(List<String> uris, ImageReader read) {
    return i -> {
      try {
        return read.read(uris.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException("training image " + uris.get(i) + ": " + e.getMessage(), e);
      }
    };
  }

  /** Reads one image by URI. */
  @FunctionalInterface
  public interface ImageReader {
    /** Decodes the image at {@code uri}. */
    BufferedImage read(String uri) throws IOException;
  }
}
