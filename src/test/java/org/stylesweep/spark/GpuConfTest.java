package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.testing.JarConstants;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks {@code conf/spark-gpu.conf} the way a cluster would read it: parsed by Spark's own
 * properties-file reader, its GPU/CPU amounts consistent, and every DJL setting it names (active or
 * in a comment) a name that DJL 0.36 really reads, so a typo cannot silently do nothing.
 */
class GpuConfTest {

  private static final Path CONF = Paths.get("conf", "spark-gpu.conf");

  private static Map<String, String> conf;
  private static String confText;

  @BeforeAll
  static void readConf() throws IOException {
    conf = CollectionConverters.asJava(Utils.getPropertiesFromFile(CONF.toString()));
    confText = Files.readString(CONF, StandardCharsets.UTF_8);
  }

  @Test
  void eachExecutorOwnsOneGpuFoundByTheBundledDiscoveryScript() {
    assertThat(conf).containsEntry("spark.executor.resource.gpu.amount", "1");
    String script = conf.get("spark.executor.resource.gpu.discoveryScript");
    assertThat(script).isNotNull();
    assertThat(Paths.get(script).getFileName().toString()).isEqualTo("getGpusResources.sh");
    assertThat(Paths.get("conf", "getGpusResources.sh")).isRegularFile();
  }

  @Test
  void taskCpusLeaveNoCoreOrGpuSlotIdle() {
    double taskGpu = Double.parseDouble(conf.get("spark.task.resource.gpu.amount"));
    int executorGpus = Integer.parseInt(conf.get("spark.executor.resource.gpu.amount"));
    int executorCores = Integer.parseInt(conf.get("spark.executor.cores"));
    int taskCpus = Integer.parseInt(conf.get("spark.task.cpus"));

    // Spark accepts a fractional task amount only as 1/n of one GPU.
    assertThat(taskGpu).isGreaterThan(0).isLessThanOrEqualTo(1);
    double tasksPerGpu = 1 / taskGpu;
    assertThat(tasksPerGpu).isEqualTo(Math.rint(tasksPerGpu));

    long gpuSlots = Math.round(executorGpus * tasksPerGpu);
    assertThat(executorCores % taskCpus).as("executor.cores divisible by task.cpus").isZero();
    assertThat(executorCores / taskCpus)
        .as("tasks per executor by cores must equal tasks per executor by GPUs")
        .isEqualTo(gpuSlots);
  }

  @Test
  void libtorchThreadsMatchTheTaskCpus() {
    String taskCpus = conf.get("spark.task.cpus");
    List<String> opts = javaOptions("spark.executor.extraJavaOptions");
    assertThat(opts).contains("-Dai.djl.pytorch.num_threads=" + taskCpus);
    assertThat(conf).containsEntry("spark.executorEnv.OMP_NUM_THREADS", taskCpus);
  }

  @Test
  void graphOptimizerIsOffForExecutors() {
    assertThat(javaOptions("spark.executor.extraJavaOptions"))
        .contains("-Dai.djl.pytorch.graph_optimizer=false");
  }

  @Test
  void everyDjlSettingNamedInTheConfIsOneDjlReads() {
    Set<String> named = new LinkedHashSet<>();
    collect(named, Pattern.compile("spark\\.executorEnv\\.((?:DJL|ENGINE|PYTORCH)_[A-Z_]+)"));
    collect(named, Pattern.compile("-D(ai\\.djl\\.[A-Za-z_.]+)="));
    assertThat(named)
        .as("the conf sets DJL's cache, library path, threads and graph optimizer")
        .contains(
            "DJL_CACHE_DIR",
            "ENGINE_CACHE_DIR",
            "PYTORCH_LIBRARY_PATH",
            "PYTORCH_FLAVOR",
            "PYTORCH_VERSION",
            "ai.djl.pytorch.num_threads",
            "ai.djl.pytorch.num_interop_threads",
            "ai.djl.pytorch.graph_optimizer");

    String djlConstants = JarConstants.of(Engine.class) + JarConstants.of(PtEngine.class);
    for (String name : named) {
      assertThat(djlConstants).as("DJL 0.36 reads a setting named %s", name).contains(name);
    }
  }

  @Test
  void executorJvmsGetTheSameJava17FlagsAsTheTestJvm() {
    // Surefire's argLine comes from the pom's spark.java17.opens: the list Spark needs.
    Set<String> sparkNeeds =
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(arg -> arg.startsWith("--add-opens="))
            .collect(Collectors.toCollection(LinkedHashSet::new));
    assertThat(sparkNeeds).as("test JVM started with the pom's flags").isNotEmpty();
    assertThat(javaOptions("spark.executor.extraJavaOptions")).containsAll(sparkNeeds);
    assertThat(javaOptions("spark.driver.extraJavaOptions")).containsAll(sparkNeeds);
  }

  @Test
  void carriesNoCredentials() {
    assertThat(conf.keySet())
        .noneMatch(key -> key.matches("(?i).*(access\\.key|secret|session\\.token|password).*"));
  }

  private static List<String> javaOptions(String key) {
    String value = conf.get(key);
    assertThat(value).as(key).isNotNull();
    return Arrays.asList(value.trim().split("\\s+"));
  }

  private static void collect(Set<String> into, Pattern pattern) {
    Matcher m = pattern.matcher(confText);
    while (m.find()) {
      into.add(m.group(1));
    }
  }
}
