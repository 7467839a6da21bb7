package org.stylesweep.halving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.manifest.RunIds;
import org.stylesweep.manifest.SweepPlan;
import org.stylesweep.spec.Halving;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunSpec;

/**
 * The runs of a halving sweep's rounds and their planned compute. A screening run is its setting's
 * run with the round's {@code image_size} and {@code steps}, under its own run id (so it is a run
 * of its own, with a record and a metrics row); the runs promoted from the last round are the
 * sweep's own runs, with the run ids a plain sweep of the same manifest would give them.
 */
public final class HalvingPlan {
  private HalvingPlan() {}

  /**
   * The screening run of {@code full} in {@code round}: single-scale at the round's size and steps
   * (a multi-scale setting's stages end at its full size, so they are screened without them).
   */
  public static RunSpec screening(SweepPlan plan, RunSpec full, Halving.Round round) {
    RunParams params =
        full.params()
            .with(Params.IMAGE_SIZE, round.imageSize())
            .with(Params.STEPS, round.steps())
            .with(Params.STAGES, List.of());
    String id =
        RunIds.of(
            full.task(),
            full.model(),
            full.content() == null ? null : plan.inputSha256().get(full.content()),
            full.style() == null ? null : plan.inputSha256().get(full.style()),
            params);
    return new RunSpec(
        id, full.sweep(), full.task(), full.content(), full.style(), full.model(), params);
  }

  /** What a run competes within: its content × style pair, or the whole sweep. */
  public static String group(Halving.Scope within, String content, String style) {
    return within == Halving.Scope.SWEEP ? "sweep" : content + " x " + style;
  }

  /**
   * The planned compute of a halving sweep against the full sweep, in evaluations × image_size²
   * (the pixels of a square result; an input's aspect ratio scales its screening and full runs
   * alike).
   *
   * @param settings runs of the full sweep
   * @param roundRuns runs of each screening round, then the promoted runs at full size (last)
   * @param roundCost compute of each entry of {@code roundRuns}
   * @param fullCost compute of the full sweep
   */
  public record Budget(
      long settings, List<Long> roundRuns, List<Double> roundCost, double fullCost) {

    /** Compute of the halving sweep, every round and the promoted runs. */
    public double halvingCost() {
      return roundCost.stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Halving's compute over the full sweep's. */
    public double ratio() {
      return fullCost == 0 ? 0 : halvingCost() / fullCost;
    }

    /** Runs of every round and the promoted ones. */
    public long totalRuns() {
      return roundRuns.stream().mapToLong(Long::longValue).sum();
    }
  }

  /** The planned budget: at most {@code keep} runs of each group go on after each round. */
  public static Budget budget(SweepPlan plan) {
    Halving halving = plan.manifest().halving();
    int fullSize = plan.manifest().defaults().get(Params.IMAGE_SIZE);
    int fullSteps = plan.manifest().defaults().get(Params.STEPS);
    Map<String, Integer> groups = new LinkedHashMap<>();
    for (RunSpec run : plan.runs()) {
      groups.merge(group(halving.within(), run.content(), run.style()), 1, Integer::sum);
    }
    List<Long> runs = new ArrayList<>();
    List<Double> cost = new ArrayList<>();
    for (Halving.Round round : halving.rounds()) {
      long n = groups.values().stream().mapToLong(Integer::longValue).sum();
      runs.add(n);
      cost.add(n * pixelEvaluations(round.imageSize(), round.steps()));
      groups.replaceAll((g, size) -> round.keep(size));
    }
    long promoted = groups.values().stream().mapToLong(Integer::longValue).sum();
    runs.add(promoted);
    cost.add(promoted * pixelEvaluations(fullSize, fullSteps));
    return new Budget(
        plan.runs().size(), runs, cost, plan.runs().size() * pixelEvaluations(fullSize, fullSteps));
  }

  private static double pixelEvaluations(int size, int steps) {
    return (double) size * size * steps;
  }

  /** The plan's halving lines for {@code validate} and {@code run}, label then text. */
  public static List<String[]> describe(SweepPlan plan) {
    Halving halving = plan.manifest().halving();
    Budget budget = budget(plan);
    List<String[]> lines = new ArrayList<>();
    lines.add(
        new String[] {
          "halving",
          "rank within "
              + (halving.within() == Halving.Scope.PAIR ? "each content x style pair" : "the sweep")
              + " by "
              + halving.objectiveText()
        });
    for (int r = 0; r < halving.rounds().size(); r++) {
      Halving.Round round = halving.rounds().get(r);
      lines.add(
          new String[] {
            "",
            String.format(
                "round %d: %d runs at %d px, %d evaluations, promote %s per %s: %s pixel-evaluations",
                r + 1,
                budget.roundRuns().get(r),
                round.imageSize(),
                round.steps(),
                round.promoteSpelling(),
                halving.within() == Halving.Scope.PAIR ? "pair" : "sweep",
                sci(budget.roundCost().get(r)))
          });
    }
    int last = budget.roundRuns().size() - 1;
    lines.add(
        new String[] {
          "",
          String.format(
              "final:   %d promoted runs at %d px, %d evaluations: %s pixel-evaluations",
              budget.roundRuns().get(last),
              plan.manifest().defaults().get(Params.IMAGE_SIZE),
              plan.manifest().defaults().get(Params.STEPS),
              sci(budget.roundCost().get(last)))
        });
    lines.add(
        new String[] {
          "",
          String.format(
              "compute: %s pixel-evaluations (image_size² x steps) = %.0f%% of the full sweep's %s"
                  + " (%d runs at full size); %d runs in all",
              sci(budget.halvingCost()),
              100 * budget.ratio(),
              sci(budget.fullCost()),
              budget.settings(),
              budget.totalRuns())
        });
    return lines;
  }

  private static String sci(double v) {
    return String.format("%.3g", v);
  }
}
