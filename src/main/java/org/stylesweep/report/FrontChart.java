package org.stylesweep.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The scatter of one content × style pair's runs: content distance across, style distance up, the
 * Pareto front's runs in a second colour, each point labelled by its varying parameters.
 */
final class FrontChart {
  private FrontChart() {}

  /**
   * One run.
   *
   * @param label its varying parameters
   * @param onFront whether it is on the pair's Pareto front
   */
  record Point(String label, double content, double style, boolean onFront) {}

  /** Draws the scatter; null without points. */
  static BufferedImage render(String title, List<Point> points, int width, int height) {
    if (points.isEmpty()) {
      return null;
    }
    XYSeries others = new XYSeries("dominated", false, true);
    XYSeries front = new XYSeries("Pareto front", true, true);
    for (Point p : points) {
      (p.onFront() ? front : others).add(p.content(), p.style());
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    dataset.addSeries(front);
    dataset.addSeries(others);
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            null,
            "content distance (quality_content_feature)",
            "style distance (quality_style_gram)",
            dataset,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    chart.setTitle(new TextTitle(title, base.deriveFont(Font.BOLD, 14f)));
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    plot.setRangeGridlinePaint(new Color(0xDD, 0xDD, 0xDD));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    // the front as a line through its points (sorted by content distance), the others as dots
    renderer.setSeriesLinesVisible(0, true);
    renderer.setSeriesLinesVisible(1, false);
    renderer.setSeriesPaint(0, new Color(0xD5, 0x5E, 0x00));
    renderer.setSeriesPaint(1, new Color(0x00, 0x72, 0xB2));
    plot.setRenderer(renderer);
    ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    ((org.jfree.chart.axis.NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
    // room for the labels, which start at their point and run right and up
    plot.getDomainAxis().setUpperMargin(0.3);
    plot.getDomainAxis().setLowerMargin(0.05);
    plot.getRangeAxis().setUpperMargin(0.1);
    for (Point p : points) {
      XYTextAnnotation label = new XYTextAnnotation(p.label(), p.content(), p.style());
      label.setFont(base.deriveFont(11f));
      label.setTextAnchor(TextAnchor.BOTTOM_LEFT);
      plot.addAnnotation(label);
    }
    return chart.createBufferedImage(width, height);
  }
}
