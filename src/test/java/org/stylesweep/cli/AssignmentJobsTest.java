package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stylesweep.testing.LocalSpark;

/**
 * Every bundled job in {@code jobs/} passes {@code validate}, and its header comment says what it
 * shows. CI runs this with the rest of the suite, so a job that drifts from the manifest format
 * fails the build.
 */
@Tag("slow")
class AssignmentJobsTest {
  static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("local[1]", "AssignmentJobsTest");
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  static List<Path> jobs() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml)
          .extracting(p -> p.getFileName().toString())
          .contains(
              "quickstart.yaml",
              "part1-content-reconstruction.yaml",
              "part2-texture-synthesis.yaml",
              "part3-style-transfer.yaml",
              "part3-init-comparison.yaml");
      return yaml;
    }
  }

  @org.junit.jupiter.api.Test
  void highResolutionJobShrinksForACpuWithTheSetItsHeaderGives() throws IOException {
    Path job = Path.of("jobs/high-resolution.yaml");
    // the --set arguments of the header's CPU command, as a shell would pass them
    java.util.regex.Matcher sets =
        java.util.regex.Pattern.compile("--set '?([^' \\\\\\n]+)'?").matcher(Files.readString(job));
    List<String> args = new java.util.ArrayList<>(List.of("validate", job.toString()));
    while (sets.find()) {
      args.add("--set");
      args.add(sets.group(1));
    }
    assertThat(args).hasSize(6);

    CliResult validate = CliResult.execute(spark, args.toArray(String[]::new));

    assertThat(validate.code()).as(validate.err()).isZero();
    assertThat(validate.out())
        .contains("image_size 256", "stages [64:300, 128:150, 256:80:lbfgs_history=30]")
        .containsPattern("memory +largest run needs about \\d+ MiB");
  }

  @ParameterizedTest
  @MethodSource("jobs")
  void bundledJobValidatesAndExplainsItself(Path job) throws IOException {
    CliResult validate = CliResult.execute(spark, "validate", job.toString());

    assertThat(validate.code()).as("validate %s%n%s", job, validate.err()).isZero();
    assertThat(validate.out()).contains("runs");
    assertThat(Files.readAllLines(job).get(0)).as("header comment of %s", job).startsWith("# ");
  }
}
