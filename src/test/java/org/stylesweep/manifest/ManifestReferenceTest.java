package org.stylesweep.manifest;

import org.stylesweep.spec.Params;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.RunParams;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.stylesweep.spark.Schemas;

/** The manifest reference (docs/manifest.md) covers every key the parser accepts and every metrics column. */
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
    RunParams defaults = RunParams.defaults();
    for (Param<?> key : Params.ALL) {
      assertThat(reference).contains("| `" + key.key() + "` |");
    }
    assertThat(reference).contains("| `steps` | positive integer | " + defaults.get(Params.STEPS) + " |");
    assertThat(reference).contains("| `image_size` | positive integer | " + defaults.get(Params.IMAGE_SIZE) + " |");
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
