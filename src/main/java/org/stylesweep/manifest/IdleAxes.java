package org.stylesweep.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.OptimizerKind;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Task;

/**
 * Sweep axes that cannot change any run, so that every value computes the same result: {@code seed}
 * when no run starts from noise (the seed only draws the noise of {@code init: noise}), the style
 * parameters for {@code task: reconstruct} (no style loss), the content parameters for {@code task:
 * texture} (no content loss), {@code line_search} when every run uses Adam. {@code validate} and
 * {@code run} print one warning per such axis; the runs still run (their ids differ).
 */
public final class IdleAxes {
  private IdleAxes() {}

  private static final Set<String> STYLE_ONLY =
      Set.of(
          Params.STYLE_LAYERS.key(),
          Params.STYLE_LAYER_WEIGHTS.key(),
          Params.STYLE_WEIGHT.key(),
          Params.STYLE_SCALE.key(),
          Params.GRAM_NORM.key());
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
              } else if (key.equals(Params.LINE_SEARCH.key())
                  && !values(m, Params.OPTIMIZER).contains(OptimizerKind.LBFGS)) {
                why =
                    "line_search applies to L-BFGS only, and every run uses adam. Remove the axis";
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
