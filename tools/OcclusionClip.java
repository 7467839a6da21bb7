import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * The synthetic occlusion clip of docs/limits.md ("Small, fast objects"), and its measure.
 *
 * <p>{@code java tools/OcclusionClip.java make DIR}: 14 frames (f000.png ...) of a static 96 x 64
 * view of samples/content/cat.png with a randomly textured bar 8 px wide moving right 4 px per
 * frame (columns 20+4t to 28+4t), for {@code videos: [{path: DIR/}]}.
 *
 * <p>{@code java tools/OcclusionClip.java measure FRAMES...}: for each run's {@code frames/} folder,
 * the mean |x_t − x_{t−4}| on the strip the bar uncovers at t (columns 16+4t to 20+4t: hidden at
 * t−1 and t−2, seen at t−4; the background is static, so no warp), and the mean |x_t − x_{t−1}| on
 * the background away from the bar, for t = 4..13, on [0, 1] RGB.
 */
public class OcclusionClip {
  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("make")) {
      make(new File(args[1]));
    } else if (args.length >= 2 && args[0].equals("measure")) {
      for (int i = 1; i < args.length; i++) {
        measure(new File(args[i]));
      }
    } else {
      System.err.println("usage: java tools/OcclusionClip.java make DIR | measure FRAMES...");
      System.exit(2);
    }
  }

  static void make(File dir) throws Exception {
    BufferedImage cat = ImageIO.read(new File("samples/content/cat.png"));
    int w = 96;
    int h = 64;
    Random random = new Random(7);
    int[][] texture = new int[h][8];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < 8; x++) {
        int v = random.nextInt(256);
        int u = random.nextInt(256);
        texture[y][x] = (v << 16) | (u << 8) | ((v + u) / 2);
      }
    }
    dir.mkdirs();
    for (int t = 0; t < 14; t++) {
      BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = frame.createGraphics();
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.drawImage(cat, 0, 0, w, h, 60, 20, 420, 260, null);
      g.dispose();
      int x0 = 20 + 4 * t;
      for (int y = 0; y < h; y++) {
        for (int x = x0; x < x0 + 8 && x < w; x++) {
          frame.setRGB(x, y, texture[y][x - x0]);
        }
      }
      ImageIO.write(frame, "png", new File(dir, String.format("f%03d.png", t)));
    }
    System.out.println("wrote 14 frames to " + dir);
  }

  static void measure(File dir) throws Exception {
    double uncovered = 0;
    int nu = 0;
    double background = 0;
    int nb = 0;
    for (int t = 4; t < 14; t++) {
      BufferedImage x = read(dir, t);
      BufferedImage back4 = read(dir, t - 4);
      BufferedImage back1 = read(dir, t - 1);
      for (int y = 0; y < x.getHeight(); y++) {
        for (int c = 0; c < x.getWidth(); c++) {
          if (c >= 16 + 4 * t && c < 20 + 4 * t) {
            uncovered += diff(x.getRGB(c, y), back4.getRGB(c, y));
            nu++;
          } else if (c < 4 * t + 4 || c >= 4 * t + 36) {
            background += diff(x.getRGB(c, y), back1.getRGB(c, y));
            nb++;
          }
        }
      }
    }
    System.out.printf(
        "%s: uncovered strip |x_t - x_{t-4}| %.4f, static background |x_t - x_{t-1}| %.4f%n",
        dir, uncovered / nu, background / nb);
  }

  static BufferedImage read(File dir, int t) throws Exception {
    return ImageIO.read(new File(dir, String.format("%06d.png", t)));
  }

  static double diff(int p, int q) {
    double s = 0;
    for (int k = 0; k < 24; k += 8) {
      s += Math.abs(((p >> k) & 255) - ((q >> k) & 255));
    }
    return s / 3 / 255;
  }
}
