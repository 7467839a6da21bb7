package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sweep axes that cannot change a run are named, with the reason. */
class IdleAxesTest {
  @TempDir Path dir;
  ManifestFixtures fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixtures(dir).withSamples();
  }

  Manifest parse(String task, String extra) throws Exception {
    fx.file(
        "jobs/m.yaml",
        "name: m\nmodel: {weights: \"random:0\"}\ntask: "
            + task
            + "\n"
            + "contents: [../samples/content/red.png]\nstyles: [../samples/style/blue.png]\n"
            + extra);
    return fx.parse("m.yaml");
  }

  @Test
  void stepsIsIdleWhenEveryRunHasStagesAndAStagesAxisParsesAsOneAxis() throws Exception {
    assertThat(
            IdleAxes.warnings(
                parse(
                    "transfer",
                    "defaults: {image_size: 64, stages: \"32:5,64:5\"}\nsweep: {steps: [5, 9]}\n")))
        .singleElement()
        .asString()
        .contains("sweep axis steps (2 values) cannot change any run", "sweep stages");
    Manifest swept =
        parse(
            "transfer",
            "defaults: {image_size: 64}\nsweep: {steps: [5, 9], stages: [\"\", [\"32:5\","
                + " \"64:5\"]]}\n");
    assertThat(IdleAxes.warnings(swept)).isEmpty();
    assertThat(swept.sweep().get("stages")).containsExactly(List.of(), List.of("32:5", "64:5"));
  }

  @Test
  void seedWithoutNoiseInitIsIdle() throws Exception {
    assertThat(IdleAxes.warnings(parse("transfer", "sweep: {seed: [0, 1, 2, 3]}\n")))
        .singleElement()
        .asString()
        .contains(
            "sweep axis seed (4 values) cannot change any run", "init: noise", "init content");
    assertThat(
            IdleAxes.warnings(parse("transfer", "sweep: {seed: [0, 1], init: [content, noise]}\n")))
        .isEmpty();
    assertThat(
            IdleAxes.warnings(
                parse("transfer", "defaults: {init: noise}\nsweep: {seed: [0, 1]}\n")))
        .isEmpty();
  }

  @Test
  void lossParametersOfALossTheTaskDoesNotHaveAreIdle() throws Exception {
    assertThat(
            IdleAxes.warnings(
                parse("reconstruct", "defaults: {init: noise}\nsweep: {style_weight: [1, 10]}\n")))
        .singleElement()
        .asString()
        .contains("style_weight applies to the style loss, and task reconstruct has none");
    assertThat(
            IdleAxes.warnings(
                parse(
                    "texture",
                    "defaults: {init: noise}\nsweep: {content_layers: [conv1_1, conv2_1]}\n")))
        .singleElement()
        .asString()
        .contains("task texture has none");
    assertThat(
            IdleAxes.warnings(
                parse("transfer", "sweep: {style_weight: [1, 10], content_weight: [1, 2]}\n")))
        .isEmpty();
  }

  @Test
  void controlsThatNoRunUsesAreIdle() throws Exception {
    assertThat(IdleAxes.warnings(parse("transfer", "sweep: {style_blend_weights: [[1], [2]]}\n")))
        .singleElement()
        .asString()
        .contains(
            "style_blend_weights weighs the images of a blended style", "no style is a blend");
    assertThat(IdleAxes.warnings(parse("transfer", "sweep: {color_match: [sqrtm, cholesky]}\n")))
        .singleElement()
        .asString()
        .contains("color_control: match_histogram, which no run uses");
    assertThat(
            IdleAxes.warnings(
                parse(
                    "transfer",
                    "sweep: {color_match: [sqrtm, cholesky],"
                        + " color_control: [none, match_histogram]}\n")))
        .isEmpty();
    assertThat(
            IdleAxes.warnings(parse("transfer", "sweep: {mask_propagation: [simple, inside]}\n")))
        .singleElement()
        .asString()
        .contains("no style assigns regions");
    assertThat(
            IdleAxes.warnings(
                parse("transfer", "sweep: {histogram_layers: [[relu1_1], [relu4_1]]}\n")))
        .singleElement()
        .asString()
        .contains("histogram_weight is 0 in every run");
    assertThat(
            IdleAxes.warnings(
                parse(
                    "transfer",
                    "defaults: {optimizer: adam, lr: 0.02}\nsweep: {lbfgs_history: [5, 100]}\n")))
        .singleElement()
        .asString()
        .contains("lbfgs_history applies to L-BFGS only");
  }

  @Test
  void optimisationKeysAreIdleForATrainingAndTrainingKeysForAnOptimisation() throws Exception {
    assertThat(
            IdleAxes.warnings(
                parse(
                    "train_style", "sweep: {lr: [0.5, 1], content_layers: [conv1_1, conv2_1]}\n")))
        .hasSize(2)
        .anySatisfy(
            w ->
                assertThat(w)
                    .contains(
                        "sweep axis lr (2 values) cannot change any run",
                        "task train_style trains a network with Adam at train_lr"))
        .anySatisfy(w -> assertThat(w).contains("content_layers is not read by task train_style"));
    assertThat(IdleAxes.warnings(parse("transfer", "sweep: {train_width: [8, 16]}\n")))
        .singleElement()
        .asString()
        .contains("train_width applies to task train_style or train_texture");
    assertThat(IdleAxes.warnings(parse("train_texture", "sweep: {train_crop: [32, 64]}\n")))
        .singleElement()
        .asString()
        .contains("train_crop is not read by task train_texture");
    // A training's seed draws its initial weights and batches: never idle.
    assertThat(
            IdleAxes.warnings(
                parse("train_style", "sweep: {seed: [0, 1], train_lr: [0.001, 0.01]}\n")))
        .isEmpty();
  }
}
