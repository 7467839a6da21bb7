package org.stylesweep.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Draws labelled image grids with Java2D: a title bar, then rows of equal square cells, each with a
 * caption underneath. Cells show an image, a text label (an axis value that has no picture), a
 * failed run (grey with a red cross and "FAILED", so a failure is never a silently missing cell), a
 * missing combination, or nothing (the empty corner of a transfer grid).
 *
 * <p>Rendering is deterministic: the same cells give the same pixels, so rebuilding a report gives
 * byte-identical PNGs.
 */
public final class GridRenderer {

  /** What a cell shows. */
  public enum Kind {
    /** A picture with a caption. */
    IMAGE,
    /**
     * Text in the picture area, for an axis value without a picture (for example {@code seed=1}).
     */
    LABEL,
    /** A run that failed: grey, a red cross and the word FAILED. */
    FAILED,
    /** A combination of axis values that the sweep has no run for. */
    MISSING,
    /** Nothing at all (the corner of a transfer grid). */
    BLANK
  }

  /**
   * One cell of a grid.
   *
   * @param kind what the cell shows
   * @param image the picture for {@link Kind#IMAGE}, else null
   * @param caption text under the cell (may be empty; {@code \n} starts a new line), or the text of
   *     a {@link Kind#LABEL} cell
   */
  public record Cell(Kind kind, BufferedImage image, String caption) {
    /** Checks that an image cell has an image. */
    public Cell {
      Objects.requireNonNull(kind, "kind");
      if (kind == Kind.IMAGE && image == null) {
        throw new IllegalArgumentException(
            "an IMAGE cell needs an image (caption '" + caption + "')");
      }
      caption = caption == null ? "" : caption;
    }

    /** A picture with a caption under it. */
    public static Cell image(BufferedImage image, String caption) {
      return new Cell(Kind.IMAGE, image, caption);
    }

    /** A text-only cell, for axis values that have no picture. */
    public static Cell label(String text) {
      return new Cell(Kind.LABEL, null, text);
    }

    /** A failed run: drawn as a marked empty cell. */
    public static Cell failed(String caption) {
      return new Cell(Kind.FAILED, null, caption);
    }

    /** A combination that has no run. */
    public static Cell missing(String caption) {
      return new Cell(Kind.MISSING, null, caption);
    }

    /** An empty cell. */
    public static Cell blank() {
      return new Cell(Kind.BLANK, null, "");
    }
  }

  private static final Color BACKGROUND = Color.WHITE;
  private static final Color TEXT = new Color(0x21, 0x21, 0x21);
  private static final Color MUTED = new Color(0x75, 0x75, 0x75);
  private static final Color FAILED_FILL = new Color(0xBD, 0xBD, 0xBD);
  private static final Color FAILED_MARK = new Color(0xD3, 0x2F, 0x2F);
  private static final Color LABEL_FILL = new Color(0xF1, 0xF3, 0xF6);
  private static final Color MISSING_EDGE = new Color(0xC8, 0xC8, 0xC8);

  private final int minCell;
  private final int maxCell;
  private final Font captionFont;
  private final Font titleFont;
  private final Font markFont;
  private final int captionLines;

  /** A renderer with cells between 128 and 256 px, 14 px captions of at most 5 lines. */
  public GridRenderer() {
    this(128, 256, 14, 5);
  }

  /**
   * @param minCell smallest cell side in pixels; smaller images are scaled up to it so captions fit
   * @param maxCell largest cell side in pixels; larger images are scaled down to it
   * @param fontSize caption font size in pixels
   * @param captionLines lines of caption under each cell before the text is cut with an ellipsis
   */
  public GridRenderer(int minCell, int maxCell, int fontSize, int captionLines) {
    if (minCell < 16 || maxCell < minCell) {
      throw new IllegalArgumentException(
          "cell size range must satisfy 16 <= minCell <= maxCell, got " + minCell + ".." + maxCell);
    }
    if (fontSize < 6 || captionLines < 1) {
      throw new IllegalArgumentException(
          "fontSize must be >= 6 and captionLines >= 1, got " + fontSize + " and " + captionLines);
    }
    this.minCell = minCell;
    this.maxCell = maxCell;
    this.captionLines = captionLines;
    this.captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
    this.titleFont = new Font(Font.SANS_SERIF, Font.BOLD, fontSize + 2);
    this.markFont = new Font(Font.SANS_SERIF, Font.BOLD, fontSize + 2);
  }

  /**
   * Draws a grid.
   *
   * @param title text in the bar above the grid; empty for none
   * @param rows the rows of cells; shorter rows are padded with blank cells
   * @return an RGB image
   */
  public BufferedImage render(String title, List<List<Cell>> rows) {
    return draw(title, rows).image();
  }

  /**
   * A drawn grid and where each cell lies in it.
   *
   * @param image the grid
   * @param cells the square of each cell, caption excluded, by row then column (padded cells too)
   */
  public record Drawn(BufferedImage image, List<List<java.awt.Rectangle>> cells) {}

