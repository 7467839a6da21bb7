package org.stylesweep.spec;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Successive halving (the manifest's {@code halving} block): every setting of the sweep first runs
 * small and short (a screening round), the runs are ranked by {@link #objective} over their {@code
 * quality_*} measures, and only the best go on, to the next round and finally to the sweep's own
 * size and steps (Jamieson and Talwalkar 2016, "Non-stochastic best arm identification and
 * hyperparameter optimization", with restarts: each round computes its runs afresh).
 *
 * @param rounds the screening rounds, cheapest first; the promoted runs of the last one run at the
 *     sweep's own parameters
 * @param objective weight of each quality column in the objective (see {@link #objective}); lower
 *     objective is better
 * @param within what runs compete with each other
 */
public record Halving(List<Round> rounds, Map<String, Double> objective, Scope within)
    implements Serializable {

  /** Defensive copies, keeping the objective's order. */
  public Halving {
    rounds = List.copyOf(rounds);
    objective = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(objective));
  }

  /**
   * One screening round.
   *
   * @param imageSize the {@code image_size} of its runs
   * @param steps the {@code steps} of its runs
   * @param promoteCount how many runs of each group go on, or 0 when {@link #promoteFraction} says
   * @param promoteFraction the fraction (0 to 1, exclusive) of each group that goes on, rounded up,
   *     or 0 when {@link #promoteCount} says
   */
  public record Round(int imageSize, int steps, int promoteCount, double promoteFraction)
      implements Serializable {

    /** How many of {@code candidates} runs go on: at least 1, at most all of them. */
    public int keep(int candidates) {
      int k =
          promoteCount > 0
              ? promoteCount
              : (int) Math.ceil(promoteFraction * candidates - 1e-9); // 0.25 × 16 is 4, not 5
      return Math.max(1, Math.min(candidates, k));
    }

    /** The promote value as the manifest spells it: {@code 4} or {@code 0.25}. */
    public Object promoteSpelling() {
      return promoteCount > 0 ? (Object) promoteCount : (Object) promoteFraction;
    }
  }

  /** What competes: the runs of one content × style pair, or every run of the sweep. */
  public enum Scope {
    /** Each (content, style) pair ranks its own settings and promotes its own best. */
    PAIR,
    /** All runs rank together; the best of the whole sweep are promoted. */
    SWEEP;

    /** The manifest's spelling. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code pair} or {@code sweep}. */
    public static Scope parse(String text) {
      for (Scope s : values()) {
        if (s.key().equals(text.trim().toLowerCase(java.util.Locale.ROOT))) {
          return s;
        }
      }
      throw new IllegalArgumentException("expected pair or sweep");
    }
  }

  /**
   * The quality columns (names as in the metrics table, {@code quality_*}) a halving objective may
   * weigh, in table order. {@code quality_content_ssim} enters as {@code 1 − SSIM}, so that lower
   * is better for every column.
   */
  public static final List<String> COLUMNS =
      List.of(
          "quality_style_gram",
          "quality_style_wasserstein",
          "quality_content_feature",
          "quality_content_ssim",
          "quality_color_content",
          "quality_color_style");

  /** The column that is better when higher; it enters the objective as {@code 1 − value}. */
  public static final String HIGHER_IS_BETTER = "quality_content_ssim";

  /** The columns a task's runs have ({@code docs/numerics.md}, "Which runs"). */
  public static List<String> columnsOf(Task task) {
    return switch (task) {
      case TRANSFER -> COLUMNS;
      case TEXTURE ->
          List.of("quality_style_gram", "quality_style_wasserstein", "quality_color_style");
      case RECONSTRUCT ->
          List.of("quality_content_feature", "quality_content_ssim", "quality_color_content");
      // Feed-forward training and stylize runs have no quality measures: nothing to rank by.
      case TRAIN_STYLE, TRAIN_TEXTURE, STYLIZE -> List.of();
    };
  }

  /**
   * The objective when the manifest names none: content and style distance weighed equally for
   * transfer, the one that applies for texture and reconstruction.
   */
  public static Map<String, Double> defaultObjective(Task task) {
    Map<String, Double> weights = new LinkedHashMap<>();
    if (task != Task.RECONSTRUCT) {
      weights.put("quality_style_gram", 1.0);
    }
    if (task != Task.TEXTURE) {
      weights.put("quality_content_feature", 1.0);
    }
    return weights;
  }

  /** The objective as a person reads it, e.g. {@code 1 × quality_style_gram + 1 × ...}. */
  public String objectiveText() {
    StringBuilder s = new StringBuilder();
    objective.forEach(
        (column, weight) -> {
          if (s.length() > 0) {
            s.append(" + ");
          }
          String term = column.equals(HIGHER_IS_BETTER) ? "(1 - " + column + ")" : column;
          s.append(number(weight)).append(" x norm(").append(term).append(')');
        });
    return s.toString();
  }

  /** {@code 1} for 1.0, {@code 0.5} for 0.5. */
  private static String number(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
