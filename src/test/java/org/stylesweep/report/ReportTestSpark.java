package org.stylesweep.report;

import org.apache.spark.sql.SparkSession;

/** One small local Spark session shared by the report tests of a JVM. */
final class ReportTestSpark {
  private ReportTestSpark() {}

  static synchronized SparkSession session() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("stylesweep-report-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }
}