  /** Draws a grid as {@link #render} does, and says where each cell lies (for links to cells). */
  public Drawn draw(String title, List<List<Cell>> rows) {
    if (rows.isEmpty() || rows.stream().allMatch(List::isEmpty)) {
      throw new IllegalArgumentException("a grid needs at least one cell (title '" + title + "')");
    }
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int cell = cellSide(rows);
    int gap = 8;
    int margin = 12;

    // A scratch context gives font metrics before the canvas size is known.
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D probe = scratch.createGraphics();
    setHints(probe);
    FontMetrics captionMetrics = probe.getFontMetrics(captionFont);
    FontMetrics titleMetrics = probe.getFontMetrics(titleFont);
    int width = 2 * margin + columns * cell + (columns - 1) * gap;
    List<String> titleLines =
        title == null || title.isEmpty()
            ? List.of()
            : wrap(title, titleMetrics, width - 2 * margin, 3);
    probe.dispose();

    // Captions take only as many lines as the longest one needs.
    int usedLines = 0;
    for (List<Cell> row : rows) {
      for (Cell item : row) {
        if (item.kind() != Kind.LABEL && !item.caption().isEmpty()) {
          usedLines =
              Math.max(usedLines, wrap(item.caption(), captionMetrics, cell, captionLines).size());
        }
      }
    }
    int lineHeight = captionMetrics.getHeight();
    int captionHeight = usedLines == 0 ? 0 : usedLines * lineHeight + 6;
    int titleHeight = titleLines.isEmpty() ? 0 : titleLines.size() * titleMetrics.getHeight() + gap;
    int rowHeight = cell + captionHeight;
    int height = 2 * margin + titleHeight + rows.size() * rowHeight + (rows.size() - 1) * gap;

    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    List<List<java.awt.Rectangle>> places = new java.util.ArrayList<>();
    Graphics2D g = canvas.createGraphics();
    try {
      setHints(g);
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, width, height);

      g.setFont(titleFont);
      g.setColor(TEXT);
      int y = margin;
      for (String line : titleLines) {
        g.drawString(line, margin, y + titleMetrics.getAscent());
        y += titleMetrics.getHeight();
      }
      int top = margin + titleHeight;
      for (int r = 0; r < rows.size(); r++) {
        List<Cell> row = rows.get(r);
        List<java.awt.Rectangle> rowPlaces = new java.util.ArrayList<>();
        places.add(rowPlaces);
        for (int c = 0; c < columns; c++) {
          Cell item = c < row.size() ? row.get(c) : Cell.blank();
          int x = margin + c * (cell + gap);
          int cy = top + r * (rowHeight + gap);
          rowPlaces.add(new java.awt.Rectangle(x, cy, cell, cell));
          drawCell(g, item, x, cy, cell);
          if (item.kind() != Kind.LABEL && !item.caption().isEmpty()) {
            g.setFont(captionFont);
            g.setColor(item.kind() == Kind.FAILED ? FAILED_MARK : TEXT);
            drawCentred(
                g,
                wrap(item.caption(), captionMetrics, cell, captionLines),
                x,
                cy + cell + 4,
                cell);
          }
        }
      }
    } finally {
      g.dispose();
    }
    return new Drawn(canvas, places);
  }

  /** The common cell side: the largest image side, kept within [minCell, maxCell]. */
  private int cellSide(List<List<Cell>> rows) {
    int largest = 0;
    for (List<Cell> row : rows) {
      for (Cell cell : row) {
        if (cell.image() != null) {
          largest = Math.max(largest, Math.max(cell.image().getWidth(), cell.image().getHeight()));
        }
      }
    }
    return Math.max(minCell, Math.min(maxCell, largest));
  }

  private void drawCell(Graphics2D g, Cell cell, int x, int y, int side) {
    switch (cell.kind()) {
      case IMAGE -> drawImage(g, cell.image(), x, y, side);
      case LABEL -> {
        g.setColor(LABEL_FILL);
        g.fillRect(x, y, side, side);
        g.setFont(captionFont);
        g.setColor(TEXT);
        FontMetrics fm = g.getFontMetrics();
        int maxLines = Math.max(1, (side - 8) / fm.getHeight());
        List<String> lines = wrap(cell.caption(), fm, side - 8, maxLines);
        drawCentred(g, lines, x, y + (side - lines.size() * fm.getHeight()) / 2, side);
      }
      case FAILED -> {
        g.setColor(FAILED_FILL);
        g.fillRect(x, y, side, side);
        g.setColor(FAILED_MARK);
        g.setStroke(
            new BasicStroke(
                Math.max(3f, side / 40f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        int inset = side / 8;
        g.drawLine(x + inset, y + inset, x + side - inset, y + side - inset);
        g.drawLine(x + side - inset, y + inset, x + inset, y + side - inset);
        g.setFont(markFont);
        FontMetrics fm = g.getFontMetrics();
        String word = "FAILED";
        int w = fm.stringWidth(word);
        int boxW = w + 12;
        int boxH = fm.getHeight() + 4;
        int bx = x + (side - boxW) / 2;
        int by = y + (side - boxH) / 2;
        g.setColor(Color.WHITE);
        g.fillRect(bx, by, boxW, boxH);
        g.setColor(FAILED_MARK);
        g.drawString(word, bx + 6, by + 2 + fm.getAscent());
      }
      case MISSING -> {
        g.setColor(MISSING_EDGE);
        g.setStroke(
            new BasicStroke(
                2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
        g.drawRect(x + 1, y + 1, side - 3, side - 3);
        g.setFont(captionFont);
        g.setColor(MUTED);
        drawCentred(g, List.of("no run"), x, y + (side - g.getFontMetrics().getHeight()) / 2, side);
      }
      case BLANK -> {
        // The corner of a transfer grid stays white.
      }
    }
  }

  /** Fits the image into the square cell, keeping its aspect ratio, centred. */
  private static void drawImage(Graphics2D g, BufferedImage image, int x, int y, int side) {
    int w = image.getWidth();
    int h = image.getHeight();
    double scale = Math.min((double) side / w, (double) side / h);
    int dw = Math.max(1, (int) Math.round(w * scale));
    int dh = Math.max(1, (int) Math.round(h * scale));
    // Scaled-up tiny results keep their pixels visible (what the optimizer produced); scaled-down
    // inputs are smoothed.
    Object interpolation =
        scale >= 1.5
            ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR
            : RenderingHints.VALUE_INTERPOLATION_BICUBIC;
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
    g.drawImage(image, x + (side - dw) / 2, y + (side - dh) / 2, dw, dh, BACKGROUND, null);
  }

  private static void drawCentred(Graphics2D g, List<String> lines, int x, int top, int width) {
    FontMetrics fm = g.getFontMetrics();
    int y = top;
    for (String line : lines) {
      g.drawString(line, x + (width - fm.stringWidth(line)) / 2, y + fm.getAscent());
      y += fm.getHeight();
    }
  }

  private static void setHints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
  }

  /**
   * Greedy word wrap to at most {@code maxLines} lines of at most {@code width} pixels; words
   * longer than a line are broken between characters, and text that does not fit ends with an
   * ellipsis.
   */
  static List<String> wrap(String text, FontMetrics fm, int width, int maxLines) {
    String[] paragraphs = text.strip().split("\n");
    List<String> lines = new ArrayList<>();
    for (int p = 0; p < paragraphs.length; p++) {
      // Each later paragraph keeps at least its first line (a long layer list must not push the
      // loss line out of the caption).
      int budget = maxLines - lines.size() - (paragraphs.length - 1 - p);
      if (budget <= 0) {
        break;
      }
      List<String> wrapped = new ArrayList<>();
      wrapParagraph(paragraphs[p], fm, width, wrapped);
      lines.addAll(fit(wrapped, fm, width, budget));
    }
    return lines;
  }

  /** The first {@code maxLines} lines, the last ending in an ellipsis when some were cut. */
  private static List<String> fit(List<String> lines, FontMetrics fm, int width, int maxLines) {
    if (lines.size() <= maxLines) {
      return lines;
    }
    List<String> kept = new ArrayList<>(lines.subList(0, maxLines));
    String last = kept.get(maxLines - 1);
    while (!last.isEmpty() && fm.stringWidth(last + "\u2026") > width) {
      last = last.substring(0, last.length() - 1);
    }
    kept.set(maxLines - 1, last + "\u2026");
    return kept;
  }

  private static void wrapParagraph(String text, FontMetrics fm, int width, List<String> lines) {
    StringBuilder line = new StringBuilder();
    String[] words = text.strip().split("\\s+");
    for (int i = 0; i < words.length; i++) {
      String word = words[i];
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (fm.stringWidth(candidate) <= width) {
        line.setLength(0);
        line.append(candidate);
        continue;
      }
      if (!line.isEmpty()) {
        lines.add(line.toString());
        line.setLength(0);
      }
      // Break a word wider than the cell between characters.
      while (fm.stringWidth(word) > width && word.length() > 1) {
        int cut = word.length() - 1;
        while (cut > 1 && fm.stringWidth(word.substring(0, cut)) > width) {
          cut--;
        }
        // Prefer a break after '=', ',' or '_' ("style_weight=" / "0.001", not "0." / "001").
        int soft = Math.max(word.lastIndexOf('=', cut - 1), word.lastIndexOf(',', cut - 1));
        soft = Math.max(soft, word.lastIndexOf('_', cut - 1));
        if (soft > 0) {
          cut = soft + 1;
        }
        lines.add(word.substring(0, cut));
        word = word.substring(cut);
      }
      line.append(word);
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
  }
}
