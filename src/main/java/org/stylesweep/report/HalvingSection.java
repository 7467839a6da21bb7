package org.stylesweep.report;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.stylesweep.spark.HalvingColumns;
import org.stylesweep.spark.HalvingCompute;
import org.stylesweep.spec.Params;
import org.stylesweep.transfer.QualityMetrics;

/**
 * The report's successive-halving section: one table per screening round (each run's rank,
 * objective and whether it was promoted) and one of the promoted runs at the sweep's own size with
 * the rank and objective that promoted them. The rest of the report (grids, aggregates, the task
 * sections) shows only the promoted runs, so that screening runs at another size do not mix into
 * them.
 */
final class HalvingSection {
  /** A run's halving columns. */
  private record Place(
      int round, String screeningRunId, Integer rank, Double objective, Boolean promoted) {}

  private final Map<String, Place> places;
  private final int finalRound;
  private final String computeLine;
  private final String objective;

  private HalvingSection(
      Map<String, Place> places, int finalRound, String computeLine, String objective) {
    this.places = places;
    this.finalRound = finalRound;
    this.computeLine = computeLine;
    this.objective = objective;
  }

  /**
   * The section of the rows' halving sweep, or null when no row has halving columns.
   *
   * @param objective the objective as the effective manifest spells it, or null when unknown
   */
  static HalvingSection of(List<Row> rows, String objective) {
    Map<String, Place> places = new HashMap<>();
    int last = 0;
    for (Row r : rows) {
      Integer round = r.getAs(HalvingColumns.ROUND);
      if (round != null) {
        places.put(
            r.getAs("run_id"),
            new Place(
                round,
                r.getAs(HalvingColumns.SCREENING_RUN_ID),
                r.getAs(HalvingColumns.RANK),
                r.getAs(HalvingColumns.OBJECTIVE),
                r.getAs(HalvingColumns.PROMOTED)));
        last = Math.max(last, round);
      }
    }
    if (places.isEmpty()) {
      return null;
    }
    HalvingCompute compute = HalvingCompute.of(rows);
    return new HalvingSection(places, last, compute == null ? null : compute.describe(), objective);
  }

  /** True for a run of a screening round (not shown in the grids and the task sections). */
  private boolean screening(String runId) {
    Place p = places.get(runId);
    return p != null && p.promoted() != null;
  }

  /** The runs the rest of the report shows: all but the screening runs. */
  List<RunRow> shown(List<RunRow> runs) {
    return runs.stream().filter(r -> !screening(r.runId())).toList();
  }

  /** The rows the rest of the report aggregates: all but the screening runs. */
  Dataset<Row> shown(Dataset<Row> metrics) {
    return metrics.where(
        col(HalvingColumns.ROUND).isNull().or(col(HalvingColumns.PROMOTED).isNull()));
  }

  /**
   * The section.
   *
   * @param runs every run of the table
   * @param thumbnails result thumbnails by run id
   * @param anchor the detail anchor of a shown run
   */
  ReportPage.Section section(
      List<RunRow> runs,
      Map<String, String> thumbnails,
      java.util.function.Function<RunRow, String> anchor) {
    Map<Integer, List<RunRow>> byRound = new TreeMap<>();
    for (RunRow run : runs) {
      Place p = places.get(run.runId());
      if (p != null) {
        byRound.computeIfAbsent(p.round(), k -> new ArrayList<>()).add(run);
      }
    }
    List<ReportPage.Table> tables = new ArrayList<>();
    for (Map.Entry<Integer, List<RunRow>> e : byRound.entrySet()) {
      boolean last =
          e.getKey() == finalRound && e.getValue().stream().allMatch(r -> !screening(r.runId()));
      tables.add(table(e.getKey(), last, e.getValue(), thumbnails, anchor));
    }
    String intro =
        "Every setting ran small and short first; each round's runs were ranked within their group"
            + " by an objective over the quality measures (each measure min-max normalised over the"
            + " group, 0 the best, then the weighted mean: lower is better"
            + (objective == null ? "" : "; here " + objective)
            + "), and only the best went on to the next round and finally to the sweep's own size"
            + " and steps. The grids and tables above show only those promoted runs."
            + (computeLine == null ? "" : " Compute: " + computeLine + ".");
    return new ReportPage.Section("halving", "Successive halving", intro, List.of(), tables);
  }

