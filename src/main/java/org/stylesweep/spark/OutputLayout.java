package org.stylesweep.spark;

import org.apache.hadoop.fs.Path;

/**
 * The output folder of a sweep ({@code --out}, default {@code out/<name>}):
 *
 * <pre>
 * manifest.yaml          the effective manifest (overrides applied, inputs absolute)
 * images/&lt;run_id&gt;.png    each OK run's result
 * records/&lt;run_id&gt;.json  each run's durable record (the source of truth, OK or FAILED)
 * metrics/               Parquet table rebuilt from the records (schema {@link Schemas#METRICS})
 * grids/, report/        written by the report builder
 * </pre>
 */
public final class OutputLayout {
  private OutputLayout() {}

  /** Folder of result images, relative to the output folder. */
  public static final String IMAGES = "images";

  /** Folder of per-run records. */
  public static final String RECORDS = "records";

  /** Folder of the metrics Parquet table. */
  public static final String METRICS = "metrics";

  /** The effective manifest. */
  public static final String MANIFEST = "manifest.yaml";

  /** The record of one run. */
  public static Path record(String out, String runId) {
    return new Path(new Path(out, RECORDS), runId + ".json");
  }
}
