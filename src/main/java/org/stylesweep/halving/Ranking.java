package org.stylesweep.halving;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.spec.Halving;

/**
 * Ranks the runs of one screening round and picks the ones that go on.
 *
 * <p>Within each group (a content × style pair, or the whole sweep), each weighted quality column
 * is min-max normalised over the group's ranked runs to [0, 1], 0 the best ({@code
 * quality_content_ssim} enters as {@code 1 − SSIM}, so lower is better for every column); the
 * objective is the weighted mean of the normalised columns, in [0, 1]. The runs are ranked by
 * objective, ties in plan order, and the best {@link Halving.Round#keep keep(group size)} are
 * promoted. A FAILED run, or one without a weighted measure, is not ranked and never promoted.
 */
public final class Ranking {
  private Ranking() {}

  /**
   * A run of the round.
   *
   * @param runId its run id
   * @param group what it competes within (see {@link HalvingPlan#group})
   * @param ok true when it finished with an image
   * @param quality its quality measures by column; a missing column is absent or null
   */
  public record Candidate(String runId, String group, boolean ok, Map<String, Double> quality) {}

  /**
   * A run's place in its round.
   *
   * @param runId its run id
   * @param group what it competed within
   * @param rank 1 for the best of its group, or null when it was not ranked
   * @param objective its objective, or null when it was not ranked
   * @param promoted true when it goes on
   * @param note why it was not ranked, or null
   */
  public record Ranked(
      String runId, String group, Integer rank, Double objective, boolean promoted, String note) {}

  /**
   * The candidates ranked, in their given order.
   *
   * @param candidates the round's runs, in plan order
   * @param weights the objective's weight per quality column
   * @param round the round (how many go on)
   */
  public static List<Ranked> rank(
      List<Candidate> candidates, Map<String, Double> weights, Halving.Round round) {
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < candidates.size(); i++) {
      groups.computeIfAbsent(candidates.get(i).group(), g -> new ArrayList<>()).add(i);
    }
    Ranked[] out = new Ranked[candidates.size()];
    for (List<Integer> members : groups.values()) {
      List<Integer> valid = new ArrayList<>();
      for (int i : members) {
        Candidate c = candidates.get(i);
        String note = invalid(c, weights);
        if (note == null) {
          valid.add(i);
        } else {
          out[i] = new Ranked(c.runId(), c.group(), null, null, false, note);
        }
      }
      Map<String, double[]> range = new HashMap<>();
      weights.forEach(
          (column, w) -> {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i : valid) {
              double v = lowerIsBetter(column, candidates.get(i).quality().get(column));
              lo = Math.min(lo, v);
              hi = Math.max(hi, v);
            }
            range.put(column, new double[] {lo, hi});
          });
      double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
      Map<Integer, Double> objective = new HashMap<>();
      for (int i : valid) {
        double sum = 0;
        for (Map.Entry<String, Double> w : weights.entrySet()) {
          if (w.getValue() == 0) {
            continue;
          }
          double[] r = range.get(w.getKey());
          double v = lowerIsBetter(w.getKey(), candidates.get(i).quality().get(w.getKey()));
          // All equal: every run is as good as the best on this column.
          double norm = r[1] > r[0] ? (v - r[0]) / (r[1] - r[0]) : 0;
          sum += w.getValue() * norm;
        }
        objective.put(i, sum / total);
      }
      List<Integer> order = new ArrayList<>(valid);
      order.sort(Comparator.comparingDouble((Integer i) -> objective.get(i)).thenComparing(i -> i));
      int keep = round.keep(members.size());
      for (int place = 0; place < order.size(); place++) {
        int i = order.get(place);
        Candidate c = candidates.get(i);
        out[i] = new Ranked(c.runId(), c.group(), place + 1, objective.get(i), place < keep, null);
      }
    }
    return List.of(out);
  }

  /** Why a run cannot be ranked, or null when it can. */
  private static String invalid(Candidate c, Map<String, Double> weights) {
    if (!c.ok()) {
      return "FAILED";
    }
    for (Map.Entry<String, Double> w : weights.entrySet()) {
      Double v = c.quality().get(w.getKey());
      if (w.getValue() > 0 && (v == null || !Double.isFinite(v))) {
        return "no " + w.getKey();
      }
    }
    return null;
  }

  private static double lowerIsBetter(String column, Double value) {
    if (value == null) {
      return 0; // only for zero-weight columns, which do not count
    }
    return column.equals(Halving.HIGHER_IS_BETTER) ? 1 - value : value;
  }
}
