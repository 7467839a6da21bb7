import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Makes the bundled region masks of samples/masks/ (spatial control, docs/manifest.md): for two
 * sample contents, a foreground shape drawn by hand as polygons and ellipses (antialiased, then
 * feathered by a 7x7 box blur so the edge is grey = partial) and its complement as the background.
 *
 * <p>Run from the repository root: {@code java tools/MakeMasks.java}. CC0, like the samples.
 */
public class MakeMasks {
  public static void main(String[] args) throws IOException {
    // samples/content/cat.png, 451 x 300: the cat's head and chest; the room behind it on the right
    Area cat =
        new Area(
            new Polygon(
                new int[] {0, 405, 398, 362, 366, 352, 382, 392, 0},
                new int[] {0, 0, 22, 72, 130, 200, 258, 300, 300},
                9));
    write(cat, 451, 300, "cat-cat", "cat-background");

    // samples/content/astronaut.png, 512 x 512: the astronaut (head, suit) and the helmet in front
    Area person = new Area(new Ellipse2D.Double(150, 12, 156, 178));
    person.add(
        new Area(
            new Polygon(
                new int[] {18, 28, 70, 120, 300, 345, 362, 372, 372, 18},
                new int[] {512, 300, 230, 170, 170, 240, 300, 360, 512, 512},
                10)));
    person.add(new Area(new Ellipse2D.Double(276, 340, 240, 240)));
    write(person, 512, 512, "astronaut-person", "astronaut-background");
  }

  static void write(Shape shape, int w, int h, String inside, String outside) throws IOException {
    BufferedImage sharp = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = sharp.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(java.awt.Color.WHITE);
    g.fill(shape);
    g.dispose();
    BufferedImage in = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int r = 3;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sum = 0;
        int n = 0;
        for (int dy = -r; dy <= r; dy++) {
          for (int dx = -r; dx <= r; dx++) {
            int xx = Math.min(w - 1, Math.max(0, x + dx));
            int yy = Math.min(h - 1, Math.max(0, y + dy));
            sum += sharp.getRaster().getSample(xx, yy, 0);
            n++;
          }
        }
        int v = Math.round((float) sum / n);
        in.getRaster().setSample(x, y, 0, v);
        out.getRaster().setSample(x, y, 0, 255 - v);
      }
    }
    ImageIO.write(in, "png", new File("samples/masks/" + inside + ".png"));
    ImageIO.write(out, "png", new File("samples/masks/" + outside + ".png"));
  }
}
