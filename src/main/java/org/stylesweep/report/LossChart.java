package org.stylesweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Loss against evaluation on a log scale, one line per run, drawn with JFreeChart. */
final class LossChart {
  private LossChart() {}

  /**
   * One line.
   *
   * @param name legend text
   * @param losses total loss at each evaluation (index 0 is evaluation 1)
   * @param dashed drawn dashed, so that a line it covers (a sum over its main term) shows through
   */
  record Line(String name, float[] losses, boolean dashed) {
    /** A solid line. */
    Line(String name, float[] losses) {
      this(name, losses, false);
    }
  }

  /** Line colours that stay apart for the colour-blind (Okabe–Ito), then JFreeChart's defaults. */
  private static final Color[] PALETTE = {
    new Color(0x00, 0x72, 0xB2), new Color(0xD5, 0x5E, 0x00), new Color(0x00, 0x9E, 0x73),
    new Color(0xCC, 0x79, 0xA7), new Color(0xE6, 0x9F, 0x00), new Color(0x56, 0xB4, 0xE9),
    new Color(0x00, 0x00, 0x00), new Color(0xF0, 0xE4, 0x42)
  };

  /**
   * Draws the chart, or returns null when no line has a positive finite loss (a log axis cannot
   * show anything else).
   */
  static BufferedImage render(String title, List<Line> lines, int width, int height) {
    return render(title, lines, width, height, "evaluation");
  }

  /**
   * As {@link #render(String, List, int, int)}, with {@code xLabel} naming what index {@code i + 1}
   * counts (a training's curve is per Adam step, not per loss evaluation).
   */
  static BufferedImage render(
      String title, List<Line> lines, int width, int height, String xLabel) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    Set<String> names = new HashSet<>();
    List<Boolean> dashed = new ArrayList<>();
    for (Line line : lines) {
      // Series keys must be unique; repeat names get a counter.
      String name = line.name();
      for (int n = 2; !names.add(name); n++) {
        name = line.name() + " (" + n + ")";
      }
      XYSeries series = new XYSeries(name, false, true);
      float[] losses = line.losses();
      for (int i = 0; i < losses.length; i++) {
        if (Float.isFinite(losses[i]) && losses[i] > 0) {
          series.add(i + 1, losses[i]);
        }
      }
      if (series.getItemCount() > 0) {
        dataset.addSeries(series);
        dashed.add(line.dashed());
      }
    }
    if (dataset.getSeriesCount() == 0) {
      return null;
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            null, xLabel, "loss", dataset, PlotOrientation.VERTICAL, true, false, false);
    Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    chart.setTitle(new TextTitle(title, base.deriveFont(Font.BOLD, 14f)));
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.getLegend().setItemFont(base);

    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));

    LogAxis range = new NiceLogAxis("loss (log scale)");
    range.setSmallestValue(1e-30);
    range.setLabelFont(base);
    range.setTickLabelFont(base.deriveFont(12f));
    plot.setRangeAxis(range);

    NumberAxis domain = (NumberAxis) plot.getDomainAxis();
    domain.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
    domain.setLabelFont(base);
    domain.setTickLabelFont(base.deriveFont(12f));

    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int s = 0; s < dataset.getSeriesCount(); s++) {
      renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
      renderer.setSeriesStroke(
          s,
          dashed.get(s)
              ? new BasicStroke(
                  2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
              : new BasicStroke(2f));
    }
    plot.setRenderer(renderer);

    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      chart.draw(g, new Rectangle2D.Double(0, 0, width, height));
    } finally {
      g.dispose();
    }
    return image;
  }

  /**
   * A vertical log axis with ticks at round numbers (1, 2, 5 x 10^k, or every 1..9 x 10^k when the
   * curves span about a decade, or only powers of ten over many decades), labelled as plain
   * numbers. JFreeChart's LogAxis spaces ticks evenly in log space and labels them 10^2.3 when the
   * range is narrow, which nobody reads at a glance.
   */
  static final class NiceLogAxis extends LogAxis {
    NiceLogAxis(String label) {
      super(label);
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
      Range range = getRange();
      double lo = range.getLowerBound();
      double hi = range.getUpperBound();
      List<NumberTick> ticks = new ArrayList<>();
      if (!(lo > 0) || !(hi > lo)) {
        return ticks;
      }
      TextAnchor anchor =
          edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT;
      double decades = Math.log10(hi / lo);
      int[] mantissas =
          decades < 1.3
              ? new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}
              : decades < 4 ? new int[] {1, 2, 5} : new int[] {1};
      int decadeStep = decades <= 10 ? 1 : (int) Math.ceil(decades / 10);
      int first = (int) Math.floor(Math.log10(lo));
      int last = (int) Math.ceil(Math.log10(hi));
      for (int k = first; k <= last; k++) {
        if (Math.floorMod(k, decadeStep) != 0) {
          continue;
        }
        for (int m : mantissas) {
          double v = m * Math.pow(10, k);
          if (v >= lo && v <= hi) {
            ticks.add(new NumberTick(TickType.MAJOR, v, label(v), anchor, anchor, 0.0));
          }
        }
      }
      if (ticks.size() < 2) {
        // Curves within a few percent of each other: five ticks evenly spread, 3 digits each.
        ticks.clear();
        for (int i = 0; i <= 4; i++) {
          double v = lo * Math.pow(hi / lo, i / 4.0);
          ticks.add(
              new NumberTick(
                  TickType.MAJOR, v, String.format(Locale.ROOT, "%.3g", v), anchor, anchor, 0.0));
        }
      }
      return ticks;
    }

    /** 0.002, 50, 2000, 2e6: plain up to 100 000, exponent beyond, no trailing zeros. */
    static String label(double v) {
      if (v >= 1e-3 && v < 1e5) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6g", v))
            .stripTrailingZeros()
            .toPlainString();
      }
      return Axes.number(Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)));
    }
  }
}
