package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.Halving;

/**
 * The manifest's {@code halving} block: what it accepts, and a clear error for what it does not.
 */
class HalvingManifestTest {
  /** One pair, 16 settings, one screening round. */
  static final String SIXTEEN =
      """
      name: halving
      model: {weights: "random:0"}
      task: transfer
      contents: [../samples/content/red.png]
      styles: [../samples/style/blue.png]
      defaults: {image_size: 128, steps: 100}
      sweep:
        style_weight: [1.0e4, 1.0e5, 1.0e6, 1.0e7]
        content_weight: [1, 2, 3, 4]
      halving:
        rounds:
          - {image_size: 64, steps: 25, promote: 4}
      """;

  @TempDir Path dir;
  ManifestFixtures fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixtures(dir).withSamples();
    fx.file("jobs/h.yaml", SIXTEEN);
  }

  @Test
  void blockParsesWithTheTasksDefaultObjective() throws Exception {
    Manifest m = fx.parse("h.yaml");

    assertThat(m.halving().rounds()).containsExactly(new Halving.Round(64, 25, 4, 0));
    assertThat(m.halving().objective())
        .isEqualTo(Map.of("quality_style_gram", 1.0, "quality_content_feature", 1.0));
    assertThat(m.halving().within()).isEqualTo(Halving.Scope.PAIR);
    assertThat(m.runCount()).isEqualTo(16);
  }

  @Test
  void effectiveManifestSpellsTheBlockSoThatItParsesToTheSame() throws Exception {
    Manifest m =
        fx.parse(
            "h.yaml",
            "halving.rounds=[{image_size: 32, steps: 10, promote: 0.5}, {image_size: 64, steps: 20,"
                + " promote: 2}]",
            "halving.objective={quality_content_ssim: 2, quality_style_wasserstein: 0.5}",
            "halving.rank_within=sweep");
    fx.file("jobs/effective.yaml", m.toYaml());

    Manifest again = fx.parse("effective.yaml");

    assertThat(again.halving()).isEqualTo(m.halving());
    assertThat(again.halving().rounds().get(0).keep(16)).isEqualTo(8);
    assertThat(m.toYaml()).contains("halving:").contains("promote: 0.5");
  }

  @Test
  void noBlockMeansAPlainSweep() throws Exception {
    fx.file("jobs/plain.yaml", SIXTEEN.substring(0, SIXTEEN.indexOf("halving:")));
    assertThat(fx.parse("plain.yaml").halving()).isNull();
  }

  static List<String> problems(ManifestFixtures fx, String... overrides) {
    try {
      fx.parse("h.yaml", overrides);
    } catch (ManifestException e) {
      return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
    }
    throw new AssertionError("expected the manifest to be refused");
  }

  @Test
  void badBlocksAreRefusedNamingTheFieldAndWhatToDo() {
    assertThat(problems(fx, "sweep.image_size=[64, 128]"))
        .anySatisfy(p -> assertThat(p).startsWith("sweep.image_size: a halving sweep screens"));
    assertThat(problems(fx, "halving.rounds=[{image_size: 256, steps: 25, promote: 4}]"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith("halving.rounds[0].image_size: is larger than the sweep's own"));
    assertThat(problems(fx, "halving.rounds=[{image_size: 64, steps: 500, promote: 4}]"))
        .anySatisfy(p -> assertThat(p).startsWith("halving.rounds[0].steps: is more than"));
    assertThat(problems(fx, "halving.rounds=[{image_size: 128, steps: 100, promote: 4}]"))
        .anySatisfy(p -> assertThat(p).contains("saves nothing"));
    assertThat(
            problems(
                fx,
                "halving.rounds=[{image_size: 64, steps: 50, promote: 8}, {image_size: 32, steps:"
                    + " 10, promote: 2}]"))
        .anySatisfy(p -> assertThat(p).startsWith("halving.rounds[1]: costs less than"));
    assertThat(problems(fx, "halving.rounds=[{image_size: 64, steps: 25, promote: 0}]"))
        .anySatisfy(p -> assertThat(p).startsWith("halving.rounds[0].promote: expected a whole"));
    assertThat(problems(fx, "halving.rounds=[{image_size: 64, steps: 25, promote: 1.5}]"))
        .anySatisfy(p -> assertThat(p).startsWith("halving.rounds[0].promote:"));
    assertThat(problems(fx, "halving.rounds=[{image_size: 64, step: 25, promote: 4}]"))
        .anySatisfy(p -> assertThat(p).contains("unknown key 'step'; did you mean 'steps'?"));
    assertThat(problems(fx, "halving.rounds=[]"))
        .anySatisfy(p -> assertThat(p).startsWith("halving.rounds: expected a non-empty list"));
    assertThat(problems(fx, "halving.objective={quality_contnt_feature: 1}"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .startsWith(
                        "halving.objective.quality_contnt_feature: unknown quality column"));
    assertThat(problems(fx, "halving.objective={quality_style_gram: -1}"))
        .anySatisfy(p -> assertThat(p).contains("expected a weight of 0 or more"));
    assertThat(problems(fx, "halving.objective={quality_style_gram: 0}"))
        .anySatisfy(p -> assertThat(p).contains("every weight is 0"));
    assertThat(problems(fx, "halving.rank_within=content"))
        .anySatisfy(p -> assertThat(p).startsWith("halving.rank_within: expected pair or sweep"));
    assertThat(problems(fx, "halving.rounds=[{image_size: 64, steps: 25, promote: 16}]"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "halving.rounds[0].promote: promotes every one of the 16 settings of each"
                            + " pair, so nothing is screened out; promote fewer (such as 4)"));
    assertThat(problems(fx, "halving.promote=4"))
        .anySatisfy(p -> assertThat(p).startsWith("halving.promote: unknown key 'promote'"));
  }

  @Test
  void anObjectiveColumnTheTaskLacksIsRefused() {
    fx.file(
        "jobs/h.yaml",
        SIXTEEN
            .replace("task: transfer", "task: texture")
            .replace("contents: [../samples/content/red.png]\n", "")
            .replace("content_weight: [1, 2, 3, 4]", "seed: [0, 1, 2, 3]"));
    assertThat(problems(fx, "halving.objective={quality_content_feature: 1}"))
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "halving.objective.quality_content_feature: texture runs have no"
                            + " quality_content_feature; expected one of quality_style_gram,"
                            + " quality_style_wasserstein, quality_color_style"));
  }

  @Test
  void aPairWithOneSettingHasNothingToScreen() {
    fx.file("jobs/h.yaml", SIXTEEN.replaceAll("(?s)sweep:.*?halving:", "halving:"));
    assertThat(problems(fx)).anySatisfy(p -> assertThat(p).contains("nothing to screen out"));
  }
}
