package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;

class LossChartTest {

  @Test
  void logAxisTicksAreRoundNumbersLabelledPlainly() {
    assertThat(labels(300, 4000))
        .containsExactly(
            "300", "400", "500", "600", "700", "800", "900", "1000", "2000", "3000", "4000");
    assertThat(labels(10, 5000))
        .containsExactly("10", "20", "50", "100", "200", "500", "1000", "2000", "5000");
    assertThat(labels(120, 900))
        .containsExactly("200", "300", "400", "500", "600", "700", "800", "900");
    assertThat(labels(0.5, 2e7))
        .containsExactly("1", "10", "100", "1000", "10000", "1e5", "1e6", "1e7");
  }

  @Test
  void nearlyFlatCurvesStillGetLabelledTicks() {
    assertThat(labels(1001, 1004)).hasSize(5).first().isEqualTo("1.00e+03");
  }

  @Test
  void chartIsDrawnOnlyWhenSomeLossIsPositiveAndFinite() {
    assertThat(
            LossChart.render(
                "t", List.of(new LossChart.Line("a", new float[] {Float.NaN, 0f, -1f})), 400, 300))
        .isNull();
    BufferedImage chart =
        LossChart.render(
            "t",
            List.of(
                new LossChart.Line("a", new float[] {100f, 10f, 1f}),
                new LossChart.Line("a", new float[] {50f, 5f})),
            400,
            300);
    assertThat(chart).isNotNull();
    assertThat(chart.getWidth()).isEqualTo(400);
    assertThat(chart.getHeight()).isEqualTo(300);
  }

  private static List<String> labels(double lo, double hi) {
    LossChart.NiceLogAxis axis = new LossChart.NiceLogAxis("loss");
    axis.setAutoRange(false);
    axis.setRange(lo, hi);
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    @SuppressWarnings("unchecked")
    List<NumberTick> ticks =
        axis.refreshTicks(
            scratch.createGraphics(),
            new org.jfree.chart.axis.AxisState(),
            new Rectangle2D.Double(0, 0, 400, 300),
            RectangleEdge.LEFT);
    return ticks.stream().map(NumberTick::getText).toList();
  }
}
