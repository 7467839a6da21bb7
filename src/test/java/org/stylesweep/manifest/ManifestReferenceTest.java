package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stylesweep.common.Choice;
import org.stylesweep.spark.Schemas;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;

/**
 * The manifest reference (docs/manifest.md) covers every key the parser accepts and every metrics
 * column.
 */
class ManifestReferenceTest {

  static String section(String heading) throws Exception {
    String readme = Files.readString(Path.of("docs/manifest.md"));
    int start = readme.indexOf("\n## " + heading + "\n");
    assertThat(start).as("docs/manifest.md has a section '%s'", heading).isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    return readme.substring(start, end < 0 ? readme.length() : end);
  }

  @Test
  void readmeDocumentsEveryManifestKeyWithItsDefault() throws Exception {
    String reference = section("Manifest reference");
    for (String key : ManifestParser.TOP_KEYS) {
      assertThat(reference).contains("| `" + key + "` |");
    }
    for (String key : ManifestParser.MODEL_KEYS) {
      assertThat(reference).contains("| `model." + key + "` |");
    }
  }

  /**
   * The run-parameter table of docs/manifest.md is the code's table ({@link Params#ALL}) row for
   * row: key, type, default and help line. On a difference the message holds the rows to paste.
   */
  @Test
  void parameterTableIsTheCodesTable() throws Exception {
    String reference = section("Manifest reference");
    String header = "| key | type | default | meaning |\n|---|---|---|---|\n";
    int start = reference.indexOf(header, reference.indexOf("Run parameters"));
    assertThat(start).as("docs/manifest.md has the run-parameter table").isNotNegative();
    start += header.length();
    int end = reference.indexOf("\n\n", start);
    List<String> documented = List.of(reference.substring(start, end).split("\n"));
    List<String> expected = Params.ALL.stream().map(ManifestReferenceTest::row).toList();
    assertThat(documented)
        .as("rows to paste into docs/manifest.md:%n%s", String.join("\n", expected))
        .containsExactlyElementsOf(expected);
  }

  /** One reference row: key, type, default and help, as docs/manifest.md spells them. */
  static String row(Param<?> p) {
    String type =
        p.choices() != null
            ? String.join(
                " \\| ", Choice.keys(enumType(p)).stream().map(k -> "`" + k + "`").toList())
            : p.type().replace(">=", "\u2265");
    return "| `"
        + p.key()
        + "` | "
        + type
        + " | "
        + shown(Params.spelling(p.defaultValue()))
        + " | "
        + p.help()
        + " |";
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Class<Enum> enumType(Param<?> p) {
    return (Class) p.choices();
  }

  private static String shown(Object value) {
    if (value instanceof List<?> list) {
      return "`[" + String.join(", ", list.stream().map(String::valueOf).toList()) + "]`";
    }
    if (value instanceof String text) {
      return "`" + text + "`";
    }
    if (value instanceof Double d) {
      // 1e6, 1, 0.5: the spelling a manifest would use
      return new java.math.BigDecimal(d.toString())
          .stripTrailingZeros()
          .toString()
          .replace("E+", "e")
          .replace("E", "e");
    }
    return String.valueOf(value);
  }

  @Test
  void readmeListsEveryMetricsColumn() throws Exception {
    String layout = section("Output layout");
    for (String column : Schemas.METRICS.fieldNames()) {
      if (Params.byKey(column) == null) {
        assertThat(layout).contains(column);
      }
    }
  }
}
