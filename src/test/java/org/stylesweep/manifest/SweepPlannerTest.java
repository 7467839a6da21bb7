package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.WeightsSource;

class SweepPlannerTest {
  static final ModelSpec RANDOM =
      new ModelSpec(
          new WeightsSource.Random(0),
          "random:0",
          Normalization.IMAGENET,
          Pooling.MAX,
          DeviceChoice.AUTO);

  @TempDir Path dir;
  ManifestFixtures fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixtures(dir).withSamples();
    fx.file("jobs/grid.yaml", ManifestParserTest.ISSUE_SHAPE);
  }

  SweepPlan plan(String... overrides) throws ManifestException {
    return new SweepPlanner(new Configuration()).plan(fx.parse("grid.yaml", overrides), RANDOM);
  }

  @Test
  void expandsPairsTimesTheSweepProductWithDistinctIds() throws Exception {
    SweepPlan plan = plan("sweep.tv_weight=[0, 1, 2]");

    assertThat(plan.runs()).hasSize(4 * 2 * 2 * 3);
    assertThat(new HashSet<>(plan.runs().stream().map(RunSpec::runId).toList())).hasSize(48);
    assertThat(plan.runs()).allSatisfy(run -> assertThat(run.runId()).matches("[0-9a-f]{16}"));
    // Contents outermost, the last sweep axis fastest.
    RunSpec first = plan.runs().get(0);
    RunSpec second = plan.runs().get(1);
    assertThat(first.content()).endsWith("red.png");
    assertThat(first.style()).endsWith("blue.png");
    assertThat(first.params().get(Params.INIT)).isEqualTo(Init.CONTENT);
    assertThat(first.params().get(Params.TV_WEIGHT)).isEqualTo(0.0);
    assertThat(second.params().get(Params.TV_WEIGHT)).isEqualTo(1.0);
    assertThat(first.sweep()).isEqualTo("part3-grid");
  }

  @Test
  void runIdsAreDeterministicAndChangeWithParametersWeightsAndImageBytes() throws Exception {
    List<String> ids = plan().runs().stream().map(RunSpec::runId).toList();
    assertThat(plan().runs().stream().map(RunSpec::runId).toList()).isEqualTo(ids);

    assertThat(plan("defaults.steps=301").runs().get(0).runId()).isNotEqualTo(ids.get(0));

    ModelSpec other =
        new ModelSpec(
            new WeightsSource.Random(1),
            "random:1",
            Normalization.IMAGENET,
            Pooling.MAX,
            DeviceChoice.AUTO);
    assertThat(
            new SweepPlanner(new Configuration())
                .plan(fx.parse("grid.yaml"), other)
                .runs()
                .get(0)
                .runId())
        .isNotEqualTo(ids.get(0));

    fx.image("samples/content/red.png", 32, Color.ORANGE);
    List<String> changed = plan().runs().stream().map(RunSpec::runId).toList();
    assertThat(changed.subList(0, 8)).doesNotContainAnyElementsOf(ids);
    assertThat(changed.subList(8, 16)).isEqualTo(ids.subList(8, 16));
  }

  @Test
  void aliasAndCanonicalLayerNamesGiveTheSameRun() throws Exception {
    String alias = plan("defaults.content_layers=[conv_4]").runs().get(0).runId();
    String canonical = plan("defaults.content_layers=[conv2_2]").runs().get(0).runId();
    assertThat(alias).isEqualTo(canonical);
  }

  @Test
  void identicalImagesUnderTwoNamesAreRejected() {
    fx.image("samples/content/red-copy.png", 32, Color.RED);
    fx.file(
        "jobs/dup.yaml",
        """
        name: dup
        contents: [../samples/content/red.png, ../samples/content/red-copy.png]
        styles: [../samples/style/blue.png]
        """);

    assertThatThrownBy(
            () -> new SweepPlanner(new Configuration()).plan(fx.parse("dup.yaml"), RANDOM))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining(
            "two runs would be identical (same image bytes and parameters): (red.png, blue.png) and (red-copy.png, blue.png)");
  }

  @Test
  void textureRunsHaveNoContent() throws Exception {
    fx.file(
        "jobs/tex.yaml",
        """
        name: tex
        task: texture
        contents: [../samples/content/red.png]
        styles: [../samples/style/blue.png, ../samples/style/yellow.png]
        defaults: {init: noise}
        sweep: {style_layers: [[conv1_1], [conv1_1, conv2_1]]}
        """);

    SweepPlan plan = new SweepPlanner(new Configuration()).plan(fx.parse("tex.yaml"), RANDOM);

    assertThat(plan.runs()).hasSize(4);
    assertThat(plan.runs()).allSatisfy(run -> assertThat(run.content()).isNull());
    assertThat(plan.inputSha256()).hasSize(2);
  }

  /** A content with left/right regions crossed with two style assignments (issue 13). */
  static final String SPATIAL =
      """
      name: spatial
      contents:
        - image: ../samples/content/red.png
          regions:
            - {name: left, mask: ../samples/masks/left.png}
            - {name: right, mask: ../samples/masks/right.png}
      styles:
        - regions: {left: ../samples/style/blue.png, right: ../samples/style/green.png}
        - regions: {left: ../samples/style/green.png, right: ../samples/style/blue.png}
          rest: none
      """;

  @Test
  void regionsCrossTheSameMasksWithEachStyleAssignmentAndHashTheMasks() throws Exception {
    fx.image("samples/style/green.png", 32, Color.GREEN);
    fx.image("samples/masks/left.png", 32, Color.WHITE);
    fx.image("samples/masks/right.png", 32, Color.GRAY);
    fx.file("jobs/spatial.yaml", SPATIAL);
    Manifest manifest = fx.parse("spatial.yaml");
    SweepPlan plan = new SweepPlanner(new Configuration()).plan(manifest, RANDOM);
    assertThat(plan.runs()).hasSize(2);
    RunSpec first = plan.runs().get(0);
    assertThat(org.stylesweep.spec.Spatial.masks(first.content()))
        .containsOnlyKeys("left", "right");
    assertThat(org.stylesweep.spec.Spatial.regionStyles(first.style()).get("left").image())
        .endsWith("blue.png");
    assertThat(org.stylesweep.spec.Spatial.rest(first.style())).isNull();
    assertThat(plan.runs().get(1).content()).isEqualTo(first.content());
    assertThat(plan.runs().get(1).runId()).isNotEqualTo(first.runId());

    // the effective manifest parses back to the same inputs
    fx.file("jobs/effective.yaml", manifest.toYaml().replace("name: spatial", "name: spatial2"));
    Manifest again = fx.parse("effective.yaml");
    assertThat(again.contents()).isEqualTo(manifest.contents());
    assertThat(again.styles()).isEqualTo(manifest.styles());

    // a mask's bytes are part of the run id
    List<String> ids = plan.runs().stream().map(RunSpec::runId).toList();
    fx.image("samples/masks/right.png", 32, Color.DARK_GRAY);
    List<String> changed =
        new SweepPlanner(new Configuration())
            .plan(fx.parse("spatial.yaml"), RANDOM).runs().stream().map(RunSpec::runId).toList();
    assertThat(changed).doesNotContainAnyElementsOf(ids);
  }
}
