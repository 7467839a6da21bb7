package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.junit.jupiter.api.Test;
import org.stylesweep.spark.Schemas;
import org.stylesweep.transfer.QualityMetrics;

/** {@code show}'s table: the quality columns, and the Pareto front marked and listed. */
class RunTableFrontTest {

  private static Row row(String id, String content, Double contentDistance, Double style) {
    Map<String, Object> values =
        new java.util.HashMap<>(
            Map.of(
                "run_id",
                id,
                "status",
                "OK",
                "sweep",
                "s",
                "weights_id",
                "random:0",
                "content",
                "file:/in/" + content,
                "style",
                "file:/in/s.png",
                "evaluations",
                10,
                "seconds_total",
                1.0,
                "ms_per_evaluation",
                2.0));
    values.put(QualityMetrics.CONTENT_FEATURE, contentDistance);
    values.put(QualityMetrics.STYLE_GRAM, style);
    Object[] cells = new Object[Schemas.METRICS.fields().length];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = values.get(Schemas.METRICS.fields()[i].name());
    }
    return new GenericRowWithSchema(cells, Schemas.METRICS);
  }

  @Test
  void theFrontOfEachPairIsMarkedAndTheQualityColumnsShown() {
    List<Row> rows =
        List.of(
            row("r1", "a.png", 0.1, 0.9),
            row("r2", "a.png", 0.5, 0.5),
            row("r3", "a.png", 0.6, 0.6),
            row("r4", "b.png", 0.9, 0.9),
            row("r5", "b.png", null, 0.1));
    assertThat(RunTable.front(rows)).containsExactly("r1", "r2", "r4");
    String table = RunTable.render(rows, RunTable.front(rows));
    assertThat(table.lines().findFirst().orElseThrow())
        .contains("front", "content_feature", "style_gram")
        .doesNotContain("content_ssim");
    assertThat(table).containsPattern("r1 +OK +a.png +s.png +\\*");
    assertThat(table).containsPattern("r3 +OK +a.png +s.png +[^*]");
  }
}
