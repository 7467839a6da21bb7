package org.stylesweep.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.spark.OutputLayout;

/**
 * The chain of a multi-scale run for its detail view: each stage's result image (copied into the
 * report) with its stage, evaluations, final loss and seconds, from the {@code stage_*} columns.
 * Single-scale runs have none.
 */
final class StageChains {
  private static final Logger LOG = LoggerFactory.getLogger(StageChains.class);

  private StageChains() {}

  /** Writes a file of the report. */
  @FunctionalInterface
  interface Writer {
    void write(Path path, byte[] bytes) throws IOException;
  }

  /**
   * The chain of each multi-scale run by run id, its images copied under {@code reportDir/images/}.
   */
  static Map<String, List<ReportPage.StageStep>> of(
      List<Row> rows, Path out, Path reportDir, Configuration conf, Writer writer) {
    Map<String, List<ReportPage.StageStep>> chains = new HashMap<>();
    for (Row row : rows) {
      List<Object> evaluations = list(row, "stage_evaluations");
      if (evaluations == null || evaluations.isEmpty()) {
        continue;
      }
      String runId = row.getAs("run_id");
      List<Object> spellings = list(row, "stages");
      List<Object> losses = list(row, "stage_losses");
      List<Object> seconds = list(row, "stage_seconds");
      List<Object> images = list(row, "stage_images");
      List<ReportPage.StageStep> steps = new ArrayList<>();
      for (int k = 0; k < evaluations.size(); k++) {
        String url = null;
        if (images != null && k < images.size() && images.get(k) != null) {
          url = copy(runId, k + 1, images.get(k).toString(), out, reportDir, conf, writer);
        }
        steps.add(
            new ReportPage.StageStep(
                "stage " + (k + 1) + ": " + at(spellings, k),
                url,
                String.format(
                    Locale.ROOT,
                    "%s evaluations · loss %s · %s s",
                    at(evaluations, k),
                    number(at(losses, k), "%.4g"),
                    number(at(seconds, k), "%.1f"))));
      }
      chains.put(runId, List.copyOf(steps));
    }
    return chains;
  }

  private static String copy(
      String runId,
      int stage,
      String imagePath,
      Path out,
      Path reportDir,
      Configuration conf,
      Writer writer) {
    Path source = new Path(imagePath);
    if (!source.isAbsolute() && source.toUri().getScheme() == null) {
      source = new Path(out, imagePath);
    }
    String url =
        OutputLayout.IMAGES + "/" + ReportBuilder.safeName(runId) + ".stage" + stage + ".png";
    try {
      writer.write(new Path(reportDir, url), HadoopFiles.readAll(source, conf));
      return url;
    } catch (IOException e) {
      LOG.warn(
          "stage {} image of run {} is unreadable ({}); the report shows it as missing",
          stage,
          runId,
          e.toString());
      return null;
    }
  }

  private static List<Object> list(Row row, String column) {
    int index;
    try {
      index = row.fieldIndex(column);
    } catch (IllegalArgumentException e) {
      return null; // a table from before the column existed
    }
    return row.isNullAt(index) ? null : new ArrayList<>(row.getList(index));
  }

  private static Object at(List<Object> values, int k) {
    return values == null || k >= values.size() ? null : values.get(k);
  }

  private static String number(Object value, String format) {
    return value instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "–";
  }
}
