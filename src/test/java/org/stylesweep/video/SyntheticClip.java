package org.stylesweep.video;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic clip with known motion: a smooth random texture (a sum of sinusoids, so flow is
 * well-defined everywhere) shifted by (dx, dy) pixels per frame, optionally with a textured square
 * occluder that stays still and so hides and uncovers texture.
 */
final class SyntheticClip {
  private SyntheticClip() {}

  /** The texture's value at a (real) point, RGB in [0, 1]. */
  static double[] texture(double x, double y) {
    double r =
        0.5
            + 0.22 * Math.sin(0.21 * x + 0.13 * y)
            + 0.18 * Math.sin(0.07 * x - 0.31 * y + 1.0)
            + 0.08 * Math.cos(0.43 * x + 0.37 * y);
    double g =
        0.5 + 0.25 * Math.cos(0.17 * x - 0.11 * y + 2.0) + 0.2 * Math.sin(0.29 * y + 0.05 * x);
    double b =
        0.5 + 0.3 * Math.sin(0.09 * x + 0.23 * y + 0.5) + 0.15 * Math.cos(0.35 * x - 0.19 * y);
    return new double[] {clip(r), clip(g), clip(b)};
  }

  /**
   * Frame t: the texture moved by (t·dx, t·dy), i.e. pixel (x, y) shows texture(x − t·dx, y −
   * t·dy); with {@code occluder} a still textured square of side w/4 at the centre.
   */
  static BufferedImage frame(int w, int h, int t, double dx, double dy, boolean occluder) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double[] c = texture(x - t * dx, y - t * dy);
        if (occluder && inOccluder(w, h, x, y)) {
          // A still texture of its own (a flat square has no flow to measure).
          c = texture(1.7 * y + 300, 1.3 * x + 200);
        }
        image.setRGB(x, y, rgb(c));
      }
    }
    return image;
  }

  static boolean inOccluder(int w, int h, int x, int y) {
    int side = w / 4;
    int x0 = (w - side) / 2;
    int y0 = (h - side) / 2;
    return x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
  }

  static List<BufferedImage> frames(int w, int h, int n, double dx, double dy, boolean occluder) {
    List<BufferedImage> frames = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      frames.add(frame(w, h, t, dx, dy, occluder));
    }
    return frames;
  }

  /**
   * A pan over a photo: n crops of w x h from the image scaled to 2w wide, each dx px right of the
   * last (photographic content, for the codec's quality check).
   */
  static List<BufferedImage> pan(BufferedImage photo, int w, int h, int n, int dx) {
    BufferedImage big = org.stylesweep.image.ImageTensors.resizeLongestSide(photo, 2 * w);
    List<BufferedImage> frames = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      BufferedImage crop = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      crop.getGraphics().drawImage(big.getSubimage(t * dx, 0, w, h), 0, 0, null);
      frames.add(crop);
    }
    return frames;
  }

  /** PSNR in dB of b against a over RGB. */
  static double psnr(BufferedImage a, BufferedImage b, int width, int height) {
    double se = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int p = a.getRGB(x, y);
        int q = b.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          double d = ((p >> shift) & 255) - ((q >> shift) & 255);
          se += d * d;
        }
      }
    }
    double mse = se / (3.0 * width * height);
    return 10 * Math.log10(255.0 * 255.0 / mse);
  }

  private static int rgb(double[] c) {
    int r = (int) Math.round(255 * c[0]);
    int g = (int) Math.round(255 * c[1]);
    int b = (int) Math.round(255 * c[2]);
    return (r << 16) | (g << 8) | b;
  }

  private static double clip(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
