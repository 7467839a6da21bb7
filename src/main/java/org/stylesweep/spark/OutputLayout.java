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
 * history.jsonl          one line per run into the folder (see {@link RunHistory})
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

  /** The run history, one JSON line per {@code run}. */
  public static final String HISTORY = "history.jsonl";

  /** Folder of the grid PNGs the report builder draws. */
  public static final String GRIDS = "grids";

  /** Folder of the self-contained HTML report. */
  public static final String REPORT = "report";

  /** The record of one run. */
  public static Path record(String out, String runId) {
    return new Path(new Path(out, RECORDS), runId + ".json");
  }

  /**
   * The result image of one run, relative to the output folder (as a record's {@code image_path}).
   */
  public static String image(String runId) {
    return IMAGES + "/" + runId + ".png";
  }

  /**
   * The result of stage {@code stage} (1-based) of a multi-scale run, relative to the output
   * folder; the last stage's is {@link #image}.
   */
  public static String stageImage(String runId, int stage) {
    return IMAGES + "/" + runId + ".stage" + stage + ".png";
  }

  /** The effective manifest of the output folder {@code out}. */
  public static Path manifest(Path out) {
    return new Path(out, MANIFEST);
  }

  /** The metrics table folder of the output folder {@code out}. */
  public static Path metrics(Path out) {
    return new Path(out, METRICS);
  }

  /** The grids folder of the output folder {@code out}. */
  public static Path grids(Path out) {
    return new Path(out, GRIDS);
  }

  /** The report folder of the output folder {@code out}. */
  public static Path report(Path out) {
    return new Path(out, REPORT);
  }
}
