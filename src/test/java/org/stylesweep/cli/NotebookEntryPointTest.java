package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.TinyManifest;

/**
 * The Databricks notebook's entry point, {@code StyleSweep.run(spark, args...)}, runs a sweep on a
 * session the caller owns and leaves it running, and the notebook calls exactly that entry point.
 */
@Tag("slow")
class NotebookEntryPointTest {
  static final Path NOTEBOOK = Path.of("notebooks/stylesweep_sweep.py");

  static SparkSession notebookSession;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    notebookSession = LocalSpark.start("NotebookEntryPointTest");
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(notebookSession);
  }

  @Test
  void runOnTheNotebooksSessionLeavesItRunningAndTheMetricsQueryable() throws Exception {
    Path manifest =
        TinyManifest.named("notebook-tiny")
            .contents(sample("content/cat.png"))
            .styles(sample("style/swirl.png"))
            .steps(3)
            .writeTo(dir.resolve("tiny.yaml"));
    Path out = dir.resolve("out");

    int code = StyleSweep.run(notebookSession, "run", manifest.toString(), "--out", out.toString());

    assertThat(code).isEqualTo(ExitCodes.OK);
    assertThat(notebookSession.sparkContext().isStopped()).isFalse();
    // The notebook's SQL cell, on the same session.
    notebookSession
        .read()
        .parquet(out.resolve("metrics").toString())
        .createOrReplaceTempView("stylesweep_metrics");
    List<Row> rows =
        notebookSession
            .sql("SELECT status, count(*) AS runs FROM stylesweep_metrics GROUP BY status")
            .collectAsList();
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getString(0)).isEqualTo("OK");
    assertThat(rows.get(0).getLong(1)).isEqualTo(1L);
    assertThat(out.resolve("report/index.html")).isRegularFile();
  }

  @Test
  void notebookIsInDatabricksSourceFormatAndCallsTheEntryPoint() throws Exception {
    String text = Files.readString(NOTEBOOK);
    assertThat(text).startsWith("# Databricks notebook source\n");
    assertThat(text).contains("# COMMAND ----------");
    assertThat(text).contains("org.stylesweep.cli.StyleSweep.run(spark._jsparkSession");
    assertThat(text).contains("displayHTML(").contains("%sql");
    // The method the notebook calls exists with the signature py4j resolves (SparkSession,
    // String[]).
    assertThat(StyleSweep.class.getMethod("run", SparkSession.class, String[].class)).isNotNull();
  }
}
