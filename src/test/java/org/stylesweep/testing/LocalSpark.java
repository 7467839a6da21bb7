package org.stylesweep.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Small local Spark sessions for tests: the UI off, two shuffle partitions and the driver on
 * loopback, so that a test class starts quickly and binds no public port.
 *
 * <p>Each test class starts its own session in {@code @BeforeAll} and stops it in
 * {@code @AfterAll}: a later class in the same surefire JVM that needs other settings (an S3
 * endpoint, a test file system, task retries) then gets a new session instead of this one back from
 * {@code getOrCreate}.
 *
 * <pre>{@code
 * spark = LocalSpark.start("local[2]", "S3SweepTest", S3.sparkSettings());
 * ...
 * LocalSpark.stop(spark);
 * }</pre>
 */
public final class LocalSpark {
  private LocalSpark() {}

  /** A session on {@code local[2]}. */
  public static SparkSession start(String appName) {
    return start("local[2]", appName, Map.of());
  }

  /**
   * A session on {@code master}, for example {@code local[1]} or {@code local[2,3]} (with task
   * retries).
   */
  public static SparkSession start(String master, String appName) {
    return start(master, appName, Map.of());
  }

  /**
   * A session on {@code master} with extra Spark settings, applied after the defaults (so they can
   * override them).
   *
   * @param settings Spark settings, for example {@link S3ProxyExtension#sparkSettings()} or {@link
   *     #hadoopSettings(Map)} of a test file system's settings
   */
  public static SparkSession start(String master, String appName, Map<String, String> settings) {
    SparkSession.Builder builder =
        SparkSession.builder()
            .master(master)
            .appName(appName)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1");
    settings.forEach(builder::config);
    return builder.getOrCreate();
  }

  /**
   * Hadoop settings as Spark settings: each key with the {@code spark.hadoop.} prefix, which Spark
   * copies into the Hadoop configuration of the driver and the executors.
   */
  public static Map<String, String> hadoopSettings(Map<String, String> hadoop) {
    Map<String, String> spark = new LinkedHashMap<>();
    hadoop.forEach((key, value) -> spark.put("spark.hadoop." + key, value));
    return spark;
  }

  /**
   * Stops the session; does nothing for null (a {@code @BeforeAll} that failed before starting
   * one).
   */
  public static void stop(SparkSession spark) {
    if (spark != null) {
      spark.stop();
    }
  }
}
