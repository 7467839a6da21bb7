package org.stylesweep.cli;

import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;
import org.stylesweep.common.Errors;
import org.stylesweep.report.ReportBuilder;

/** Writes grids and the HTML report of an output folder. */
final class Reports {
  private Reports() {}

  /**
   * Builds the grids and the report.
   *
   * @param quiet when true a failure is printed and swallowed (the end of {@code run}: the sweep's
   *     results are already safe); when false it propagates (the {@code report} command)
   * @return true when the report was written
   */
  static boolean write(
      SparkSession spark, String out, PrintStream stdout, PrintStream stderr, boolean quiet) {
    try {
      ReportBuilder.Result result = ReportBuilder.build(spark, out);
      stdout.printf("report: %s (%d grids)%n", result.index(), result.grids().size());
      return true;
    } catch (RuntimeException e) {
      if (!quiet) {
        throw e;
      }
      stderr.println(
          "report: could not be written ("
              + Errors.explain(e)
              + "); the results are safe in "
              + out
              + ". Fix the cause and run `report "
              + out
              + "`.");
      return false;
    }
  }
}
