package org.stylesweep.spark;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.ValueKind;
import org.stylesweep.transfer.QualityMetrics;

/** Every Spark schema of the project, written out once. */
public final class Schemas {
  private Schemas() {}

  /** Status of a run that finished with an image. */
  public static final String OK = "OK";

  /** Status of a run that threw or hit a non-finite loss; {@code error} says why. */
  public static final String FAILED = "FAILED";

  /**
   * The metrics table ({@code <out>/metrics}, Parquet): one row per run, built from the durable
   * per-run records. Column names are the manifest's snake_case keys.
   */
  public static final StructType METRICS = metrics();

  /**
   * The per-frame table of video runs ({@code video-metrics/}): one row per frame of each run, with
   * {@code temporal_error} the mean masked temporal error c·|x_t − ω(x_{t−1})| against the previous
   * frame (null for the first frame and where either frame failed).
   */
  public static final StructType VIDEO_FRAMES =
      new StructType(
          new StructField[] {
            new StructField("run_id", StringType, false, Metadata.empty()),
            new StructField("video", StringType, false, Metadata.empty()),
            new StructField("style", StringType, false, Metadata.empty()),
            new StructField("temporal", StringType, false, Metadata.empty()),
            new StructField("temporal_weight", DoubleType, false, Metadata.empty()),
            new StructField("frame", IntegerType, false, Metadata.empty()),
            new StructField("status", StringType, false, Metadata.empty()),
            new StructField("error", StringType, true, Metadata.empty()),
            new StructField("loss", DoubleType, true, Metadata.empty()),
            new StructField("content_loss", DoubleType, true, Metadata.empty()),
            new StructField("style_loss", DoubleType, true, Metadata.empty()),
            new StructField("evaluations", IntegerType, false, Metadata.empty()),
            new StructField("seconds", DoubleType, false, Metadata.empty()),
            new StructField(
                "warm_start",
                org.apache.spark.sql.types.DataTypes.BooleanType,
                false,
                Metadata.empty()),
            new StructField("temporal_error", DoubleType, true, Metadata.empty()),
            new StructField("image_path", StringType, true, Metadata.empty()),
            // the run's chunking, so runs that differ only in it can be told apart
            new StructField("chunk_frames", IntegerType, false, Metadata.empty()),
            new StructField("chunk_overlap", IntegerType, false, Metadata.empty())
          });

  /** The columns before the run parameters: who the run is. */
  public static final List<String> IDENTITY_COLUMNS =
      List.of("run_id", "sweep", "task", "content", "style");

  /** The columns of the run parameters, one per key of {@link Params#ALL}, in table order. */
  public static final List<String> PARAMETER_COLUMNS = Params.keys();

  private static StructType metrics() {
    List<StructField> fields =
        new ArrayList<>(
            List.of(
                field("run_id", StringType, false),
                field("sweep", StringType, false),
                field("task", StringType, false),
                field("content", StringType, true),
                field("style", StringType, true)));
    // run parameters: derived from the one table
    for (Param<?> p : Params.ALL) {
      fields.add(field(p.key(), sqlType(p.kind()), false));
    }
    fields.addAll(
        List.of(
            // model
            field("weights_id", StringType, false),
            field("normalization", StringType, false),
            field("pooling", StringType, false),
            // outcome
            field("status", StringType, false),
            field("error", StringType, true),
            field("stop_reason", StringType, true),
            field("evaluations", IntegerType, false),
            field("final_loss", DoubleType, true),
            field("final_content_loss", DoubleType, true),
            field("final_style_loss", DoubleType, true),
            field("loss_history", createArrayType(FloatType, false), false),
            field("content_loss_history", createArrayType(FloatType, false), false),
            field("style_loss_history", createArrayType(FloatType, false), false),
            field("seconds_setup", DoubleType, false),
            field("seconds_total", DoubleType, false),
            field("ms_per_evaluation", DoubleType, false),
            field("device", StringType, true),
            field("executor_id", StringType, true),
            field("host", StringType, true),
            field("started_at", TimestampType, true),
            field("image_path", StringType, true),
            field("width", IntegerType, true),
            field("height", IntegerType, true),
            // multi-scale stages, in order (null for a single-scale run)
            field("stage_evaluations", createArrayType(IntegerType, false), true),
            field("stage_losses", createArrayType(DoubleType, true), true),
            field("stage_seconds", createArrayType(DoubleType, false), true),
            field("stage_images", createArrayType(StringType, false), true),
            // memory: measured peak and the plan's estimate (see MemoryPlan)
            field("peak_memory_bytes", LongType, true),
            field("memory_estimate_bytes", LongType, true)));
    // quality measures of the result, the same for every run (null where they do not apply)
    for (String column : QualityMetrics.COLUMNS) {
      fields.add(field(column, DoubleType, true));
    }
    // successive halving: the round, the run it was screened as, its rank and objective
    fields.addAll(
        List.of(
            field(HalvingColumns.ROUND, IntegerType, true),
            field(HalvingColumns.SCREENING_RUN_ID, StringType, true),
            field(HalvingColumns.RANK, IntegerType, true),
            field(HalvingColumns.OBJECTIVE, DoubleType, true),
            field(HalvingColumns.PROMOTED, BooleanType, true)));
    return new StructType(fields.toArray(StructField[]::new));
  }

  /** The Spark SQL type of a run parameter's value. */
  public static DataType sqlType(ValueKind kind) {
    return switch (kind) {
      case INT -> IntegerType;
      case LONG -> LongType;
      case DOUBLE -> DoubleType;
      case CHOICE -> StringType;
      case STRING_LIST -> createArrayType(StringType, false);
      case DOUBLE_LIST -> createArrayType(DoubleType, false);
    };
  }

  /**
   * The parameter's default as a column of its SQL type: fills the column of a parameter that did
   * not exist yet when a record or an older metrics table was written.
   */
  public static Column defaultValue(Param<?> p) {
    Object spelled = Params.spelling(p.defaultValue());
    Column value =
        spelled instanceof List<?> list
            ? functions.array(list.stream().map(functions::lit).toArray(Column[]::new))
            : functions.lit(spelled);
    return value.cast(sqlType(p.kind()));
  }

  private static StructField field(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, Metadata.empty());
  }
}
