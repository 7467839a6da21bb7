package org.stylesweep.spark;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

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
  public static final StructType METRICS =
      new StructType(
          new StructField[] {
            field("run_id", StringType, false),
            field("sweep", StringType, false),
            field("task", StringType, false),
            field("content", StringType, true),
            field("style", StringType, true),
            // run parameters
            field("image_size", IntegerType, false),
            field("style_scale", DoubleType, false),
            field("steps", IntegerType, false),
            field("optimizer", StringType, false),
            field("line_search", StringType, false),
            field("lr", DoubleType, false),
            field("content_layers", createArrayType(StringType, false), false),
            field("style_layers", createArrayType(StringType, false), false),
            field("style_layer_weights", createArrayType(DoubleType, false), false),
            field("content_weight", DoubleType, false),
            field("style_weight", DoubleType, false),
            field("tv_weight", DoubleType, false),
            field("gram_norm", StringType, false),
            field("content_loss", StringType, false),
            field("init", StringType, false),
            field("clamp", StringType, false),
            field("seed", LongType, false),
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
            field("height", IntegerType, true)
          });

  private static StructField field(String name, DataType type, boolean nullable) {
    return new StructField(name, type, nullable, Metadata.empty());
  }
}
