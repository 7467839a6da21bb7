package org.stylesweep.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.stylesweep.report.ParetoFront;
import org.stylesweep.spec.Params;
import org.stylesweep.transfer.QualityMetrics;

/**
 * The runs of a sweep as an aligned text table: identity, the parameters that vary between the runs
 * (the sweep axes; constant ones would only add noise), and the outcome.
 */
final class RunTable {
  private RunTable() {}

  private static final int ERROR_WIDTH = 70;

  static String render(List<Row> rows) {
    return render(rows, Set.of());
  }

  /**
   * The table, with a {@code front} column marking the runs of {@code front} when there are any
   * (see {@link #front}).
   */
  static String render(List<Row> rows, Set<String> front) {
    List<String> varied = new ArrayList<>();
    for (String key : Params.keys()) {
      Set<String> values = new HashSet<>();
      rows.forEach(r -> values.add(cell(r, key)));
      if (values.size() > 1) {
        varied.add(key);
      }
    }
    List<String> header = new ArrayList<>(List.of("run_id", "status", "content", "style"));
    boolean marked = !front.isEmpty();
    if (marked) {
      header.add("front");
    }
    boolean halving = HalvingText.any(rows);
    Integer finalRound = HalvingText.finalRound(rows);
    if (halving) {
      header.add("halving");
    }
    header.addAll(varied);
    // the quality measures some run has (texture runs lack the content ones, and so on)
    List<String> quality = new ArrayList<>();
    for (String column : QualityMetrics.COLUMNS) {
      if (rows.stream().anyMatch(r -> r.getAs(column) != null)) {
        quality.add(column);
      }
    }
    header.addAll(List.of("evals", "final_loss"));
    quality.forEach(c -> header.add(c.substring("quality_".length())));
    header.addAll(List.of("seconds", "ms/eval", "device", "error"));
    List<List<String>> table = new ArrayList<>();
    table.add(header);
    long ok = 0;
    for (Row r : rows) {
      List<String> line = new ArrayList<>();
      line.add(r.getAs("run_id"));
      line.add(r.getAs("status"));
      line.add(fileName(r.getAs("content")));
      line.add(fileName(r.getAs("style")));
      if (marked) {
        line.add(front.contains((String) r.getAs("run_id")) ? "*" : "");
      }
      if (halving) {
        line.add(HalvingText.cell(r, finalRound));
      }
      varied.forEach(k -> line.add(cell(r, k)));
      line.add(String.valueOf((int) r.getAs("evaluations")));
      Double finalLoss = r.getAs("final_loss");
      line.add(finalLoss == null ? "-" : String.format("%.4g", finalLoss));
      for (String column : quality) {
        Double value = r.getAs(column);
        line.add(value == null ? "-" : String.format("%.4g", value));
      }
      line.add(String.format("%.1f", (double) r.getAs("seconds_total")));
      line.add(String.format("%.1f", (double) r.getAs("ms_per_evaluation")));
      String device = r.getAs("device");
      line.add(device == null ? "-" : device);
      String error = r.getAs("error");
      line.add(
          error == null
              ? ""
              : error.length() > ERROR_WIDTH ? error.substring(0, ERROR_WIDTH - 3) + "..." : error);
      table.add(line);
      ok += "OK".equals(r.getAs("status")) ? 1 : 0;
    }
    StringBuilder s = new StringBuilder();
    int[] widths = new int[header.size()];
    for (List<String> line : table) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    for (List<String> line : table) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.size(); i++) {
        text.append(i == 0 ? "" : "  ").append(String.format("%-" + widths[i] + "s", line.get(i)));
      }
      s.append(text.toString().stripTrailing()).append('\n');
    }
    String sweep = rows.get(0).getAs("sweep");
    String weights = rows.get(0).getAs("weights_id");
    s.append(
        String.format(
            "%d runs of sweep %s: %d OK, %d FAILED; weights %s%n",
            rows.size(), sweep, ok, rows.size() - ok, weights));
    String compute = halving ? HalvingText.summary(rows) : null;
    if (compute != null) {
      s.append(compute).append('\n');
    }
    return s.toString();
  }

  /**
   * The runs on the Pareto front of {@code quality_content_feature} against {@code
   * quality_style_gram}, per content × style pair ({@link ParetoFront}).
   */
  static Set<String> front(List<Row> rows) {
    List<ParetoFront.Point> points = new ArrayList<>();
    for (Row r : rows) {
      if ("OK".equals(r.getAs("status"))) {
        points.add(
            new ParetoFront.Point(
                r.getAs("run_id"),
                r.getAs("content") + " x " + r.getAs("style"),
                r.getAs(QualityMetrics.CONTENT_FEATURE),
                r.getAs(QualityMetrics.STYLE_GRAM)));
      }
    }
    return ParetoFront.of(points);
  }

  private static String cell(Row r, String key) {
    Object value = r.getAs(key);
    if (value instanceof scala.collection.Seq<?> seq) {
      return scala.jdk.javaapi.CollectionConverters.asJava(seq).toString().replace(" ", "");
    }
    return String.valueOf(value);
  }

  private static String fileName(String uri) {
    return uri == null ? "-" : new Path(uri).getName();
  }
}
