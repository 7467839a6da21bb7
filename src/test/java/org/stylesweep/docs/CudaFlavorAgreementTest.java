package org.stylesweep.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * conf/spark-gpu.conf decides the libtorch build a GPU cluster loads ({@code PYTORCH_VERSION},
 * {@code PYTORCH_FLAVOR}); the Databricks job, the notebook, the cluster-jar check, the pom and
 * every page of documentation that names one of them say the same.
 */
class CudaFlavorAgreementTest {
  static final Path GPU_CONF = Path.of("conf/spark-gpu.conf");

  /** A CUDA flavor such as cu128. */
  static final Pattern FLAVOR_TOKEN = Pattern.compile("\\bcu(\\d{3})\\b");

  /** "CUDA 12.8", the version a flavor stands for. */
  static final Pattern CUDA_VERSION = Pattern.compile("\\bCUDA (\\d+)\\.(\\d)\\b");

  /**
   * PYTORCH_FLAVOR=cu128, PYTORCH_FLAVOR: cu128, "PYTORCH_FLAVOR": "cu128", PYTORCH_FLAVOR cu128.
   */
  static final Pattern FLAVOR_SETTING =
      Pattern.compile("PYTORCH_FLAVOR(?:\"?\\s*[=:]\\s*\"?|\\s+(?=cu|cpu))([A-Za-z0-9$]+)");

  static final Pattern VERSION_SETTING =
      Pattern.compile("PYTORCH_VERSION\"?\\s*[=: ]\\s*\"?([0-9][0-9.]*[0-9])");
  static final Pattern LIBTORCH_VERSION = Pattern.compile("libtorch[ -](\\d+\\.\\d+\\.\\d+)");

  static String flavor;
  static String version;

  @BeforeAll
  static void readTheSource() throws Exception {
    Properties conf = new Properties();
    try (Reader in = Files.newBufferedReader(GPU_CONF)) {
      conf.load(in);
    }
    flavor = conf.getProperty("spark.executorEnv.PYTORCH_FLAVOR");
    version = conf.getProperty("spark.executorEnv.PYTORCH_VERSION");
    assertThat(flavor).as("%s sets spark.executorEnv.PYTORCH_FLAVOR", GPU_CONF).matches("cu\\d{3}");
    assertThat(version)
        .as("%s sets spark.executorEnv.PYTORCH_VERSION", GPU_CONF)
        .matches("\\d+\\.\\d+\\.\\d+");
  }

  @Test
  void theDatabricksJobSetsTheConfsFlavorAndVersionOnEveryCluster() throws Exception {
    JsonNode job =
        new ObjectMapper().readTree(Path.of("jobs/databricks/nightly-sweep.json").toFile());
    JsonNode clusters = job.path("job_clusters");
    assertThat(clusters.size()).isPositive();
    for (JsonNode cluster : clusters) {
      JsonNode env = cluster.path("new_cluster").path("spark_env_vars");
      String key = cluster.path("job_cluster_key").asText();
      assertThat(env.path("PYTORCH_FLAVOR").asText())
          .as("job cluster %s: PYTORCH_FLAVOR", key)
          .isEqualTo(flavor);
      assertThat(env.path("PYTORCH_VERSION").asText())
          .as("job cluster %s: PYTORCH_VERSION", key)
          .isEqualTo(version);
    }
  }

  @Test
  void theNotebookNamesTheConfsFlavorAndVersion() throws Exception {
    Path notebook = Path.of("notebooks/stylesweep_sweep.py");
    String text = Files.readString(notebook);
    assertThat(all(FLAVOR_SETTING, text)).as("%s names PYTORCH_FLAVOR", notebook).isNotEmpty();
    assertAgrees(notebook, text, List.of());
  }

  @Test
  void theClusterJarCheckReadsTheConfAndNamesNoOtherBuild() throws Exception {
    Path script = Path.of("tools/check-cluster-jar.sh");
    String text = Files.readString(script);
    assertThat(text)
        .as("%s reads the flavor and version from %s", script, GPU_CONF)
        .contains("conf/spark-gpu.conf")
        .contains("PYTORCH_FLAVOR")
        .contains("PYTORCH_VERSION");
    // Its --run smoke test loads the CPU libtorch on purpose: PYTORCH_FLAVOR=cpu is allowed there.
    assertAgrees(script, text, List.of("cpu", "$flavor"));
  }

  @Test
  void thePomBuildsAgainstTheConfsLibtorchVersion() throws Exception {
    Matcher m =
        Pattern.compile("<pytorch.version>([^<]+)</pytorch.version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).as("pom.xml has a pytorch.version property").isTrue();
    assertThat(m.group(1)).as("pom.xml pytorch.version").isEqualTo(version);
  }

  @Test
  void everyDocAndTheConfItselfNameOnlyTheConfsFlavorAndVersion() throws Exception {
    List<Path> files =
        new ArrayList<>(List.of(Path.of("README.md"), Path.of("BENCHMARKS.md"), GPU_CONF));
    try (Stream<Path> docs = Files.list(Path.of("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    for (Path file : files) {
      if (Files.exists(file)) {
        assertAgrees(file, Files.readString(file), List.of());
      }
    }
  }

  /** Every flavor, CUDA version and libtorch version {@code text} names is the conf's. */
  static void assertAgrees(Path file, String text, List<String> otherFlavorsAllowed) {
    for (String token : all(FLAVOR_TOKEN, text)) {
      assertThat(token)
          .as("%s names CUDA flavor %s; %s says %s", file, token, GPU_CONF, flavor)
          .isEqualTo(flavor);
    }
    for (String setting : all(FLAVOR_SETTING, text)) {
      if (!otherFlavorsAllowed.contains(setting)) {
        assertThat(setting)
            .as("%s sets PYTORCH_FLAVOR %s; %s says %s", file, setting, GPU_CONF, flavor)
            .isEqualTo(flavor);
      }
    }
    Matcher cuda = CUDA_VERSION.matcher(text);
    while (cuda.find()) {
      String asFlavor = "cu" + cuda.group(1) + cuda.group(2);
      assertThat(asFlavor)
          .as("%s names %s; %s says %s", file, cuda.group(), GPU_CONF, flavor)
          .isEqualTo(flavor);
    }
    for (Pattern versionPattern : List.of(VERSION_SETTING, LIBTORCH_VERSION)) {
      for (String named : all(versionPattern, text)) {
        assertThat(named)
            .as("%s names libtorch %s; %s says %s", file, named, GPU_CONF, version)
            .isEqualTo(version);
      }
    }
  }

  static List<String> all(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.add(m.group(pattern == FLAVOR_TOKEN ? 0 : 1));
    }
    return found;
  }
}
