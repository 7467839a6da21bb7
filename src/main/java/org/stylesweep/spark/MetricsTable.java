package org.stylesweep.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;

/**
 * The metrics table: {@code <out>/metrics} as Parquet with {@link Schemas#METRICS}, rebuilt (not
 * appended) from the per-run records, so a rerun or a retried task can never add a row twice.
 */
public final class MetricsTable {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsTable.class);

  private MetricsTable() {}

  /** The column Spark's permissive JSON reader fills with a line that does not parse. */
  static final String CORRUPT = "_corrupt_record";

  /**
   * What a set-aside record is renamed to: {@code records/<run_id>.json.corrupt-<UTC time>}
   * (outside the {@code *.json} glob).
   */
  static final String CORRUPT_SUFFIX = ".corrupt-";

  private static final StructType WITH_CORRUPT =
      Schemas.METRICS.add(CORRUPT, DataTypes.StringType, true);

  /**
   * Every record under {@code <out>/records} as a DataFrame with the metrics schema; empty when
   * there are none. A record that does not parse (cut short by a full disk, say) is left out with a
   * warning naming it, so its run counts as not done; the folder is not changed (see {@link
   * #readRecords(SparkSession, String, boolean)}).
   */
  public static Dataset<Row> readRecords(SparkSession spark, String out) throws IOException {
    return readRecords(spark, out, false);
  }

  /**
   * Every record under {@code <out>/records} that parses, one row each, with the metrics schema.
   * Records that do not parse (or parse without a run id) are left out with a warning naming them;
   * with {@code setAside} each is also renamed to {@code <name>.corrupt-<time>}, out of every later
   * read, so that the run is computed again and the bad bytes are kept for a look.
   */
  public static Dataset<Row> readRecords(SparkSession spark, String out, boolean setAside)
      throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path records = new Path(out, OutputLayout.RECORDS);
    FileSystem fs = HadoopFiles.fileSystem(records, conf);
    if (!hasRecords(fs, records)) {
      return spark.createDataFrame(List.of(), Schemas.METRICS);
    }
    List<String> corrupt =
        records(spark, records)
            .where(col(CORRUPT).isNotNull().or(col("run_id").isNull()))
            .select(functions.input_file_name())
            .distinct()
            .collectAsList()
            .stream()
            .map(row -> row.getString(0))
            .sorted()
            .toList();
    for (String uri : corrupt) {
      // input_file_name() gives an encoded URI (a space is %20); a Path made from the URI keeps it
      // so.
      Path path = new Path(java.net.URI.create(uri));
      String file = path.toString();
      if (setAside) {
        Path aside =
            new Path(
                path.getParent(),
                path.getName() + CORRUPT_SUFFIX + CORRUPT_TIME.format(java.time.Instant.now()));
        if (fs.rename(path, aside)) {
          LOG.warn(
              "record {} does not parse: set aside as {}; its run counts as not done and is computed again",
              file,
              aside.getName());
          continue;
        }
      }
      LOG.warn(
          "record {} does not parse: left out of the table; its run counts as not done"
              + " (the next `run` of this folder sets it aside and computes the run again)",
          file);
    }
    if (setAside && !corrupt.isEmpty() && !hasRecords(fs, records)) {
      return spark.createDataFrame(List.of(), Schemas.METRICS);
    }
    // Read again (the folder's listing changed) and keep only records that parse, in case one was
    // cut short between the two reads.
    Dataset<Row> json =
        records(spark, records)
            .where(col(CORRUPT).isNull().and(col("run_id").isNotNull()))
            .drop(CORRUPT);
    // Spark's file sources make every column nullable; put the declared schema back.
    return spark.createDataFrame(withParameterDefaults(json).rdd(), Schemas.METRICS);
  }

  private static final java.time.format.DateTimeFormatter CORRUPT_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  private static boolean hasRecords(FileSystem fs, Path records) throws IOException {
    FileStatus[] found = fs.globStatus(new Path(records, "*.json"));
    return found != null && found.length > 0;
  }

  /**
   * The records folder read permissively: a line that does not parse becomes a row with only {@link
   * #CORRUPT}.
   */
  private static Dataset<Row> records(SparkSession spark, Path records) {
    // The folder, not a glob: Spark skips the hidden temporary files of writes in progress.
    return spark
        .read()
        .schema(WITH_CORRUPT)
        .option("mode", "PERMISSIVE")
        .option("columnNameOfCorruptRecord", CORRUPT)
        .option("pathGlobFilter", "*.json")
        .option("timestampFormat", RunRecord.TIMESTAMP_FORMAT)
        .json(records.toString());
  }

  /**
   * Rewrites {@code <out>/metrics} from the records of the given runs (records of runs no longer in
   * the manifest stay on disk but out of the table).
   *
   * @return the status of each run written, by run id
   */
  public static Map<String, String> rebuild(
      SparkSession spark, String out, Collection<String> runIds) throws IOException {
    return rebuild(spark, out, runIds, null, null, false).statuses();
  }

  /**
   * What a rebuild wrote.
   *
   * @param statuses the status of each row of the table, by run id
   * @param earlier rows kept from earlier runs whose inputs are gone
   * @param pruned rows of gone inputs whose records and images were deleted
   */
  public record Rebuilt(Map<String, String> statuses, long earlier, long pruned) {}

  /**
   * Rewrites {@code <out>/metrics} from the records of the given runs and, when {@code contents}
   * and {@code styles} are given, of every earlier run with an input no longer among them (an image
   * that left a scheduled sweep's folder keeps its rows). Records of runs whose inputs are all
   * still there but whose parameters left the manifest stay out of the table. With {@code prune}
   * the records and result images of the gone inputs' runs are deleted instead.
   */
  public static Rebuilt rebuild(
      SparkSession spark,
      String out,
      Collection<String> runIds,
      Collection<String> contents,
      Collection<String> styles,
      boolean prune)
      throws IOException {
    Dataset<Row> all = readRecords(spark, out, true);
    Column planned = col("run_id").isin(runIds.toArray());
    Column gone = functions.lit(false);
    if (contents != null && styles != null) {
      gone =
          col("content")
              .isNotNull()
              .and(functions.not(col("content").isin(contents.toArray())))
              .or(col("style").isNotNull().and(functions.not(col("style").isin(styles.toArray()))));
    }
    Column earlier = functions.not(planned).and(gone);
    long pruned = 0;
    if (prune) {
      Configuration conf = spark.sparkContext().hadoopConfiguration();
      List<Row> victims = all.where(earlier).select("run_id").collectAsList();
      for (Row victim : victims) {
        String id = victim.getString(0);
        HadoopFiles.fileSystem(new Path(out), conf).delete(OutputLayout.record(out, id), false);
        HadoopFiles.fileSystem(new Path(out), conf)
            .delete(new Path(out, OutputLayout.image(id)), false);
      }
      pruned = victims.size();
      if (pruned > 0) {
        LOG.info("pruned {} runs of inputs no longer in the sweep from {}", pruned, out);
      }
      earlier = functions.lit(false);
      // The listing changed: read the records again.
      all = readRecords(spark, out, true);
    }
    Dataset<Row> rows = all.where(planned.or(earlier));
    rows.cache();
    try {
      rows.coalesce(1)
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(new Path(out, OutputLayout.METRICS).toString());
      Map<String, String> statuses = new HashMap<>();
      for (Row row : rows.select("run_id", "status").collectAsList()) {
        statuses.put(row.getString(0), row.getString(1));
      }
      Set<String> ids = new HashSet<>(runIds);
      long kept = statuses.keySet().stream().filter(id -> !ids.contains(id)).count();
      return new Rebuilt(statuses, kept, pruned);
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
      return withParameterDefaults(
          spark.read().schema(Schemas.METRICS).parquet(metrics.toString()));
    }
    return readRecords(spark, out);
  }
}
