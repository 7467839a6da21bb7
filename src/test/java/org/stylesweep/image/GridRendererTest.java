package org.stylesweep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stylesweep.image.GridRenderer.Cell;

class GridRendererTest {
  // Layout constants of the default renderer: 12 px margin, 8 px gap, cells 128..256 px.
  private static final int MARGIN = 12;
  private static final int GAP = 8;

  @Test
  void transferGridHasAnEmptyCornerAndEachResultInItsCell() {
    BufferedImage red = solid(32, 32, Color.RED);
    BufferedImage green = solid(32, 32, Color.GREEN);
    BufferedImage blue = solid(32, 32, Color.BLUE);
    List<List<Cell>> rows =
        List.of(
            List.of(Cell.blank(), Cell.image(red, "style-a.png"), Cell.image(red, "style-b.png")),
            List.of(
                Cell.image(green, "content-a.png"),
                Cell.image(blue, "loss 1"),
                Cell.image(green, "loss 2")),
            List.of(
                Cell.image(green, "content-b.png"),
                Cell.image(red, "loss 3"),
                Cell.image(blue, "loss 4")));

    BufferedImage grid = new GridRenderer().render("", rows);

    int cell = 128;
    assertThat(grid.getWidth()).isEqualTo(2 * MARGIN + 3 * cell + 2 * GAP);
    // Centre of each cell: the corner is white, the others show their image (scaled, not blended).
    assertThat(colourAt(grid, 0, 0, cell, rowPitch(grid, 3))).isEqualTo(Color.WHITE.getRGB());
    assertThat(colourAt(grid, 0, 1, cell, rowPitch(grid, 3))).isEqualTo(Color.RED.getRGB());
    assertThat(colourAt(grid, 1, 0, cell, rowPitch(grid, 3))).isEqualTo(Color.GREEN.getRGB());
    assertThat(colourAt(grid, 1, 1, cell, rowPitch(grid, 3))).isEqualTo(Color.BLUE.getRGB());
    assertThat(colourAt(grid, 2, 1, cell, rowPitch(grid, 3))).isEqualTo(Color.RED.getRGB());
    assertThat(colourAt(grid, 2, 2, cell, rowPitch(grid, 3))).isEqualTo(Color.BLUE.getRGB());
  }

  @Test
  void failedCellIsGreyWithARedCrossAndTheWordFailed() {
    BufferedImage grid = new GridRenderer().render("", List.of(List.of(Cell.failed(""))));
    int cell = 128;
    // Grey fill near a corner of the cell (outside the cross), red on the diagonal.
    assertThat(new Color(grid.getRGB(MARGIN + 4, MARGIN + cell / 2)))
        .isEqualTo(new Color(0xBD, 0xBD, 0xBD));
    int onDiagonal = MARGIN + cell / 4;
    Color mark = new Color(grid.getRGB(onDiagonal, onDiagonal));
    assertThat(mark.getRed()).isGreaterThan(180);
    assertThat(mark.getGreen()).isLessThan(90);
    // The centre holds the white box with "FAILED" in it: both white and red pixels there.
    boolean white = false;
    boolean red = false;
    for (int x = MARGIN + cell / 2 - 30; x < MARGIN + cell / 2 + 30; x++) {
      Color c = new Color(grid.getRGB(x, MARGIN + cell / 2));
      white |= c.equals(Color.WHITE);
      red |= c.getRed() > 180 && c.getGreen() < 90;
    }
    assertThat(white).isTrue();
    assertThat(red).isTrue();
  }

  @Test
  void largeImagesShrinkToTheMaximumCellAndTinyOnesGrowToTheMinimum() {
    GridRenderer renderer = new GridRenderer(128, 256, 14, 3);
    BufferedImage big =
        renderer.render("", List.of(List.of(Cell.image(solid(600, 300, Color.RED), ""))));
    BufferedImage tiny =
        renderer.render("", List.of(List.of(Cell.image(solid(20, 20, Color.RED), ""))));
    assertThat(big.getWidth()).isEqualTo(2 * MARGIN + 256);
    assertThat(tiny.getWidth()).isEqualTo(2 * MARGIN + 128);
    assertThat(tiny.getHeight()).isEqualTo(2 * MARGIN + 128);
  }

