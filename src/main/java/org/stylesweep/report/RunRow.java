package org.stylesweep.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.stylesweep.spark.Schemas;
import org.stylesweep.transfer.QualityMetrics;

/**
 * One row of the metrics table as the report needs it: the axis values (inputs and run parameters)
 * and the outcome. Built on the driver from collected rows; holds no Spark or native objects.
 */
record RunRow(
    String runId,
    String sweep,
    String task,
    Map<String, Object> axes,
    String weightsId,
    String status,
    String error,
    String stopReason,
    int evaluations,
    Double finalLoss,
    Double finalContentLoss,
    Double finalStyleLoss,
    float[] lossHistory,
    double secondsTotal,
    double msPerEvaluation,
    String device,
    Instant startedAt,
    String imagePath,
    Integer width,
    Integer height,
    Map<String, Double> quality) {

  /** The value of an axis ({@code content}, {@code style} or a run parameter). */
  Object axis(String name) {
    return axes.get(name);
  }

  /** The content image URI, or null for texture runs. */
  String content() {
    return (String) axes.get(Axes.CONTENT);
  }

  /** The style image URI, or null for reconstruction runs. */
  String style() {
    return (String) axes.get(Axes.STYLE);
  }

  boolean ok() {
    return Schemas.OK.equals(status);
  }

  /** Reads a row of {@link Schemas#METRICS}, by column name. */
  static RunRow fromRow(Row row) {
    Map<String, Object> axes = new LinkedHashMap<>();
    for (String axis : Axes.ALL) {
      axes.put(axis, plain(row, axis));
    }
    Timestamp started = row.getAs("started_at");
    return new RunRow(
        row.getAs("run_id"),
        row.getAs("sweep"),
        row.getAs("task"),
        Collections.unmodifiableMap(axes),
        row.getAs("weights_id"),
        row.getAs("status"),
        row.getAs("error"),
        row.getAs("stop_reason"),
        row.<Integer>getAs("evaluations"),
        row.getAs("final_loss"),
        row.getAs("final_content_loss"),
        row.getAs("final_style_loss"),
        floats(row, "loss_history"),
        row.<Double>getAs("seconds_total"),
        row.<Double>getAs("ms_per_evaluation"),
        row.getAs("device"),
        started == null ? null : started.toInstant(),
        row.getAs("image_path"),
        row.getAs("width"),
        row.getAs("height"),
        quality(row));
  }

  /** The quality measures a row has, by column. */
  private static Map<String, Double> quality(Row row) {
    Map<String, Double> quality = new LinkedHashMap<>();
    for (String column : QualityMetrics.COLUMNS) {
      Double value = row.getAs(column);
      if (value != null) {
        quality.put(column, value);
      }
    }
    return Collections.unmodifiableMap(quality);
  }

  /** A column value as a plain Java object: arrays become immutable Java lists. */
  private static Object plain(Row row, String column) {
    int index = row.fieldIndex(column);
    if (row.isNullAt(index)) {
      return null;
    }
    Object value = row.get(index);
    if (value instanceof scala.collection.Seq<?>) {
      return List.copyOf(row.getList(index));
    }
    return value;
  }

  private static float[] floats(Row row, String column) {
    int index = row.fieldIndex(column);
    if (row.isNullAt(index)) {
      return new float[0];
    }
    List<Object> values = new ArrayList<>(row.getList(index));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = values.get(i);
      out[i] = v == null ? Float.NaN : ((Number) v).floatValue();
    }
    return out;
  }
}
