package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.StyleBlend;
import org.stylesweep.spec.Task;

/**
 * {@code task: train_style}: one network per style and sweep combination, each trained on every
 * content; the recipe keys validate with field paths.
 */
class TrainStylePlanTest {
  @TempDir Path dir;
  ManifestFixtures fx;

  static final String TRAIN =
      """
      name: ff
      model: {weights: "random:0"}
      task: train_style
      contents: [../samples/content]
      styles: [../samples/style/blue.png, ../samples/style/yellow.png]
      defaults: {steps: 10, train_crop: 32}
      sweep: {style_weight: [1.0e5, 1.0e6]}
      """;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixtures(dir).withSamples();
    fx.file("jobs/train.yaml", TRAIN);
  }

  @Test
  void oneRunPerStyleAndCombinationTrainedOnEveryContent() throws Exception {
    SweepPlan plan =
        new SweepPlanner(new Configuration()).plan(fx.parse("train.yaml"), SweepPlannerTest.RANDOM);

    assertThat(plan.runs()).hasSize(2 * 2);
    RunSpec first = plan.runs().get(0);
    assertThat(first.task()).isEqualTo(Task.TRAIN_STYLE);
    assertThat(StyleBlend.members(first.content()))
        .hasSize(2)
        .anySatisfy(c -> assertThat(c).endsWith("red.png"))
        .anySatisfy(c -> assertThat(c).endsWith("green.png"));
    assertThat(first.params().get(Params.TRAIN_CROP)).isEqualTo(32);
    assertThat(plan.runs().stream().map(RunSpec::runId).distinct()).hasSize(4);
  }

  @Test
  void aNewTrainingImageChangesTheRunIds() throws Exception {
    List<String> before =
        new SweepPlanner(new Configuration())
            .plan(fx.parse("train.yaml"), SweepPlannerTest.RANDOM).runs().stream()
                .map(RunSpec::runId)
                .toList();
    fx.image("samples/content/blue2.png", 32, java.awt.Color.CYAN);
    List<String> after =
        new SweepPlanner(new Configuration())
            .plan(fx.parse("train.yaml"), SweepPlannerTest.RANDOM).runs().stream()
                .map(RunSpec::runId)
                .toList();

    assertThat(after).hasSize(4).doesNotContainAnyElementsOf(before);
  }

  @Test
  void anEvenKernelAndMismatchedLayerWeightsAreRefusedWithTheirFields() {
    assertThatThrownBy(
            () ->
                fx.parse(
                    "train.yaml", "defaults.train_kernel=8", "defaults.style_layer_weights=[1, 2]"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("defaults.train_kernel = 8: must be odd")
        .hasMessageContaining("2 weights for 4 train_style_layers");
  }

  @Test
  void trainTextureNeedsOnlyStylesAndPlansOneNetworkPerStyle() throws Exception {
    fx.file(
        "jobs/texture.yaml",
        """
        name: tex
        model: {weights: "random:0"}
        task: train_texture
        styles: [../samples/style/blue.png, ../samples/style/yellow.png]
        defaults: {image_size: 32, texture_scales: 3}
        """);

    SweepPlan plan =
        new SweepPlanner(new Configuration())
            .plan(fx.parse("texture.yaml"), SweepPlannerTest.RANDOM);

    assertThat(plan.runs()).hasSize(2);
    assertThat(plan.runs()).allSatisfy(r -> assertThat(r.content()).isNull());
    assertThat(plan.runs().get(0).params().get(Params.TEXTURE_SCALES)).isEqualTo(3);
  }

  @Test
  void aBlendedStyleIsRefusedAtItsEntryForTrainStyleTrainTextureAndStylize() {
    for (String task : List.of("train_style", "train_texture", "stylize")) {
      fx.file(
          "jobs/blend-" + task + ".yaml",
          """
          name: ff
          model: {weights: "random:0"}
          task: %s
          contents: [../samples/content]
          styles: [../samples/style/blue.png, {blend: [../samples/style/blue.png, ../samples/style/yellow.png]}]
          """
              .formatted(task));

      assertThatThrownBy(() -> fx.parse("blend-" + task + ".yaml"))
          .as(task)
          .isInstanceOf(ManifestException.class)
          .hasMessageContaining("styles[1]")
          .hasMessageContaining("task " + task)
          .hasMessageContaining("cannot blend")
          .hasMessageContaining(task.equals("stylize") ? "own entry" : "separate entries");
    }
  }

  @Test
  void stagesTheHistogramLossVideosAndHalvingAreRefusedBeforeATrainingStarts() {
    fx.image("samples/frames/f1.png", 32, java.awt.Color.RED);
    fx.image("samples/frames/f2.png", 32, java.awt.Color.GREEN);
    fx.file(
        "jobs/extras.yaml",
        TRAIN
            + """
            videos: [../samples/frames/]
            halving: {rounds: [{image_size: 32, steps: 5, promote: 1}]}
            """);

    assertThatThrownBy(
            () ->
                fx.parse(
                    "extras.yaml",
                    "defaults.image_size=64",
                    "defaults.stages=[\"32:5\", \"64:5\"]",
                    "defaults.histogram_weight=1"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("defaults.stages")
        .hasMessageContaining("task train_style works at one size (train_crop)")
        .hasMessageContaining("defaults.histogram_weight = 1")
        .hasMessageContaining("has no histogram loss")
        .hasMessageContaining("videos: task train_style does not style videos")
        .hasMessageContaining("halving: task train_style runs have no quality measures");
  }

  @Test
  void trainTextureRefusesTheHistogramLossNamingTheOptimisationTask() {
    fx.file(
        "jobs/texture-hist.yaml",
        """
        name: tex
        model: {weights: "random:0"}
        task: train_texture
        styles: [../samples/style/blue.png]
        defaults: {image_size: 32, histogram_weight: 0.5}
        """);

    assertThatThrownBy(() -> fx.parse("texture-hist.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("defaults.histogram_weight = 0.5")
        .hasMessageContaining("or use task texture");
  }
}
