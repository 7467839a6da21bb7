package org.stylesweep.halving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.Halving;
import org.stylesweep.transfer.QualityMetrics;

class RankingTest {
  static final Halving.Round KEEP_2 = new Halving.Round(64, 10, 2, 0);

  static Ranking.Candidate run(String id, String group, Double content, Double style) {
    Map<String, Double> q = new HashMap<>();
    q.put(QualityMetrics.CONTENT_FEATURE, content);
    q.put(QualityMetrics.STYLE_GRAM, style);
    return new Ranking.Candidate(id, group, true, q);
  }

  static Map<String, Double> weights(Object... columnThenWeight) {
    Map<String, Double> w = new LinkedHashMap<>();
    for (int i = 0; i < columnThenWeight.length; i += 2) {
      w.put((String) columnThenWeight[i], ((Number) columnThenWeight[i + 1]).doubleValue());
    }
    return w;
  }

  @Test
  void objectiveIsTheWeightedMeanOfMinMaxNormalisedColumns() {
    List<Ranking.Candidate> runs =
        List.of(
            run("a", "p", 0.2, 0.9), // content best, style worst
            run("b", "p", 0.6, 0.5),
            run("c", "p", 1.0, 0.1), // content worst, style best
            run("d", "p", 0.4, 0.4));
    List<Ranking.Ranked> ranked =
        Ranking.rank(
            runs, weights(QualityMetrics.CONTENT_FEATURE, 1, QualityMetrics.STYLE_GRAM, 3), KEEP_2);

    // content normalised over [0.2, 1.0], style over [0.1, 0.9]; weights 1 and 3 out of 4
    double a = (1 * 0.0 + 3 * 1.0) / 4;
    double b = (1 * 0.5 + 3 * 0.5) / 4;
    double c = (1 * 1.0 + 3 * 0.0) / 4;
    double d = (1 * 0.25 + 3 * 0.375) / 4;
    assertThat(ranked).extracting(Ranking.Ranked::runId).containsExactly("a", "b", "c", "d");
    assertThat(ranked.get(0).objective()).isCloseTo(a, within(1e-12));
    assertThat(ranked.get(1).objective()).isCloseTo(b, within(1e-12));
    assertThat(ranked.get(2).objective()).isCloseTo(c, within(1e-12));
    assertThat(ranked.get(3).objective()).isCloseTo(d, within(1e-12));
    // c 0.25 < d 0.34 < b 0.5 < a 0.75
    assertThat(ranked).extracting(Ranking.Ranked::rank).containsExactly(4, 3, 1, 2);
    assertThat(ranked)
        .extracting(Ranking.Ranked::promoted)
        .containsExactly(false, false, true, true);
  }

  @Test
  void ssimCountsAsOneMinusSsimSoHigherSsimRanksFirst() {
    List<Ranking.Candidate> runs = new ArrayList<>();
    double[] ssim = {0.2, 0.9, 0.5};
    for (int i = 0; i < ssim.length; i++) {
      runs.add(
          new Ranking.Candidate("r" + i, "p", true, Map.of(QualityMetrics.CONTENT_SSIM, ssim[i])));
    }
    List<Ranking.Ranked> ranked =
        Ranking.rank(runs, weights(QualityMetrics.CONTENT_SSIM, 1), new Halving.Round(32, 5, 1, 0));

    assertThat(ranked).extracting(Ranking.Ranked::rank).containsExactly(3, 1, 2);
    assertThat(ranked).extracting(Ranking.Ranked::promoted).containsExactly(false, true, false);
  }

  @Test
  void failedAndUnmeasuredRunsAreNotRankedAndNeverPromoted() {
    List<Ranking.Candidate> runs =
        List.of(
            new Ranking.Candidate("failed", "p", false, Map.of()),
            run("unmeasured", "p", null, 0.1),
            run("ok", "p", 0.5, 0.5));
    List<Ranking.Ranked> ranked =
        Ranking.rank(
            runs, weights(QualityMetrics.CONTENT_FEATURE, 1, QualityMetrics.STYLE_GRAM, 1), KEEP_2);

    assertThat(ranked.get(0).rank()).isNull();
    assertThat(ranked.get(0).note()).isEqualTo("FAILED");
    assertThat(ranked.get(1).rank()).isNull();
    assertThat(ranked.get(1).note()).isEqualTo("no " + QualityMetrics.CONTENT_FEATURE);
    // keep 2, but only one run can be ranked
    assertThat(ranked).extracting(Ranking.Ranked::promoted).containsExactly(false, false, true);
    assertThat(ranked.get(2).rank()).isEqualTo(1);
    assertThat(ranked.get(2).objective()).isZero();
  }

  @Test
  void eachGroupRanksAndPromotesItsOwnBest() {
    List<Ranking.Candidate> runs = new ArrayList<>();
    // pair x: worse overall than pair y, yet its best still goes on
    for (int i = 0; i < 4; i++) {
      runs.add(run("x" + i, "x", 10.0 + i, 10.0));
      runs.add(run("y" + i, "y", 1.0 - 0.1 * i, 1.0));
    }
    List<Ranking.Ranked> ranked =
        Ranking.rank(
            runs, weights(QualityMetrics.CONTENT_FEATURE, 1), new Halving.Round(32, 5, 1, 0));

    assertThat(ranked.stream().filter(Ranking.Ranked::promoted).map(Ranking.Ranked::runId))
        .containsExactlyInAnyOrder("x0", "y3");
  }

  @Test
  void tiesKeepPlanOrderAndEqualColumnsNormaliseToZero() {
    List<Ranking.Candidate> runs =
        List.of(run("first", "p", 0.5, 0.5), run("second", "p", 0.5, 0.5));
    List<Ranking.Ranked> ranked =
        Ranking.rank(
            runs, weights(QualityMetrics.CONTENT_FEATURE, 1), new Halving.Round(32, 5, 1, 0));

    assertThat(ranked).extracting(Ranking.Ranked::rank).containsExactly(1, 2);
    assertThat(ranked).extracting(Ranking.Ranked::objective).containsExactly(0.0, 0.0);
  }

  @Test
  void aFractionKeepsItsShareRoundedUpAndAtLeastOne() {
    assertThat(new Halving.Round(32, 5, 0, 0.25).keep(16)).isEqualTo(4);
    assertThat(new Halving.Round(32, 5, 0, 0.3).keep(5)).isEqualTo(2);
    assertThat(new Halving.Round(32, 5, 0, 0.1).keep(3)).isEqualTo(1);
    assertThat(new Halving.Round(32, 5, 6, 0).keep(4)).isEqualTo(4);
  }

  @Test
  void halvingColumnsAreTheQualityColumns() {
    assertThat(Halving.COLUMNS).isEqualTo(QualityMetrics.COLUMNS);
    assertThat(Halving.HIGHER_IS_BETTER).isEqualTo(QualityMetrics.CONTENT_SSIM);
  }
}
