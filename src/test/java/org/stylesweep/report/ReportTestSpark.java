package org.stylesweep.report;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A small local Spark session for one report test class. Each class stops its session when done,
 * so that a later class (in the same surefire JVM) that needs its own settings gets a new one
 * instead of this one back from {@code getOrCreate}.
 */
final class ReportTestSpark {
  private ReportTestSpark() {}

  static SparkSession start() {
    return start(Map.of());
  }

  /** A session with extra settings (for example {@code spark.hadoop.fs.s3a.*}). */
  static SparkSession start(Map<String, String> settings) {
    SparkSession.Builder builder = SparkSession.builder()
        .master("local[2]")
        .appName("stylesweep-report-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.host", "127.0.0.1");
    settings.forEach(builder::config);
    return builder.getOrCreate();
  }

  static void stop(SparkSession spark) {
    if (spark != null) {
      spark.stop();
    }
  }
}
