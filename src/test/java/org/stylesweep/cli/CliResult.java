package org.stylesweep.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.SparkSession;

/**
 * A command run in the test's JVM through {@link StyleSweep#execute}: its exit code and what it
 * printed to standard output and standard error.
 */
record CliResult(int code, String out, String err) {

  /**
   * Runs one command line on {@code spark} (null for commands that need no session, such as {@code
   * fetch-weights}).
   */
  static CliResult execute(SparkSession spark, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        StyleSweep.execute(
            spark,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new CliResult(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
