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
 * For the feed-forward tasks: the optimisation keys ({@code optimizer}, {@code lr}, {@code init},
 * ...) for a training, the keys of the other network, and the {@code train_*} keys for an
 * optimisation sweep; a training's {@code seed} is never idle. {@code validate} and {@code run}
 * print one warning per such axis; the runs still run (their ids differ).
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

  /** What optimising pixels takes and a training (Adam on a network's weights) ignores. */
  private static final Set<String> OPTIMISATION_ONLY =
      Set.of(
          Params.OPTIMIZER.key(),
          Params.LINE_SEARCH.key(),
          Params.LR.key(),
          Params.LBFGS_HISTORY.key(),
          Params.INIT.key(),
          Params.CLAMP.key());

  /** The keys only the feed-forward trainings read. */
  private static final Set<String> TRAINING_ONLY =
      Set.of(
          Params.TRAIN_WIDTH.key(),
          Params.TRAIN_RESIDUAL_BLOCKS.key(),
          Params.TRAIN_KERNEL.key(),
          Params.TRAIN_BATCH_SIZE.key(),
          Params.TRAIN_CROP.key(),
          Params.TRAIN_LR.key(),
          Params.TRAIN_CONTENT_LAYERS.key(),
          Params.TRAIN_STYLE_LAYERS.key(),
          Params.CHECKPOINT_EVERY.key(),
          Params.TEXTURE_SCALES.key(),
          Params.TEXTURE_CHANNELS.key());

  /**
   * Why a feed-forward task (or an optimisation task, for the train_* keys) ignores {@code key}, or
   * null when it reads it.
   */
  static String feedForwardIdle(Task task, String key) {
    boolean training = task == Task.TRAIN_STYLE || task == Task.TRAIN_TEXTURE;
    if (training && OPTIMISATION_ONLY.contains(key)) {
      return key
          + " applies to optimisation runs, and task "
          + task.key()
          + " trains a network with Adam at train_lr. Remove the axis";
    }
    if (!task.feedForward() && TRAINING_ONLY.contains(key)) {
      return key
          + " applies to task train_style or train_texture, and this sweep is task "
          + task.key()
          + ". Remove the axis";
    }
    boolean styleNet =
        Set.of(
                Params.TRAIN_WIDTH.key(),
                Params.TRAIN_RESIDUAL_BLOCKS.key(),
                Params.TRAIN_KERNEL.key(),
                Params.TRAIN_CROP.key(),
                Params.TRAIN_CONTENT_LAYERS.key(),
                Params.TRAIN_STYLE_LAYERS.key())
            .contains(key);
    if (task == Task.TRAIN_STYLE
        && (key.equals(Params.CONTENT_LAYERS.key()) || key.equals(Params.STYLE_LAYERS.key()))) {
      return key
          + " is not read by task train_style (its layers are train_content_layers and"
          + " train_style_layers). Remove the axis";
    }
    if (task == Task.TRAIN_STYLE
        && (key.equals(Params.TEXTURE_SCALES.key()) || key.equals(Params.TEXTURE_CHANNELS.key()))) {
      return key + " shapes a texture network (task train_texture). Remove the axis";
    }
    if (task == Task.TRAIN_TEXTURE && (styleNet || CONTENT_ONLY.contains(key))) {
      return key
          + " is not read by task train_texture (a texture network, no content). Remove the axis";
    }
    return null;
  }

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
              if (feedForwardIdle(m.task(), key) != null) {
                why = feedForwardIdle(m.task(), key);
              } else if (key.equals(Params.SEED.key())
                  && m.task() != Task.TRAIN_STYLE // the seed draws the weights and the batches
                  && m.task() != Task.TRAIN_TEXTURE // and the noise of every step
                  && !values(m, Params.INIT).contains(Init.NOISE)) {
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
