package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spark.HalvingColumns;
import org.stylesweep.spark.HalvingCompute;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.TinyManifest;
import org.stylesweep.transfer.QualityMetrics;

/**
 * Successive halving end to end on a 16-setting sweep whose answer is known by construction: every
 * run starts from the content image, and the four settings without a style loss ({@code
 * style_weight: 0}) stay the content image (content distance 0), while every other setting moves
 * away from it. Ranked by content distance alone, those four, listed last in the plan so that plan
 * order cannot pick them by accident, must be promoted. The halving sweep's compute (evaluations ×
 * result pixels, measured) is compared with the full sweep's, and a rerun after losing some records
 * recomputes only those.
 */
@Tag("slow")
class HalvingSweepTest {
  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("HalvingSweepTest");
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  static CliResult cli(String... args) {
    return CliResult.execute(spark, args);
  }

  String manifest(String name, boolean halving) {
    TinyManifest m =
        TinyManifest.named(name)
            .contents(sample("content/cat.png"))
            .styles(sample("style/mosaic.png"))
            .withDefault("image_size", "64")
            .steps(8)
            .withDefault("init", "content")
            .extra(
                "sweep:\n  style_weight: [1.0e9, 1.0e8, 1.0e7, 0]\n  content_weight: [1, 2, 3, 4]");
    if (halving) {
      m.extra(
          "halving:\n"
              + "  rounds: [{image_size: 32, steps: 3, promote: 4}]\n"
              + "  objective: {quality_content_feature: 1}\n");
    }
    return m.writeInto(dir).toString();
  }

  static List<Row> rows(Path out) {
    return spark.read().parquet(out.resolve("metrics").toString()).collectAsList();
  }

  static double compute(List<Row> rows) {
    return rows.stream()
        .mapToDouble(
            r ->
                (double) r.<Integer>getAs("evaluations")
                    * r.<Integer>getAs("width")
                    * r.<Integer>getAs("height"))
        .sum();
  }

  static Set<String> ids(List<Row> rows) {
    return rows.stream().map(r -> r.<String>getAs("run_id")).collect(Collectors.toSet());
  }

  @Test
  void sixteenSettingsPromoteTheKnownBestFourForAThirdOfTheComputeAndResume() throws Exception {
    String halving = manifest("halving", true);
    CliResult plan = cli("validate", halving);
    assertThat(plan.code()).as(plan.err()).isEqualTo(ExitCodes.OK);
    // 16 x 32² x 3 + 4 x 64² x 8 against 16 x 64² x 8
    assertThat(plan.out())
        .contains("round 1: 16 runs at 32 px, 3 evaluations, promote 4 per pair")
        .contains("final:   4 promoted runs at 64 px, 8 evaluations")
        .contains("= 34% of the full sweep's 5.24e+05 (16 runs at full size); 20 runs in all");

    Path out = dir.resolve("halving-out");
    CliResult run = cli("run", halving, "--out", out.toString(), "--no-report");
    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.out()).contains("20 runs: 20 OK, 0 FAILED (20 computed now, 0 already OK)");

    List<Row> rows = rows(out);
    List<Row> screening =
        rows.stream()
            .filter(r -> Integer.valueOf(1).equals(r.getAs(HalvingColumns.ROUND)))
            .toList();
    List<Row> promoted =
        rows.stream()
            .filter(r -> Integer.valueOf(2).equals(r.getAs(HalvingColumns.ROUND)))
            .toList();
    assertThat(screening).hasSize(16);
    assertThat(promoted).hasSize(4);
    // the known answer: the settings without a style loss
    assertThat(screening)
        .filteredOn(r -> Boolean.TRUE.equals(r.getAs(HalvingColumns.PROMOTED)))
        .hasSize(4)
        .allSatisfy(r -> assertThat(r.<Double>getAs("style_weight")).isZero());
    assertThat(promoted)
        .allSatisfy(
            r -> {
              assertThat(r.<Double>getAs("style_weight")).isZero();
              assertThat(r.<Integer>getAs("width")).isEqualTo(64);
              assertThat(r.<Object>getAs(HalvingColumns.PROMOTED)).isNull();
            });
    // each promoted run names its screening run, and carries the rank that promoted it
    Map<String, Row> byId = new HashMap<>();
    rows.forEach(r -> byId.put(r.getAs("run_id"), r));
    for (Row r : promoted) {
      Row parent = byId.get(r.<String>getAs(HalvingColumns.SCREENING_RUN_ID));
      assertThat(parent.<Boolean>getAs(HalvingColumns.PROMOTED)).isTrue();
      assertThat(parent.<Double>getAs("content_weight")).isEqualTo(r.getAs("content_weight"));
      assertThat(r.<Integer>getAs(HalvingColumns.RANK))
          .isEqualTo(parent.<Integer>getAs(HalvingColumns.RANK))
          .isBetween(1, 4);
    }
    // ranks follow the objective: content distance, min-max normalised
    double lo = screening.stream().mapToDouble(HalvingSweepTest::content).min().orElseThrow();
    double hi = screening.stream().mapToDouble(HalvingSweepTest::content).max().orElseThrow();
    assertThat(hi).isGreaterThan(lo);
    for (Row r : screening) {
      assertThat(r.<Double>getAs(HalvingColumns.OBJECTIVE))
          .isCloseTo((content(r) - lo) / (hi - lo), org.assertj.core.api.Assertions.within(1e-9));
    }
    List<Row> byRank =
        screening.stream()
            .sorted(Comparator.comparing(r -> r.<Integer>getAs(HalvingColumns.RANK)))
            .toList();
    for (int i = 1; i < byRank.size(); i++) {
      assertThat(content(byRank.get(i))).isGreaterThanOrEqualTo(content(byRank.get(i - 1)));
    }

