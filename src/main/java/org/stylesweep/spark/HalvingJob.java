package org.stylesweep.spark;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.halving.HalvingPlan;
import org.stylesweep.halving.Ranking;
import org.stylesweep.manifest.SweepPlan;
import org.stylesweep.spec.Halving;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.transfer.QualityMetrics;

/**
 * A sweep with a {@code halving} block, round by round: every setting runs at round 1's size and
 * steps, the round's runs are ranked by the manifest's objective over their quality measures
 * ({@link Ranking}), the best go on to the next round, and those promoted from the last round run
 * at the sweep's own parameters. Each run of each round is an ordinary run with its own record, so
 * a rerun of a killed sweep skips every finished run and ranks the same records the same way.
 *
 * <p>Once a round is ranked the driver writes each run's round, rank, objective and whether it went
 * on into its record ({@link HalvingColumns}); a promoted run's record names the run it was
 * screened as. The metrics table holds every round's rows.
 */
final class HalvingJob {
  private static final Logger LOG = LoggerFactory.getLogger(HalvingJob.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private HalvingJob() {}

  /** How a setting reached its current round: its run in the round before and its place there. */
  private record Link(String runId, Integer rank, Double objective) {}

  static SweepJob.Outcome runLocked(
      SparkSession spark, SweepPlan plan, String out, Configuration hadoop, boolean prune)
      throws IOException {
    Halving halving = plan.manifest().halving();
    String name = plan.manifest().name();
    List<RunSpec> candidates = plan.runs();
    Map<String, Link> links = new HashMap<>();
    List<String> tableIds = new ArrayList<>();
    int computed = 0;
    int rounds = halving.rounds().size();
    for (int r = 0; r < rounds; r++) {
      Halving.Round round = halving.rounds().get(r);
      List<RunSpec> screening = new ArrayList<>();
      for (RunSpec full : candidates) {
        screening.add(HalvingPlan.screening(plan, full, round));
      }
      screening.forEach(s -> tableIds.add(s.runId()));
      LOG.info(
          "halving round {}/{}: {} runs at {} px, {} evaluations",
          r + 1,
          rounds,
          screening.size(),
          round.imageSize(),
          round.steps());
      computed +=
          SweepJob.computeMissing(
              spark, screening, tableIds, out, hadoop, name + " (halving round " + (r + 1) + ")");

      List<Ranking.Ranked> ranked = rank(spark, out, screening, halving, round);
      List<RunSpec> next = new ArrayList<>();
      Map<String, Link> nextLinks = new HashMap<>();
      for (int i = 0; i < screening.size(); i++) {
        Ranking.Ranked place = ranked.get(i);
        Link before = links.get(candidates.get(i).runId());
        annotate(
            out,
            screening.get(i).runId(),
            r + 1,
            before == null ? null : before.runId(),
            place.rank(),
            place.objective(),
            place.promoted(),
            hadoop);
        if (place.promoted()) {
          next.add(candidates.get(i));
          nextLinks.put(
              candidates.get(i).runId(),
              new Link(screening.get(i).runId(), place.rank(), place.objective()));
        }
      }
      LOG.info(
          "halving round {}/{}: promoted {} of {} runs by {}",
          r + 1,
          rounds,
          next.size(),
          screening.size(),
          halving.objectiveText());
      candidates = next;
      links = nextLinks;
    }
    candidates.forEach(c -> tableIds.add(c.runId()));
    LOG.info(
        "halving final round: {} promoted runs at the sweep's own size and steps",
        candidates.size());
    computed +=
        SweepJob.computeMissing(
            spark, candidates, tableIds, out, hadoop, name + " (halving: promoted runs)");
    for (RunSpec run : candidates) {
      Link link = links.get(run.runId());
      annotate(
          out, run.runId(), rounds + 1, link.runId(), link.rank(), link.objective(), null, hadoop);
    }
    SweepJob.Outcome outcome =
        SweepJob.finish(spark, plan, out, tableIds, tableIds.size() - computed, computed, prune);
    HalvingCompute compute =
        HalvingCompute.of(
            MetricsTable.read(spark, out)
                .where(col("run_id").isin(tableIds.toArray()))
                .collectAsList());
    if (compute != null) {
      LOG.info("halving: {}", compute.describe());
    }
    return outcome;
  }

  /** The round's runs ranked, from their records. */
  private static List<Ranking.Ranked> rank(
      SparkSession spark, String out, List<RunSpec> runs, Halving halving, Halving.Round round)
      throws IOException {
    List<Column> columns = new ArrayList<>(List.of(col("run_id"), col("status")));
    QualityMetrics.COLUMNS.forEach(c -> columns.add(col(c)));
    Map<String, Row> rows = new HashMap<>();
    for (Row row :
        MetricsTable.readRecords(spark, out, false)
            .where(col("run_id").isin(runs.stream().map(RunSpec::runId).toArray()))
            .select(columns.toArray(Column[]::new))
            .collectAsList()) {
      rows.put(row.getString(0), row);
    }
    List<Ranking.Candidate> candidates = new ArrayList<>();
    for (RunSpec run : runs) {
      Row row = rows.get(run.runId());
      Map<String, Double> quality = new LinkedHashMap<>();
      if (row != null) {
        for (int c = 0; c < QualityMetrics.COLUMNS.size(); c++) {
          quality.put(
              QualityMetrics.COLUMNS.get(c), row.isNullAt(2 + c) ? null : row.getDouble(2 + c));
        }
      }
      candidates.add(
          new Ranking.Candidate(
              run.runId(),
              HalvingPlan.group(halving.within(), run.content(), run.style()),
              row != null && Schemas.OK.equals(row.getString(1)),
              quality));
    }
    return Ranking.rank(candidates, halving.objective(), round);
  }

  /**
   * Writes the halving columns into a run's record, durably; a record that already says the same is
   * left alone (a rerun rewrites nothing), a missing or unreadable one is logged and skipped.
   */
  static void annotate(
      String out,
      String runId,
      int round,
      String screeningRunId,
      Integer rank,
      Double objective,
      Boolean promoted,
      Configuration hadoop)
      throws IOException {
    Path path = OutputLayout.record(out, runId);
    ObjectNode record;
    try {
      JsonNode tree =
          JSON.readTree(new String(HadoopFiles.readAll(path, hadoop), StandardCharsets.UTF_8));
      if (!(tree instanceof ObjectNode object)) {
        throw new IOException("not a JSON object");
      }
      record = object;
    } catch (IOException e) {
      LOG.warn("cannot add the halving columns to the record {}: {}", path, e.getMessage());
      return;
    }
    ObjectNode updated = record.deepCopy();
    updated.put(HalvingColumns.ROUND, round);
    updated.put(HalvingColumns.SCREENING_RUN_ID, screeningRunId);
    updated.put(HalvingColumns.RANK, rank);
    updated.put(HalvingColumns.OBJECTIVE, objective);
    updated.put(HalvingColumns.PROMOTED, promoted);
    if (!Objects.equals(updated, record)) {
      HadoopFiles.writeDurably(
          path, (JSON.writeValueAsString(updated) + "\n").getBytes(StandardCharsets.UTF_8), hadoop);
    }
  }
}
