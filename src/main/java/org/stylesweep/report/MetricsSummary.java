package org.stylesweep.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Aggregates of the metrics table, computed with Spark SQL over the Parquet data: counts by status,
 * times, devices, weights, and the per-layer and per-init tables of the report.
 */
final class MetricsSummary {

  /** Runs with one status. */
  record StatusCount(String status, long runs) {}

  /** Runs on one device. */
  record DeviceCount(String device, long runs) {}

  /**
   * Means over the finished (OK) runs of one group; {@code runs} counts all of the group's runs.
   *
   * @param key the group's value (a layer list, or an init name)
   * @param task the task of the group
   */
  record Aggregate(
      String task, Object key, long runs, long ok, Double finalLoss, Double finalContentLoss,
      Double finalStyleLoss, Double evaluations, Double msPerEvaluation, Double seconds) {}

  final List<String> sweeps;
  final List<StatusCount> statuses;
  final List<DeviceCount> devices;
  final List<String> weightsIds;
  final List<String> models;
  final long runs;
  final double secondsTotal;
  final Double secondsPerOkRun;
  final Double secondsSlowest;
  final long evaluations;
  final Instant firstStarted;
  /** Per content-layer set, over reconstruction runs. */
  final List<Aggregate> contentLayers;
  /** Per style-layer set, over texture runs. */
  final List<Aggregate> styleLayers;
  /** Per task and init. */
  final List<Aggregate> inits;

  private static final String OK_ONLY = "CASE WHEN status = 'OK' THEN %s END";

  /** Runs the queries over a temporary view of the table. */
  MetricsSummary(SparkSession spark, Dataset<Row> metrics) {
    String view = "stylesweep_report_metrics";
    metrics.createOrReplaceTempView(view);
    try {
      sweeps = strings(spark.sql("SELECT DISTINCT sweep FROM " + view + " ORDER BY sweep"));
      statuses = new ArrayList<>();
      for (Row r : spark.sql(
          "SELECT status, count(*) FROM " + view
              + " GROUP BY status ORDER BY status = 'OK' DESC, status = 'FAILED' DESC, status").collectAsList()) {
        statuses.add(new StatusCount(r.getString(0), r.getLong(1)));
      }
      devices = new ArrayList<>();
      for (Row r : spark.sql(
          "SELECT coalesce(device, 'unknown') AS d, count(*) FROM " + view + " GROUP BY d ORDER BY d")
          .collectAsList()) {
        devices.add(new DeviceCount(r.getString(0), r.getLong(1)));
      }
      weightsIds = strings(spark.sql("SELECT DISTINCT weights_id FROM " + view + " ORDER BY weights_id"));
      models = strings(spark.sql(
          "SELECT DISTINCT concat('normalization ', normalization, ', ', pooling, ' pooling') AS m FROM "
              + view + " ORDER BY m"));
      Row totals = spark.sql(
          "SELECT count(*), coalesce(sum(seconds_total), 0), avg(" + String.format(OK_ONLY, "seconds_total")
              + "), max(seconds_total), coalesce(sum(evaluations), 0), min(started_at) FROM " + view)
          .first();
      runs = totals.getLong(0);
      secondsTotal = totals.getDouble(1);
      secondsPerOkRun = totals.isNullAt(2) ? null : totals.getDouble(2);
      secondsSlowest = totals.isNullAt(3) ? null : totals.getDouble(3);
      evaluations = totals.getLong(4);
      Timestamp first = totals.isNullAt(5) ? null : totals.getTimestamp(5);
      firstStarted = first == null ? null : first.toInstant();
      contentLayers = aggregate(spark, view, "content_layers", "task = 'reconstruct'");
      styleLayers = aggregate(spark, view, "style_layers", "task = 'texture'");
      inits = aggregate(spark, view, "init", "true");
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /** Whether any run used random (not ImageNet-trained) weights. */
  boolean randomWeights() {
    return weightsIds.stream().anyMatch(id -> id != null && id.startsWith("random:"));
  }

  private static List<Aggregate> aggregate(SparkSession spark, String view, String column, String where) {
    String sql =
        "SELECT task, " + column + ", count(*), count_if(status = 'OK'), "
            + "avg(" + String.format(OK_ONLY, "final_loss") + "), "
            + "avg(" + String.format(OK_ONLY, "final_content_loss") + "), "
            + "avg(" + String.format(OK_ONLY, "final_style_loss") + "), "
            + "avg(" + String.format(OK_ONLY, "evaluations") + "), "
            + "avg(" + String.format(OK_ONLY, "ms_per_evaluation") + "), "
            + "avg(" + String.format(OK_ONLY, "seconds_total") + ") "
            + "FROM " + view + " WHERE " + where + " GROUP BY task, " + column;
    List<Aggregate> out = new ArrayList<>();
    for (Row r : spark.sql(sql).collectAsList()) {
      Object key = r.isNullAt(1) ? null : (r.get(1) instanceof scala.collection.Seq<?> ? List.copyOf(r.getList(1)) : r.get(1));
      out.add(new Aggregate(
          r.getString(0), key, r.getLong(2), r.getLong(3), nullable(r, 4), nullable(r, 5), nullable(r, 6),
          nullable(r, 7), nullable(r, 8), nullable(r, 9)));
    }
    Comparator<Object> values = Axes.valueOrder(column);
    out.sort(Comparator.comparing(Aggregate::task, GridPlanner::compareTasks)
        .thenComparing(Aggregate::key, values));
    return out;
  }

  private static Double nullable(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
  }

  private static List<String> strings(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.collectAsList()) {
      out.add(r.isNullAt(0) ? null : r.getString(0));
    }
    return out;
  }
}
