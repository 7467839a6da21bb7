package org.stylesweep.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Task;
import org.stylesweep.spec.WeightsSource;
import org.stylesweep.transfer.QualityMetrics;

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
      String task,
      Object key,
      long runs,
      long ok,
      Double finalLoss,
      Double finalContentLoss,
      Double finalStyleLoss,
      Double evaluations,
      Double msPerEvaluation,
      Double seconds,
      Map<String, Double> quality) {}

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

  /**
   * Runs the queries over a temporary view of the table: three queries (totals, counts by status
   * and device, per-layer and per-init means) over one cached copy, since each Spark job costs more
   * than the data it reads.
   */
  MetricsSummary(SparkSession spark, Dataset<Row> metrics) {
    String view = "stylesweep_report_metrics";
    Dataset<Row> cached = metrics.coalesce(1).cache();
    cached.createOrReplaceTempView(view);
    try {
      Row totals =
          spark
              .sql(
                  "SELECT count(*), coalesce(sum(seconds_total), 0), avg("
                      + String.format(OK_ONLY, "seconds_total")
                      + "), max(seconds_total), coalesce(sum(evaluations), 0), min(started_at), "
                      + "array_sort(collect_set(sweep)), array_sort(collect_set(weights_id)), "
                      + "array_sort(collect_set(concat('normalization ', normalization, ', ', pooling, ' pooling'))) "
                      + "FROM "
                      + view)
              .first();
      runs = totals.getLong(0);
      secondsTotal = totals.getDouble(1);
      secondsPerOkRun = totals.isNullAt(2) ? null : totals.getDouble(2);
      secondsSlowest = totals.isNullAt(3) ? null : totals.getDouble(3);
      evaluations = totals.getLong(4);
      Timestamp first = totals.isNullAt(5) ? null : totals.getTimestamp(5);
      firstStarted = first == null ? null : first.toInstant();
      sweeps = List.copyOf(totals.<String>getList(6));
      weightsIds = List.copyOf(totals.<String>getList(7));
      models = List.copyOf(totals.<String>getList(8));

      statuses = new ArrayList<>();
      devices = new ArrayList<>();
      for (Row r :
          spark
              .sql(
                  "SELECT grouping(status) AS by_device, status, device, count(*) FROM "
                      + "(SELECT status, coalesce(device, 'unknown') AS device FROM "
                      + view
                      + ") "
                      + "GROUP BY GROUPING SETS ((status), (device)) "
                      + "ORDER BY by_device, status = 'OK' DESC, status = 'FAILED' DESC, status, device")
              .collectAsList()) {
        if (r.getByte(0) == 0) {
          statuses.add(new StatusCount(r.getString(1), r.getLong(3)));
        } else {
          devices.add(new DeviceCount(r.getString(2), r.getLong(3)));
        }
      }

      List<Aggregate> contentLayers = new ArrayList<>();
      List<Aggregate> styleLayers = new ArrayList<>();
      List<Aggregate> inits = new ArrayList<>();
      String sql =
          "SELECT grouping(content_layers), grouping(style_layers), task, content_layers, style_layers, init, "
              + "count(*), count_if(status = 'OK'), "
              + "avg("
              + String.format(OK_ONLY, "final_loss")
              + "), "
              + "avg("
              + String.format(OK_ONLY, "final_content_loss")
              + "), "
              + "avg("
              + String.format(OK_ONLY, "final_style_loss")
              + "), "
              + "avg("
              + String.format(OK_ONLY, "evaluations")
              + "), "
              + "avg("
              + String.format(OK_ONLY, "ms_per_evaluation")
              + "), "
              + "avg("
              + String.format(OK_ONLY, "seconds_total")
              + ")"
              + QualityMetrics.COLUMNS.stream()
                  .map(c -> ", avg(" + String.format(OK_ONLY, c) + ")")
                  .collect(java.util.stream.Collectors.joining())
              + " FROM "
              + view
              + " GROUP BY GROUPING SETS ((task, content_layers), (task, style_layers), (task, init))";
      for (Row r : spark.sql(sql).collectAsList()) {
        String task = r.getString(2);
        if (r.getByte(0) == 0) {
          if (task.equals(Task.RECONSTRUCT.key())) {
            contentLayers.add(aggregate(r, task, List.copyOf(r.getList(3))));
          }
        } else if (r.getByte(1) == 0) {
          if (task.equals(Task.TEXTURE.key())) {
            styleLayers.add(aggregate(r, task, List.copyOf(r.getList(4))));
          }
        } else {
          inits.add(aggregate(r, task, r.getString(5)));
        }
      }
      this.contentLayers = sorted(contentLayers, Params.CONTENT_LAYERS.key());
      this.styleLayers = sorted(styleLayers, Params.STYLE_LAYERS.key());
      this.inits = sorted(inits, Params.INIT.key());
    } finally {
      spark.catalog().dropTempView(view);
      cached.unpersist();
    }
  }

  /** Whether any run used random (not ImageNet-trained) weights. */
  boolean randomWeights() {
    return weightsIds.stream().anyMatch(WeightsSource::isRandomId);
  }

  private static Aggregate aggregate(Row r, String task, Object key) {
    return new Aggregate(
        task,
        key,
        r.getLong(6),
        r.getLong(7),
        nullable(r, 8),
        nullable(r, 9),
        nullable(r, 10),
        nullable(r, 11),
        nullable(r, 12),
        nullable(r, 13),
        quality(r, 14));
  }

  private static List<Aggregate> sorted(List<Aggregate> aggregates, String axis) {
    Comparator<Object> values = Axes.valueOrder(axis);
    aggregates.sort(
        Comparator.comparing(Aggregate::task, GridPlanner::compareTasks)
            .thenComparing(Aggregate::key, values));
    return List.copyOf(aggregates);
  }

  /** The quality means from column {@code first} on, by quality column; nulls left out. */
  private static Map<String, Double> quality(Row r, int first) {
    Map<String, Double> means = new LinkedHashMap<>();
    for (int i = 0; i < QualityMetrics.COLUMNS.size(); i++) {
      Double value = nullable(r, first + i);
      if (value != null) {
        means.put(QualityMetrics.COLUMNS.get(i), value);
      }
    }
    return means;
  }

  private static Double nullable(Row r, int i) {
    return r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue();
  }
}
