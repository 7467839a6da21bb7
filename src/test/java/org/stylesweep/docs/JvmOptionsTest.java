package org.stylesweep.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * conf/jvm-options is the one list of Spark's Java 17 flags: surefire's argLine (through the pom's
 * antrun step) and the launcher read it, and nothing parses the pom for them any more.
 */
class JvmOptionsTest {
  static final Path JVM_OPTIONS = Path.of("conf/jvm-options");

  /** The flags of conf/jvm-options: one per line, comment (#) and blank lines skipped. */
  static List<String> flags() throws Exception {
    return Files.readAllLines(JVM_OPTIONS).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  @Test
  void theTestJvmStartedWithEveryFlagOfTheFile() throws Exception {
    List<String> flags = flags();
    assertThat(flags).isNotEmpty().allMatch(flag -> flag.startsWith("-"), "starts with -");
    assertThat(ManagementFactory.getRuntimeMXBean().getInputArguments()).containsAll(flags);
    // And they took effect: java.base opens java.lang to the unnamed module the tests run in.
    assertThat(Object.class.getModule().isOpen("java.lang", JvmOptionsTest.class.getModule()))
        .isTrue();
    assertThat(Object.class.getModule().isOpen("sun.nio.ch", JvmOptionsTest.class.getModule()))
        .isTrue();
  }

  @Test
  void theLauncherAndTheClusterJarCheckReadTheFileNotThePom() throws Exception {
    for (String script : List.of("spark-submit.sh", "tools/check-cluster-jar.sh")) {
      String text = Files.readString(Path.of(script));
      assertThat(text).as(script).contains("jvm-options").doesNotContain("<spark.java17.opens>");
    }
    String pom = Files.readString(Path.of("pom.xml"));
    assertThat(pom).contains("conf/jvm-options").doesNotContain("--add-opens");
  }
}
