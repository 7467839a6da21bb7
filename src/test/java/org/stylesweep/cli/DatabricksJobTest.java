package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.output.NullOutputStream;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The scheduled Databricks job (Jobs API 2.1) points at a real main class with parameters it
 * accepts.
 */
class DatabricksJobTest {
  static final Path JOB = Path.of("jobs/databricks/nightly-sweep.json");

  @Test
  void jarTaskNamesTheRealMainClassAndItsParametersParse() throws Exception {
    JsonNode job = new ObjectMapper().readTree(JOB.toFile());
    JsonNode task = job.path("tasks").get(0);
    JsonNode jarTask = task.path("spark_jar_task");

    Class<?> main = Class.forName(jarTask.path("main_class_name").asText());
    Method entry = main.getMethod("main", String[].class);
    assertThat(Modifier.isStatic(entry.getModifiers())).isTrue();

    List<String> parameters = new ArrayList<>();
    jarTask.path("parameters").forEach(p -> parameters.add(p.asText()));
    PrintStream quiet = new PrintStream(NullOutputStream.INSTANCE);
    ParseResult parsed =
        StyleSweep.commandLine(null, quiet, quiet).parseArgs(parameters.toArray(String[]::new));

    ParseResult run = parsed.subcommand();
    assertThat(run).isNotNull();
    assertThat(run.commandSpec().name()).isEqualTo("run");
    RunCommand command = (RunCommand) run.commandSpec().userObject();
    assertThat(command.manifest).startsWith("s3a://").endsWith(".yaml");
    assertThat(command.out).startsWith("s3a://");

    // The job runs the bundled manifest whose inputs are folders (a schedule over a growing
    // bucket), and that manifest parses here with its folders expanded.
    Path bundled =
        Path.of("jobs", command.manifest.substring(command.manifest.lastIndexOf('/') + 1));
    assertThat(bundled).isRegularFile();
    org.stylesweep.manifest.Manifest manifest =
        new org.stylesweep.manifest.ManifestParser(
                new org.apache.hadoop.conf.Configuration(), StyleSweep.VGG19_LAYERS)
            .parse(bundled.toString(), List.of());
    assertThat(manifest.patterns().get("contents")).singleElement().asString().endsWith("/");
    assertThat(manifest.patterns().get("styles")).singleElement().asString().endsWith("/");
    assertThat(manifest.contents()).hasSizeGreaterThan(1);
  }

  @Test
  void scheduleRetriesAndTimeoutAreSetOnAGpuJobCluster() throws Exception {
    JsonNode job = new ObjectMapper().readTree(JOB.toFile());
    JsonNode task = job.path("tasks").get(0);

    String cron = job.path("schedule").path("quartz_cron_expression").asText();
    assertThat(CronExpression.isValidExpression(cron)).as(cron).isTrue();
    assertThat(task.path("max_retries").asInt()).isPositive();
    assertThat(task.path("timeout_seconds").asInt()).isPositive();
    assertThat(job.path("timeout_seconds").asInt()).isPositive();

    JsonNode cluster = job.path("job_clusters").get(0).path("new_cluster");
    assertThat(task.path("job_cluster_key").asText())
        .isEqualTo(job.path("job_clusters").get(0).path("job_cluster_key").asText());
    assertThat(cluster.path("spark_version").asText()).contains("gpu-ml").contains("scala2.13");
    assertThat(cluster.path("data_security_mode").asText()).isEqualTo("SINGLE_USER");
    assertThat(cluster.path("spark_conf").path("spark.task.resource.gpu.amount").asText())
        .isNotEmpty();
    // docs/s3-and-databricks.md shows the same schedule as a plain cron line (Quartz "0 0 2 * * ?"
    // = cron "0 2 * * *").
    assertThat(Files.readString(Path.of("docs/s3-and-databricks.md")))
        .contains("0 2 * * * ")
        .contains("spark-submit.sh run");
  }

  @Test
  void commandLineRejectsUnknownOptionsSoTheParseCheckCanFail() {
    PrintStream quiet = new PrintStream(NullOutputStream.INSTANCE);
    CommandLine cli = StyleSweep.commandLine(null, quiet, quiet);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> cli.parseArgs("run", "x.yaml", "--outt", "y"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--outt");
  }
}
