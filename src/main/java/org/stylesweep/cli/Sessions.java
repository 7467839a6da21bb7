package org.stylesweep.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Where a command gets its SparkSession: one given by a notebook (used, never stopped), or one
 * built on first use and stopped at the end. {@code validate} never asks, so it starts no Spark at
 * all.
 */
abstract class Sessions implements AutoCloseable {

  /** The session, starting it when this is the first call. */
  abstract SparkSession get();

  /** The Hadoop configuration for reading manifests and inputs before Spark starts. */
  abstract Configuration hadoop();

  /** Stops the session when this object started it. */
  @Override
  public abstract void close();

  /** A notebook's session: used as is, never stopped. */
  static Sessions given(SparkSession spark) {
    return new Sessions() {
      @Override
      SparkSession get() {
        return spark;
      }

      @Override
      Configuration hadoop() {
        return spark.sparkContext().hadoopConfiguration();
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A session of our own, configured from {@code spark.*} system properties (set by spark-submit),
   * then the properties file, then {@code --conf} pairs; master {@code local[*]} unless one is set.
   */
  static Sessions own(String propertiesFile, List<String> confPairs) {
    SparkConf conf = new SparkConf();
    if (propertiesFile != null) {
      Properties properties = new Properties();
      try (InputStream in = new FileInputStream(propertiesFile)) {
        properties.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read --properties-file " + propertiesFile + ": " + e.getMessage());
      }
      for (String key : properties.stringPropertyNames()) {
        if (key.startsWith("spark.")) {
          conf.set(key, properties.getProperty(key).trim());
        }
      }
    }
    for (String pair : confPairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--conf " + pair + ": expected key=value, e.g. spark.task.cpus=2");
      }
      conf.set(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    conf.setIfMissing("spark.master", "local[*]");
    conf.setIfMissing("spark.app.name", "stylesweep");
    return new Sessions() {
      private SparkSession spark;

      @Override
      synchronized SparkSession get() {
        if (spark == null) {
          spark = SparkSession.builder().config(conf).getOrCreate();
        }
        return spark;
      }

      @Override
      Configuration hadoop() {
        if (spark != null) {
          return spark.sparkContext().hadoopConfiguration();
        }
        Configuration hadoop = new Configuration();
        for (Tuple2<String, String> entry : conf.getAll()) {
          if (entry._1().startsWith("spark.hadoop.")) {
            hadoop.set(entry._1().substring("spark.hadoop.".length()), entry._2());
          }
        }
        return hadoop;
      }

      @Override
      public synchronized void close() {
        if (spark != null) {
          spark.stop();
          spark = null;
        }
      }
    };
  }
}