    // compute: evaluations x result pixels of every run of both rounds, against the full sweep's
    // 16 runs at 64 px and 8 evaluations (an upper bound: a full run may stop early)
    HalvingCompute compute = HalvingCompute.of(rows);
    System.out.println("HalvingSweepTest: " + compute.describe());
    Row one = promoted.get(0);
    assertThat(compute.full())
        .isEqualTo(16 * 8.0 * one.<Integer>getAs("width") * one.<Integer>getAs("height"));
    assertThat(compute.halving()).isEqualTo(compute(rows));
    assertThat(compute.ratio()).isLessThanOrEqualTo(0.40);

    CliResult show = cli("show", out.toString());
    assertThat(show.out())
        .contains("halving")
        .contains("r1 #1 0.000 promoted")
        .contains("final (r1 #1 0.000)")
        .contains("successive halving: 20 runs in all (16 settings)");
    // a killed sweep: two promoted runs and one screening run lost their records and images
    Row lostScreening =
        screening.stream()
            .filter(r -> !Boolean.TRUE.equals(r.getAs(HalvingColumns.PROMOTED)))
            .findFirst()
            .orElseThrow();
    List<String> lost =
        List.of(
            promoted.get(0).getAs("run_id"),
            promoted.get(1).getAs("run_id"),
            lostScreening.getAs("run_id"));
    for (String id : lost) {
      Files.delete(out.resolve("records/" + id + ".json"));
      Files.delete(out.resolve("images/" + id + ".png"));
    }
    Map<Path, FileTime> kept = new HashMap<>();
    try (var files = Files.list(out.resolve("records"))) {
      for (Path p : files.toList()) {
        kept.put(p, Files.getLastModifiedTime(p));
      }
    }
    CliResult again = cli("run", halving, "--out", out.toString());
    assertThat(again.code()).as(again.err()).isEqualTo(ExitCodes.OK);
    assertThat(again.out()).contains("20 runs: 20 OK, 0 FAILED (3 computed now, 17 already OK)");
    for (Map.Entry<Path, FileTime> e : kept.entrySet()) {
      assertThat(Files.getLastModifiedTime(e.getKey()))
          .as(e.getKey().toString())
          .isEqualTo(e.getValue());
    }
    List<Row> resumed = rows(out);
    assertThat(ids(resumed)).isEqualTo(ids(rows));
    assertThat(
            resumed.stream()
                .filter(r -> Integer.valueOf(2).equals(r.getAs(HalvingColumns.ROUND)))
                .map(r -> r.<String>getAs(HalvingColumns.SCREENING_RUN_ID))
                .collect(Collectors.toSet()))
        .isEqualTo(
            promoted.stream()
                .map(r -> r.<String>getAs(HalvingColumns.SCREENING_RUN_ID))
                .collect(Collectors.toSet()));
    String report = Files.readString(out.resolve("report/index.html"));
    assertThat(report)
        .contains("Successive halving")
        .contains("Round 1 (32 px, 3 evaluations): 16 runs, 4 promoted")
        .contains("1 x quality_content_feature")
        .contains("own size (64 px, 8 evaluations): 4 runs, with the rank and objective");
  }

  private static double content(Row r) {
    return r.<Double>getAs(QualityMetrics.CONTENT_FEATURE);
  }
}
