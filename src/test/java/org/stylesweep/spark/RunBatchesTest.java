package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.stylesweep.common.UserError;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunSpec;

/** Which runs share a batch, and the setting that asks for batches. */
class RunBatchesTest {
  private static RunSpec run(String id, String content, int size) {
    RunSpec a = RunRecordTest.SPEC;
    return new RunSpec(
        id,
        a.sweep(),
        a.task(),
        content,
        a.style(),
        a.model(),
        a.params().with(Params.IMAGE_SIZE, size));
  }

  @Test
  void runsOfOneContentAndSizeShareBatchesCutAtTheBatchSize() {
    List<RunSpec> runs =
        List.of(
            run("a", "cat.png", 64),
            run("b", "cat.png", 64),
            run("c", "dog.png", 64),
            run("d", "cat.png", 64),
            run("e", "cat.png", 128),
            run("f", "cat.png", 64));
    List<List<String>> ids =
        RunBatches.group(runs, 3).stream()
            .map(b -> b.stream().map(RunSpec::runId).toList())
            .toList();
    assertThat(ids)
        .containsExactly(List.of("a", "b", "d"), List.of("c"), List.of("e"), List.of("f"));
    assertThat(RunBatches.group(runs, 1)).hasSize(6).allSatisfy(b -> assertThat(b).hasSize(1));
  }

  @Test
  void runsWithOtherLayersAreNotBatchedTogether() {
    RunSpec a = run("a", "cat.png", 64);
    RunSpec b =
        new RunSpec(
            "b",
            a.sweep(),
            a.task(),
            a.content(),
            a.style(),
            a.model(),
            a.params()
                .with(Params.STYLE_LAYERS, List.of("conv1_1"))
                .with(Params.STYLE_LAYER_WEIGHTS, List.of()));
    RunSpec c =
        new RunSpec(
            "c",
            a.sweep(),
            a.task(),
            a.content(),
            a.style(),
            a.model(),
            a.params().with(Params.SEED, 9L));
    assertThat(RunBatches.group(List.of(a, b, c), 4)).hasSize(2);
  }

  @Test
  void theSettingIsOneByDefaultAndABadValueIsRefusedNamingTheKey() {
    assertThat(RunBatches.size(new SparkConf(false))).isEqualTo(1);
    assertThat(RunBatches.size(new SparkConf(false).set(RunBatches.CONF, "8"))).isEqualTo(8);
    for (String bad : List.of("0", "-2", "four", "65")) {
      assertThatThrownBy(() -> RunBatches.size(new SparkConf(false).set(RunBatches.CONF, bad)))
          .isInstanceOf(UserError.class)
          .hasMessageContaining("spark.stylesweep.batchRuns is '" + bad + "'")
          .hasMessageContaining("--conf spark.stylesweep.batchRuns=4");
    }
  }
}
