package org.stylesweep.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.stylesweep.spec.ColorControl;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.OptimizerKind;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Spatial;
import org.stylesweep.spec.StyleBlend;
import org.stylesweep.spec.Task;

/**
 * Sweep axes that cannot change any run, so that every value computes the same result: {@code seed}
 * when no run starts from noise (the seed only draws the noise of {@code init: noise}), the style
 * parameters for {@code task: reconstruct} (no style loss), the content parameters for {@code task:
 * texture} (no content loss), {@code line_search} and {@code lbfgs_history} when every run uses
 * Adam, {@code color_match} without {@code color_control: match_histogram}, {@code
 * style_blend_weights} without a blend, {@code mask_propagation} without regions, {@code
 * histogram_layers} with the histogram loss off, {@code steps} when every run has {@code stages}.
 * {@code validate} and {@code run} print one warning per such axis; the runs still run (their ids
 * differ).
 */
public final class IdleAxes {
  private IdleAxes() {}

  private static final Set<String> STYLE_ONLY =
      Set.of(
          Params.STYLE_LAYERS.key(),
          Params.STYLE_LAYER_WEIGHTS.key(),
          Params.STYLE_WEIGHT.key(),
          Params.STYLE_SCALE.key(),
          Params.GRAM_NORM.key(),
          Params.STYLE_BLEND_WEIGHTS.key(),
          Params.MASK_PROPAGATION.key(),
          Params.HISTOGRAM_WEIGHT.key(),
          Params.HISTOGRAM_LAYERS.key());
  private static final Set<String> CONTENT_ONLY =
      Set.of(Params.CONTENT_LAYERS.key(), Params.CONTENT_WEIGHT.key(), Params.CONTENT_LOSS.key());

  /** One warning per idle axis, naming it and why; empty when every axis can matter. */
  public static List<String> warnings(Manifest m) {
    List<String> warnings = new ArrayList<>();
    m.sweep()
        .forEach(
            (key, values) -> {
              if (values.size() < 2) {
                return;
              }
              String why = null;
              if (key.equals(Params.SEED.key()) && !values(m, Params.INIT).contains(Init.NOISE)) {
                why =
                    "seed only draws the noise of init: noise, and every run starts from init "
                        + values(m, Params.INIT).stream()
                            .map(v -> ((Init) v).key())
                            .collect(Collectors.joining(" or "))
                        + ". Remove the axis, or sweep init: [content, noise] (or set defaults.init: noise)";
              } else if (m.task() == Task.RECONSTRUCT && STYLE_ONLY.contains(key)) {
                why =
                    key
                        + " applies to the style loss, and task reconstruct has none. Remove the axis";
              } else if (m.task() == Task.TEXTURE && CONTENT_ONLY.contains(key)) {
                why =
                    key
                        + " applies to the content loss, and task texture has none. Remove the axis";
              } else if ((key.equals(Params.LINE_SEARCH.key())
                      || key.equals(Params.LBFGS_HISTORY.key()))
                  && !values(m, Params.OPTIMIZER).contains(OptimizerKind.LBFGS)) {
                why = key + " applies to L-BFGS only, and every run uses adam. Remove the axis";
              } else if (key.equals(Params.COLOR_MATCH.key())
                  && !values(m, Params.COLOR_CONTROL).contains(ColorControl.MATCH_HISTOGRAM)) {
                why =
                    "color_match is the map of color_control: match_histogram, which no run uses."
                        + " Remove the axis, or sweep color_control";
              } else if (key.equals(Params.STYLE_BLEND_WEIGHTS.key())
                  && m.styles().stream().noneMatch(StyleBlend::isBlend)) {
                why =
                    "style_blend_weights weighs the images of a blended style ({blend: [...]}), and"
                        + " no style is a blend. Remove the axis, or make a style a blend";
              } else if (key.equals(Params.MASK_PROPAGATION.key())
                  && m.styles().stream().noneMatch(Spatial::isRegionStyle)) {
                why =
                    "mask_propagation carries region masks to the layers, and no style assigns"
                        + " regions. Remove the axis, or give contents regions";
              } else if (key.equals(Params.STEPS.key())
                  && values(m, Params.STAGES).stream().noneMatch(v -> ((List<?>) v).isEmpty())) {
                why =
                    "with stages every run takes its evaluations from its schedule (SIZE:STEPS)."
                        + " Remove the axis, or sweep stages";
              } else if (key.equals(Params.HISTOGRAM_LAYERS.key())
                  && values(m, Params.HISTOGRAM_WEIGHT).stream().allMatch(w -> ((Double) w) == 0)) {
                why =
                    "histogram_layers applies to the histogram loss, and histogram_weight is 0 in"
                        + " every run. Remove the axis, or set histogram_weight";
              }
              if (why != null) {
                warnings.add(
                    "warning: the sweep axis "
                        + key
                        + " ("
                        + values.size()
                        + " values) cannot change any run: "
                        + why
                        + "; as written, the "
                        + values.size()
                        + " values compute identical results.");
              }
            });
    return warnings;
  }

  /** The values a parameter takes over the sweep: its axis, else its default. */
  private static List<Object> values(Manifest m, Param<?> p) {
    List<Object> swept = m.sweep().get(p.key());
    return swept != null ? swept : List.of(m.defaults().get(p));
  }
}
