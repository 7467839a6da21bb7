package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.TinyManifest;

/** {@code spark-submit.sh}, run as a user runs it: with and without {@code SPARK_HOME}. */
class LauncherTest {
  static final Path PROJECT = Path.of("").toAbsolutePath();

  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  static Result launch(Path script, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(script.getParent().toFile());
    builder.environment().remove("SPARK_HOME");
    builder.environment().putAll(env);
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("launcher finished").isTrue();
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** One content and one style: what a test adds makes it a sweep or a bad manifest. */
  static TinyManifest launched() {
    return TinyManifest.named("launched")
        .contents(sample("content/cat.png"))
        .styles(sample("style/mosaic.png"));
  }

  @Test
  void withoutSparkHomeTheMainClassRunsInALocalJvmWithTheExitCodePassedThrough() throws Exception {
    Map<String, String> env = Map.of("STYLESWEEP_CLASSPATH", System.getProperty("java.class.path"));
    Path script = PROJECT.resolve("spark-submit.sh");

    Result ok =
        launch(
            script,
            env,
            "--conf",
            "spark.hadoop.fs.s3a.path.style.access=true",
            "validate",
            launched().extra("sweep: {seed: [0, 1, 2]}").writeInto(dir).toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("runs      3 = 1 contents x 1 styles x 3 seed");

    Result bad =
        launch(
            script,
            env,
            "validate",
            launched().withDefault("stpes", "3").writeInto(dir).toString());
    assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(bad.err()).contains("defaults.stpes: unknown key 'stpes'; did you mean 'steps'?");
  }

  @Test
  void withoutSparkHomeTheJvmGetsSparksModuleFlagsAndTheDriverMemory() throws Exception {
    Result dry =
        launch(
            PROJECT.resolve("spark-submit.sh"),
            Map.of("STYLESWEEP_CLASSPATH", "/cp", "STYLESWEEP_DRY_RUN", "1"),
            "--conf",
            "spark.driver.memory=3g",
            "--master",
            "local[2]",
            "show",
            "out/x");

    assertThat(dry.code()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED")
        .contains("-Xmx3g")
        .contains("-Dai.djl.offline=true")
        .contains(
            "-cp /cp org.stylesweep.cli.StyleSweep --properties-file "
                + PROJECT.resolve("conf/spark-defaults.conf"))
        .contains("--conf spark.driver.memory=3g --conf spark.master=local\\[2\\] show out/x");
  }

  @Test
  void withSparkHomeItDelegatesToSparkSubmitWithTheJarsSparkLacks() throws Exception {
    // A copy of the project with a finished build, and a Spark install whose spark-submit records
    // its arguments.
    Path project = dir.resolve("project");
    Files.createDirectories(project.resolve("conf"));
    Files.copy(PROJECT.resolve("spark-submit.sh"), project.resolve("spark-submit.sh"));
    Files.copy(
        PROJECT.resolve("conf/spark-defaults.conf"), project.resolve("conf/spark-defaults.conf"));
    Files.createDirectories(project.resolve("src/main"));
    Files.writeString(project.resolve("pom.xml"), "<project/>");
    Path classes = project.resolve("target/classes/org/stylesweep/cli");
    Files.createDirectories(classes);
    Files.writeString(classes.resolve("StyleSweep.class"), "");
    Files.writeString(project.resolve("target/stylesweep-0.1.0-SNAPSHOT.jar"), "");
    Files.writeString(
        project.resolve("target/classpath.txt"),
        "/m2/api-0.36.0.jar:/m2/spark-core_2.13-4.0.1.jar:/m2/jackson-core-2.18.2.jar:/m2/picocli-4.7.7.jar");
    for (Path p : List.of(project.resolve("src/main"), project.resolve("pom.xml"))) {
      Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(3600)));
    }
    Path sparkHome = dir.resolve("spark");
    Files.createDirectories(sparkHome.resolve("bin"));
    Files.createDirectories(sparkHome.resolve("jars"));
    Files.writeString(sparkHome.resolve("jars/jackson-core-2.18.2.jar"), "");
    Path submit = sparkHome.resolve("bin/spark-submit");
    Files.writeString(submit, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$SPARK_HOME/args.txt\"\n");
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));

    Result result =
        launch(
            project.resolve("spark-submit.sh"),
            Map.of("SPARK_HOME", sparkHome.toString()),
            "--master",
            "yarn",
            "--conf",
            "spark.executor.memory=8g",
            "run",
            "jobs/x.yaml",
            "--out",
            "s3a://b/out");

    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.err()).doesNotContain("building");
    List<String> args = Files.readAllLines(sparkHome.resolve("args.txt"), StandardCharsets.UTF_8);
    assertThat(args)
        .containsExactly(
            "--properties-file",
            project.resolve("conf/spark-defaults.conf").toString(),
            "--driver-java-options",
            "-Dai.djl.offline=true -Dlog4j2.configurationFile=file:"
                + project.resolve("conf/log4j2.properties"),
            "--master",
            "yarn",
            "--conf",
            "spark.executor.memory=8g",
            "--jars",
            "/m2/api-0.36.0.jar,/m2/picocli-4.7.7.jar",
            "--class",
            "org.stylesweep.cli.StyleSweep",
            project.resolve("target/stylesweep-0.1.0-SNAPSHOT.jar").toString(),
            "run",
            "jobs/x.yaml",
            "--out",
            "s3a://b/out");
  }

  @Test
  void anOptionThatIsNotASparkSettingIsRefused() throws Exception {
    Result result =
        launch(
            PROJECT.resolve("spark-submit.sh"),
            Map.of("STYLESWEEP_DRY_RUN", "1"),
            "--executor-memory",
            "2g",
            "run");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            "unknown option '--executor-memory' before the command; Spark settings go as --conf KEY=VALUE");
  }
}
