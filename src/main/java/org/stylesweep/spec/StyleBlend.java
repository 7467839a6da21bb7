package org.stylesweep.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A style that blends several images (neural-style's {@code -style} with commas and {@code
 * -style_blend_weights}): the style target of each layer is Σ_i w_i G_i with the weights of {@code
 * style_blend_weights} normalised to sum 1 ([] = equal weights). A blend travels through the sweep
 * (run specs, records, the metrics table, the report) as one style string, its members' URIs joined
 * by {@link #SEPARATOR}; a plain style is a blend of one.
 */
public final class StyleBlend {
  private StyleBlend() {}

  /** Joins the members of a blend in a style string; a member URI may not contain it. */
  public static final String SEPARATOR = " + ";

  /** The style string of a blend of these URIs (one URI: the URI itself). */
  public static String of(List<String> members) {
    return String.join(SEPARATOR, members);
  }

  /** The member URIs of a style string: one for a plain style. */
  public static List<String> members(String style) {
    return style == null
        ? List.of()
        : List.of(style.split(java.util.regex.Pattern.quote(SEPARATOR)));
  }

  /** Whether a style string blends more than one image. */
  public static boolean isBlend(String style) {
    return style != null && style.contains(SEPARATOR);
  }

  /**
   * The normalised weights of a blend of {@code n} images: {@code weights} divided by their sum, or
   * 1/n each for [] (and always {1} for one image, whose weights are ignored).
   *
   * @throws IllegalArgumentException when a blend gets a different number of weights, or all are 0
   */
  public static double[] normalized(List<Double> weights, int n) {
    double[] result = new double[n];
    if (n == 1) {
      result[0] = 1;
      return result;
    }
    if (weights.isEmpty()) {
      Arrays.fill(result, 1.0 / n);
      return result;
    }
    if (weights.size() != n) {
      throw new IllegalArgumentException(problem(weights, n));
    }
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("style_blend_weights are all 0; give one weight > 0");
    }
    for (int i = 0; i < n; i++) {
      result[i] = weights.get(i) / sum;
    }
    return result;
  }

  /** Why these weights do not fit a blend of n images, or null. */
  public static String problem(List<Double> weights, int n) {
    if (n <= 1 || weights.isEmpty() || weights.size() == n) {
      return null;
    }
    return "has "
        + weights.size()
        + " weights for a blend of "
        + n
        + " style images; give one per image or [] for equal weights";
  }

  /** The members' short names joined by " + ", for labels. */
  public static String label(String style, java.util.function.UnaryOperator<String> name) {
    List<String> names = new ArrayList<>();
    members(style).forEach(m -> names.add(name.apply(m)));
    return String.join(SEPARATOR, names);
  }
}
