package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stylesweep.testing.LocalSpark;

/**
 * Every folder {@code src/test/resources/bad-inputs/<case>/} is one bad input: a {@code
 * manifest.yaml} (plus the small files it needs) and an {@code expect.properties} with
 *
 * <ul>
 *   <li>{@code command}: validate, run, show or report;
 *   <li>{@code exit}: the exit code expected;
 *   <li>{@code contains}: words, separated by {@code |}, that stdout or stderr must contain;
 *   <li>{@code args} (optional): the arguments after the command, split at spaces. Without it:
 *       {@code validate|run <case>/manifest.yaml} (run adds {@code --out <tmp>/out}) and {@code
 *       show|report <case>} (the case folder is the output folder).
 * </ul>
 *
 * <p>The case is copied to {@code <tmp>/src/test/resources/bad-inputs/<case>} next to a link {@code
 * <tmp>/samples} to the repository's samples, so relative paths written as from the repository
 * (e.g. {@code ../../../../../samples/content/cat.png}) work. In manifest.yaml, expect.properties
 * and any .json or .yaml file, {@code ${samples}} becomes the samples folder, {@code ${case}} the
 * copied case folder and {@code ${tmp}} the temporary folder.
 *
 * <p>Each case runs in this JVM through {@link StyleSweep#execute}; the test asserts the exit code,
 * the words, and that no Java stack trace ({@code \tat ...} or {@code Exception in thread}) reaches
 * stdout or stderr. validate cases run without Spark; the others share one local session (slow).
 */
class BadInputsTest {
  static final Path CASES = Path.of("src/test/resources/bad-inputs").toAbsolutePath();
  static final Path SAMPLES = Path.of("samples").toAbsolutePath();

  static SparkSession spark;

  @TempDir Path tmp;

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      LocalSpark.stop(spark);
      spark = null;
    }
  }

  static Stream<String> cases(boolean needsSpark) throws IOException {
    if (!Files.isDirectory(CASES)) {
      return Stream.empty();
    }
    List<String> names = new ArrayList<>();
    try (Stream<Path> folders = Files.list(CASES)) {
      for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
        String command = expectations(folder).getProperty("command", "").trim();
        if (command.equals("validate") != needsSpark) {
          names.add(folder.getFileName().toString());
        }
      }
    }
    return names.stream();
  }

  static Stream<String> withoutSpark() throws IOException {
    return cases(false);
  }

  static Stream<String> withSpark() throws IOException {
    return cases(true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withoutSpark")
  void validateCase(String name) throws IOException {
    check(name, null);
  }

  @Tag("slow")
  @ParameterizedTest(name = "{0}")
  @MethodSource("withSpark")
  void sparkCase(String name) throws IOException {
    if (spark == null) {
      spark = LocalSpark.start("BadInputsTest");
    }
    check(name, spark);
  }

  void check(String name, SparkSession session) throws IOException {
    Path folder = tmp.resolve("src/test/resources/bad-inputs").resolve(name);
    copy(CASES.resolve(name), folder);
    Files.createSymbolicLink(tmp.resolve("samples"), SAMPLES);
    Properties expect = expectations(folder);
    String command = expect.getProperty("command").trim();
    int exit = Integer.parseInt(expect.getProperty("exit").trim());
    List<String> words =
        Arrays.stream(expect.getProperty("contains", "").split("\\|"))
            .map(String::trim)
            .filter(w -> !w.isEmpty())
            .toList();

    List<String> args = new ArrayList<>(List.of(command));
    String given = expect.getProperty("args");
    if (given != null) {
      args.addAll(Arrays.asList(given.trim().split("\\s+")));
    } else if (command.equals("validate") || command.equals("run")) {
      args.add(folder.resolve("manifest.yaml").toString());
      if (command.equals("run")) {
        args.addAll(List.of("--out", tmp.resolve("out").toString()));
      }
    } else {
      args.add(folder.toString());
    }

    CliResult result = CliResult.execute(session, args.toArray(String[]::new));
    String both = result.out() + "\n" + result.err();
    String shown = "args " + args + "\n--- stdout\n" + result.out() + "--- stderr\n" + result.err();
    assertThat(result.code()).as(shown).isEqualTo(exit);
    for (String word : words) {
      assertThat(both).as(shown).contains(word);
    }
    assertThat(both.lines())
        .as(shown)
        .noneMatch(line -> line.startsWith("\tat ") || line.startsWith("Exception in thread"));
  }

  static Properties expectations(Path folder) {
    Properties p = new Properties();
    try (Reader in =
        Files.newBufferedReader(folder.resolve("expect.properties"), StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + folder.resolve("expect.properties"), e);
    }
    return p;
  }

  /** Copies the case, filling in the placeholders of its text files. */
  void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path source : all.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
          continue;
        }
        String file = source.getFileName().toString();
        if (file.endsWith(".yaml") || file.endsWith(".json") || file.endsWith(".properties")) {
          String text =
              Files.readString(source, StandardCharsets.UTF_8)
                  .replace("${samples}", SAMPLES.toString())
                  .replace("${case}", to.toString())
                  .replace("${tmp}", tmp.toString());
          Files.writeString(target, text, StandardCharsets.UTF_8);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