  @Test
  void titleAndCaptionsAddHeightAndTextIsDrawn() {
    GridRenderer renderer = new GridRenderer();
    List<List<Cell>> plain = List.of(List.of(Cell.image(solid(32, 32, Color.BLUE), "")));
    List<List<Cell>> labelled =
        List.of(List.of(Cell.image(solid(32, 32, Color.BLUE), "cat.png\nloss 12.5")));
    BufferedImage without = renderer.render("", plain);
    BufferedImage with = renderer.render("transfer: content × style", labelled);
    assertThat(with.getHeight()).isGreaterThan(without.getHeight() + 2 * 14);
    // Anti-aliased text leaves grey levels between black and white in the caption area.
    assertThat(distinctGreys(with, with.getHeight() - MARGIN - 36, with.getHeight() - MARGIN))
        .isGreaterThan(3);
  }

  @Test
  void wrapBreaksOnSpacesAndNewlinesAndEndsCutTextWithAnEllipsis() {
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scratch.createGraphics();
    FontMetrics fm = g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    g.dispose();
    assertThat(GridRenderer.wrap("a\nb", fm, 200, 3)).containsExactly("a", "b");
    List<String> lines =
        GridRenderer.wrap("[conv1_1, conv2_1, conv3_1, conv4_1, conv5_1]", fm, 100, 2);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1)).endsWith("\u2026");
    assertThat(lines).allSatisfy(line -> assertThat(fm.stringWidth(line)).isLessThanOrEqualTo(100));
    // A long first paragraph is cut so that the last one (the loss) still shows.
    List<String> caption =
        GridRenderer.wrap("[conv1_1, conv2_1, conv3_1, conv4_1, conv5_1]\nloss 0.25", fm, 80, 3);
    assertThat(caption).hasSize(3).last().isEqualTo("loss 0.25");
    assertThat(caption.get(1)).endsWith("\u2026");
    List<String> unbroken =
        GridRenderer.wrap("averyveryveryverylongfilenamewithoutspaces.png", fm, 90, 8);
    assertThat(unbroken)
        .hasSizeGreaterThan(1)
        .allSatisfy(line -> assertThat(fm.stringWidth(line)).isLessThanOrEqualTo(90));
    assertThat(String.join("", unbroken))
        .isEqualTo("averyveryveryverylongfilenamewithoutspaces.png");
    // A label too wide for the cell breaks after its '=', not inside the number.
    int width = fm.stringWidth("style_weight=0.0") + 1;
    assertThat(GridRenderer.wrap("style_weight=0.001", fm, width, 3))
        .containsExactly("style_weight=", "0.001");
  }

  @Test
  void emptyGridIsRejected() {
    assertThatThrownBy(() -> new GridRenderer().render("t", List.of(List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one cell");
  }

  private static int rowPitch(BufferedImage grid, int rows) {
    return (grid.getHeight() - 2 * MARGIN - (rows - 1) * GAP) / rows + GAP;
  }

  private static int colourAt(BufferedImage grid, int row, int col, int cell, int pitch) {
    return grid.getRGB(MARGIN + col * (cell + GAP) + cell / 2, MARGIN + row * pitch + cell / 2);
  }

  private static int distinctGreys(BufferedImage image, int fromY, int toY) {
    java.util.Set<Integer> greys = new java.util.HashSet<>();
    for (int y = fromY; y < toY; y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        Color c = new Color(image.getRGB(x, y));
        if (c.getRed() == c.getGreen()
            && c.getGreen() == c.getBlue()
            && c.getRed() > 10
            && c.getRed() < 245) {
          greys.add(c.getRed());
        }
      }
    }
    return greys.size();
  }

  private static BufferedImage solid(int w, int h, Color color) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }
}