  private ReportPage.Table table(
      int round,
      boolean promotedRuns,
      List<RunRow> runs,
      Map<String, String> thumbnails,
      java.util.function.Function<RunRow, String> anchor) {
    List<String> varying =
        Axes.PARAMETERS.stream()
            .filter(p -> !p.equals(Params.IMAGE_SIZE.key()) && !p.equals(Params.STEPS.key()))
            .filter(p -> GridPlanner.distinctValues(p, runs).size() > 1)
            .toList();
    List<String> measures =
        QualityMetrics.COLUMNS.stream()
            .filter(m -> runs.stream().anyMatch(r -> r.quality().containsKey(m)))
            .toList();
    List<String> headers = new ArrayList<>(List.of("result", "run", "content", "style"));
    headers.addAll(varying);
    if (promotedRuns) {
      headers.add("screened as");
    }
    headers.addAll(List.of("rank", "objective"));
    if (!promotedRuns) {
      headers.add("promoted");
    }
    measures.forEach(m -> headers.add(m.substring("quality_".length())));
    headers.add("evaluations");
    List<RunRow> sorted = new ArrayList<>(runs);
    sorted.sort(
        Comparator.comparing((RunRow r) -> r.content() + " x " + r.style())
            .thenComparing(
                r -> places.get(r.runId()).rank(), Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(RunRow::runId));
    List<ReportPage.Row> rows = new ArrayList<>();
    for (RunRow run : sorted) {
      Place p = places.get(run.runId());
      List<ReportPage.Cell> cells = new ArrayList<>();
      String url = thumbnails.get(run.runId());
      cells.add(
          url == null
              ? ReportPage.Cell.text("")
              : ReportPage.Cell.image(url, "result of run " + run.runId()));
      cells.add(
          promotedRuns
              ? ReportPage.Cell.link(run.runId(), "#" + anchor.apply(run))
              : ReportPage.Cell.text(run.runId()));
      cells.add(ReportPage.Cell.text(Axes.display(Axes.CONTENT, run.content())));
      cells.add(ReportPage.Cell.text(Axes.display(Axes.STYLE, run.style())));
      for (String parameter : varying) {
        cells.add(ReportPage.Cell.text(Axes.display(parameter, run.axis(parameter))));
      }
      if (promotedRuns) {
        cells.add(ReportPage.Cell.text(p.screeningRunId()));
      }
      cells.add(ReportPage.Cell.number(p.rank() == null ? "not ranked" : "#" + p.rank()));
      cells.add(
          ReportPage.Cell.number(
              p.objective() == null ? "-" : String.format("%.3f", p.objective())));
      if (!promotedRuns) {
        cells.add(
            Boolean.TRUE.equals(p.promoted())
                ? ReportPage.Cell.styled("promoted", "ok")
                : ReportPage.Cell.text(run.ok() ? "" : run.status()));
      }
      for (String m : measures) {
        Double v = run.quality().get(m);
        cells.add(ReportPage.Cell.number(v == null ? "-" : String.format("%.4f", v)));
      }
      cells.add(ReportPage.Cell.number(Integer.toString(run.evaluations())));
      rows.add(new ReportPage.Row(cells));
    }
    long promoted =
        runs.stream().filter(r -> Boolean.TRUE.equals(places.get(r.runId()).promoted())).count();
    String size = sizes(runs);
    String caption =
        promotedRuns
            ? "Promoted runs at the sweep's own size ("
                + size
                + "): "
                + runs.size()
                + " runs, with the rank and objective that promoted them"
            : "Round "
                + round
                + " ("
                + size
                + "): "
                + runs.size()
                + " runs, "
                + promoted
                + " promoted";
    return new ReportPage.Table(caption, headers, rows);
  }

  /** {@code 64 px, 25 evaluations} (the round's, from its runs). */
  private static String sizes(List<RunRow> runs) {
    Set<String> s =
        runs.stream()
            .map(
                r ->
                    Axes.display(Params.IMAGE_SIZE.key(), r.axis(Params.IMAGE_SIZE.key()))
                        + " px, "
                        + Axes.display(Params.STEPS.key(), r.axis(Params.STEPS.key()))
                        + " evaluations")
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    return String.join("; ", s);
  }

  /**
   * The objective of the effective manifest's {@code halving} block, e.g. {@code 1 x
   * quality_content_feature + 1 x quality_style_gram}, or null when the folder has none.
   */
  static String objectiveOf(
      org.apache.hadoop.fs.Path manifest, org.apache.hadoop.conf.Configuration conf) {
    try {
      if (!org.stylesweep.common.HadoopFiles.exists(manifest, conf)) {
        return null;
      }
      com.fasterxml.jackson.databind.JsonNode objective =
          new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
              .readTree(org.stylesweep.common.HadoopFiles.readAll(manifest, conf))
              .path("halving")
              .path("objective");
      if (!objective.isObject()) {
        return null;
      }
      List<String> terms = new ArrayList<>();
      objective
          .fields()
          .forEachRemaining(
              e ->
                  terms.add(
                      e.getValue().decimalValue().stripTrailingZeros().toPlainString()
                          + " x "
                          + e.getKey()));
      return String.join(" + ", terms);
    } catch (java.io.IOException | RuntimeException e) {
      return null; // the section then names no objective; the ranks and values still stand
    }
  }
}
