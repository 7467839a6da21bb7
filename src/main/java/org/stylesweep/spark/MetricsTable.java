package org.stylesweep.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.common.HadoopFiles;

/**
 * The metrics table: {@code <out>/metrics} as Parquet with {@link Schemas#METRICS}, rebuilt (not
 * appended) from the per-run records, so a rerun or a retried task can never add a row twice.
 */
public final class MetricsTable {
  private MetricsTable() {}

  /**
   * Every record under {@code <out>/records} as a DataFrame with the metrics schema; empty when
   * there are none.
   */
  public static Dataset<Row> readRecords(SparkSession spark, String out) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path records = new Path(out, OutputLayout.RECORDS);
    FileStatus[] found = HadoopFiles.fileSystem(records, conf)
        .globStatus(new Path(records, "*.json"));
    if (found == null || found.length == 0) {
      return spark.createDataFrame(List.of(), Schemas.METRICS);
    }
    // The folder, not a glob: Spark skips the hidden temporary files of writes in progress.
    Dataset<Row> json = spark.read()
        .schema(Schemas.METRICS)
        .option("mode", "FAILFAST")
        .option("pathGlobFilter", "*.json")
        .option("timestampFormat", RunRecord.TIMESTAMP_FORMAT)
        .json(records.toString());
    // Spark's file sources make every column nullable; put the declared schema back.
    return spark.createDataFrame(withParameterDefaults(json).rdd(), Schemas.METRICS);
  }

  /**
   * Rewrites {@code <out>/metrics} from the records of the given runs (records of runs no longer in
   * the manifest stay on disk but out of the table).
   *
   * @return the status of each run written, by run id
   */
  public static Map<String, String> rebuild(SparkSession spark, String out, Collection<String> runIds)
      throws IOException {
    Dataset<Row> rows = readRecords(spark, out).where(col("run_id").isin(runIds.toArray()));
    rows.cache();
    try {
      rows.coalesce(1).write().mode(SaveMode.Overwrite).parquet(new Path(out, OutputLayout.METRICS).toString());
      Map<String, String> statuses = new HashMap<>();
      for (Row row : rows.select("run_id", "status").collectAsList()) {
        statuses.put(row.getString(0), row.getString(1));
      }
      return statuses;
    } finally {
      rows.unpersist();
    }
  }

  /**
   * Fills the column of each run parameter a record or table does not have (written before the
   * parameter existed) with the parameter's default, the value those runs computed with.
   */
  static Dataset<Row> withParameterDefaults(Dataset<Row> rows) {
    Map<String, Column> filled = new LinkedHashMap<>();
    for (Param<?> p : Params.ALL) {
      filled.put(p.key(), functions.coalesce(col(p.key()), Schemas.defaultValue(p)));
    }
    return rows.withColumns(filled);
  }

  /**
   * The table to show: {@code <out>/metrics} when it exists, else the records (a sweep whose driver
   * died before rebuilding the table).
   */
  public static Dataset<Row> read(SparkSession spark, String out) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path metrics = new Path(out, OutputLayout.METRICS);
    if (HadoopFiles.exists(new Path(metrics, "_SUCCESS"), conf)) {
      return withParameterDefaults(spark.read().schema(Schemas.METRICS).parquet(metrics.toString()));
    }
    return readRecords(spark, out);
  }
}
