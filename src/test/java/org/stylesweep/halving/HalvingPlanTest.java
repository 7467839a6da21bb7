package org.stylesweep.halving;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.manifest.ManifestFixtures;
import org.stylesweep.manifest.SweepPlan;
import org.stylesweep.manifest.SweepPlanner;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.WeightsSource;

class HalvingPlanTest {
  static final ModelSpec RANDOM =
      new ModelSpec(
          new WeightsSource.Random(0),
          "random:0",
          Normalization.IMAGENET,
          Pooling.MAX,
          DeviceChoice.AUTO);

  static final String TWO_PAIRS =
      """
      name: halving
      model: {weights: "random:0"}
      task: transfer
      contents: [../samples/content/red.png, ../samples/content/green.png]
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
    fx.file("jobs/h.yaml", TWO_PAIRS);
    fx.file("jobs/plain.yaml", TWO_PAIRS.substring(0, TWO_PAIRS.indexOf("halving:")));
  }

  SweepPlan plan(String name, String... overrides) throws Exception {
    return new SweepPlanner(new Configuration()).plan(fx.parse(name, overrides), RANDOM);
  }

  @Test
  void sixteenSettingsScreenedAtAQuarterOfThePixelsUseAtMostFortyPercentOfTheFullSweep()
      throws Exception {
    HalvingPlan.Budget budget = HalvingPlan.budget(plan("h.yaml"));

    // per pair: 16 x 64² x 25 screening + 4 x 128² x 100 promoted, against 16 x 128² x 100
    double pair = 16 * 64 * 64 * 25 + 4 * 128 * 128 * 100;
    double full = 16 * 128 * 128 * 100;
    assertThat(budget.roundRuns()).containsExactly(32L, 8L);
    assertThat(budget.halvingCost()).isEqualTo(2 * pair);
    assertThat(budget.fullCost()).isEqualTo(2 * full);
    assertThat(budget.ratio()).isEqualTo(pair / full).isLessThanOrEqualTo(0.40);
    assertThat(budget.totalRuns()).isEqualTo(40);
  }

  @Test
  void twoRoundsOfHalvingWithinTheWholeSweep() throws Exception {
    SweepPlan plan =
        plan(
            "h.yaml",
            "halving.rounds=[{image_size: 32, steps: 10, promote: 0.5}, {image_size: 64, steps: 30,"
                + " promote: 0.25}]",
            "halving.rank_within=sweep");
    HalvingPlan.Budget budget = HalvingPlan.budget(plan);

    assertThat(budget.roundRuns()).containsExactly(32L, 16L, 4L);
    List<String> text = HalvingPlan.describe(plan).stream().map(l -> l[0] + " " + l[1]).toList();
    assertThat(text)
        .anySatisfy(l -> assertThat(l).contains("round 2: 16 runs at 64 px, 30 evaluations"))
        .anySatisfy(l -> assertThat(l).contains("final:   4 promoted runs at 128 px"))
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains(String.format("= %.0f%% of the full sweep's", 100 * budget.ratio())));
  }

  @Test
  void screeningRunsHaveIdsOfTheirOwnAndPromotedRunsThePlainSweepsIds() throws Exception {
    SweepPlan halving = plan("h.yaml");
    SweepPlan plain = plan("plain.yaml");

    assertThat(halving.runs())
        .extracting(RunSpec::runId)
        .containsExactlyElementsOf(plain.runs().stream().map(RunSpec::runId).toList());
    // the same ids a plain sweep at the screening size and steps would give the runs
    List<String> small =
        plan("plain.yaml", "defaults.image_size=64", "defaults.steps=25").runs().stream()
            .map(RunSpec::runId)
            .toList();
    Set<String> ids = new HashSet<>();
    for (RunSpec full : halving.runs()) {
      RunSpec screening =
          HalvingPlan.screening(halving, full, halving.manifest().halving().rounds().get(0));
      ids.add(screening.runId());
      assertThat(screening.params().get(Params.IMAGE_SIZE)).isEqualTo(64);
      assertThat(screening.params().get(Params.STEPS)).isEqualTo(25);
      assertThat(screening.params().with(Params.IMAGE_SIZE, 128).with(Params.STEPS, 100))
          .isEqualTo(full.params());
      assertThat(screening.content()).isEqualTo(full.content());
      assertThat(small).contains(screening.runId());
    }
    assertThat(ids)
        .hasSize(32)
        .doesNotContainAnyElementsOf(plain.runs().stream().map(RunSpec::runId).toList());
  }
}
