package org.stylesweep.spec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A multi-scale schedule (coarse to fine; neural-style's multires scripts, Gatys et al. 2017 Sec.
 * 5): the value of the {@code stages} run parameter. Each stage is spelled {@code SIZE:STEPS},
 * optionally followed by {@code :style_scale=X} and {@code :lbfgs_history=N} for that stage, e.g.
 * {@code 256:200,512:100:lbfgs_history=20}. Sizes rise strictly; the last stage is the result, so
 * its size is the run's {@code image_size} (checked by {@link RunParamsCheck}). Stage k starts from
 * stage k−1's result upsampled bicubically. The empty list is a single-scale run ({@code
 * image_size} for {@code steps} evaluations).
 */
public final class Stages {
  private Stages() {}

  /**
   * One stage.
   *
   * @param size the longest side in pixels
   * @param steps loss evaluations of this stage
   * @param styleScale this stage's {@code style_scale}, or null for the run's
   * @param lbfgsHistory this stage's {@code lbfgs_history}, or null for the run's
   */
  public record Stage(int size, int steps, Double styleScale, Integer lbfgsHistory) {

    /** The canonical spelling, e.g. {@code 512:100:lbfgs_history=20}. */
    public String spelling() {
      StringBuilder s = new StringBuilder().append(size).append(':').append(steps);
      if (styleScale != null) {
        s.append(":style_scale=").append(number(styleScale));
      }
      if (lbfgsHistory != null) {
        s.append(":lbfgs_history=").append(lbfgsHistory);
      }
      return s.toString();
    }

    /** The run's parameters for this stage: its size, steps and overrides. */
    public RunParams apply(RunParams run) {
      RunParams p = run.with(Params.IMAGE_SIZE, size).with(Params.STEPS, steps);
      if (styleScale != null) {
        p = p.with(Params.STYLE_SCALE, styleScale);
      }
      if (lbfgsHistory != null) {
        p = p.with(Params.LBFGS_HISTORY, lbfgsHistory);
      }
      return p.with(Params.STAGES, List.of());
    }
  }

  /** How a schedule is written, for messages. */
  public static final String SPELLING =
      "SIZE:STEPS stages from small to large, e.g. \"256:200,512:100\" or [\"256:200\","
          + " \"512:100:style_scale=1.5:lbfgs_history=20\"]";

  /**
   * Parses and canonicalises a schedule: each element is one stage, or several separated by commas.
   *
   * @throws IllegalArgumentException naming the bad stage and how to write it
   */
  public static List<Stage> parse(List<String> spelled) {
    List<Stage> stages = new ArrayList<>();
    for (String element : spelled) {
      for (String part : element.split(",", -1)) {
        stages.add(parseOne(part.trim()));
      }
    }
    for (int i = 1; i < stages.size(); i++) {
      if (stages.get(i).size() <= stages.get(i - 1).size()) {
        throw new IllegalArgumentException(
            "stage sizes must rise from coarse to fine, but stage "
                + (i + 1)
                + " ("
                + stages.get(i).spelling()
                + ") is not larger than stage "
                + i
                + " ("
                + stages.get(i - 1).spelling()
                + ")");
      }
    }
    return List.copyOf(stages);
  }

  /** The canonical spelling of a schedule: one string per stage. */
  public static List<String> canonical(List<String> spelled) {
    return parse(spelled).stream().map(Stage::spelling).toList();
  }

  /** The stages of a run's parameters; empty for a single-scale run. */
  public static List<Stage> of(RunParams params) {
    return parse(params.get(Params.STAGES));
  }

  /** Total loss evaluations of a run: the stages' steps summed, or {@code steps}. */
  public static int totalSteps(RunParams params) {
    List<Stage> stages = of(params);
    return stages.isEmpty()
        ? params.get(Params.STEPS)
        : stages.stream().mapToInt(Stage::steps).sum();
  }

  /** The largest {@code style_scale × size} over the stages (the style side to decode). */
  public static double largestStyleSide(RunParams params) {
    double side = params.get(Params.STYLE_SCALE) * params.get(Params.IMAGE_SIZE);
    for (Stage s : of(params)) {
      double scale = s.styleScale() != null ? s.styleScale() : params.get(Params.STYLE_SCALE);
      side = Math.max(side, scale * s.size());
    }
    return side;
  }

  private static Stage parseOne(String text) {
    String[] fields = text.split(":", -1);
    if (text.isEmpty() || fields.length < 2) {
      throw new IllegalArgumentException(
          "stage '" + text + "' is not SIZE:STEPS; write " + SPELLING);
    }
    int size = positive(fields[0], "size of stage '" + text + "'", Params.MAX_IMAGE_SIZE);
    int steps = positive(fields[1], "steps of stage '" + text + "'", 1_000_000);
    Double styleScale = null;
    Integer history = null;
    for (int i = 2; i < fields.length; i++) {
      String[] kv = fields[i].split("=", -1);
      String key = kv[0].trim();
      if (kv.length != 2) {
        throw new IllegalArgumentException(
            "stage '" + text + "': '" + fields[i] + "' is not style_scale=X or lbfgs_history=N");
      }
      if (key.equals(Params.STYLE_SCALE.key()) && styleScale == null) {
        styleScale = positiveNumber(kv[1], "style_scale of stage '" + text + "'");
      } else if (key.equals(Params.LBFGS_HISTORY.key()) && history == null) {
        history = positive(kv[1], "lbfgs_history of stage '" + text + "'", 10_000);
      } else {
        throw new IllegalArgumentException(
            "stage '"
                + text
                + "': unknown or repeated option '"
                + key
                + "'; a stage takes style_scale=X and lbfgs_history=N, once each");
      }
    }
    return new Stage(size, steps, styleScale, history);
  }

  private static int positive(String text, String what, int max) {
    try {
      int value = Integer.parseInt(text.trim().replace("_", ""));
      if (value <= 0 || value > max) {
        throw new IllegalArgumentException(what + " is " + value + "; it must be from 1 to " + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " '" + text.trim() + "' is not a whole number");
    }
  }

  private static double positiveNumber(String text, String what) {
    try {
      double value = Double.parseDouble(text.trim());
      if (!(value > 0) || !Double.isFinite(value)) {
        throw new IllegalArgumentException(what + " is " + text.trim() + "; it must be positive");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " '" + text.trim() + "' is not a number");
    }
  }

  private static String number(double value) {
    return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }

  /** A schedule as one line for logs: {@code 256:200 → 512:100}. */
  public static String describe(List<Stage> stages) {
    return String.join(" → ", stages.stream().map(Stage::spelling).toList())
        .toLowerCase(Locale.ROOT);
  }
}
