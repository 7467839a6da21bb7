package org.stylesweep.transfer;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Small synthetic images for tests: a smooth "content" scene and a striped "style" pattern. */
public final class TestImages {
  private TestImages() {}

  /** A scene with a gradient sky, a disc and a rectangle: edges and smooth areas, like a photo. */
  public static BufferedImage content(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(
        new GradientPaint(0, 0, new Color(40, 90, 200), 0, height, new Color(230, 200, 150)));
    g.fillRect(0, 0, width, height);
    g.setColor(new Color(250, 220, 40));
    g.fillOval(width / 8, height / 8, width / 3, width / 3);
    g.setColor(new Color(30, 120, 50));
    g.fillRect(width / 2, height / 2, width / 3, height / 3);
    g.dispose();
    return image;
  }

  /** Diagonal coloured strokes on a dark ground: a texture with strong, oriented statistics. */
  public static BufferedImage style(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(new Color(20, 20, 60));
    g.fillRect(0, 0, width, height);
    g.setStroke(new BasicStroke(Math.max(1f, width / 16f)));
    Color[] colors = {new Color(240, 80, 40), new Color(250, 210, 60), new Color(80, 200, 240)};
    for (int i = -height; i < width; i += Math.max(3, width / 8)) {
      g.setColor(colors[Math.floorMod(i, 3)]);
      g.drawLine(i, 0, i + height, height);
    }
    g.dispose();
    return image;
  }
}
