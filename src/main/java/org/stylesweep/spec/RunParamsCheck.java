package org.stylesweep.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one validator of run parameters, used by the manifest parser (which adds field paths) and
 * asserted by the engine before a run starts. Two parts: each value against its key's own check
 * (the same parser that reads manifests, see {@link Param#parse}), and {@link #RULES} across keys.
 */
public final class RunParamsCheck {
  private RunParamsCheck() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A check across keys for one task.
   *
   * @param keys the parameters the check reads; a problem is reported at the last one
   * @param check the problem's message, or null when the combination is fine
   */
  public record Rule(List<Param<?>> keys, Check check) {

    /** The problem of this rule for a run, or null. */
    public ParamProblem apply(Task task, RunParams params) {
      String message = check.problem(task, params);
      if (message == null) {
        return null;
      }
      Param<?> at = keys.get(keys.size() - 1);
      return new ParamProblem(at.key(), Params.spelling(params.get(at)), message);
    }
  }

  /** The body of a {@link Rule}. */
  @FunctionalInterface
  public interface Check {
    /** What is wrong with this combination, or null. */
    String problem(Task task, RunParams params);
  }

  /** Every rule across keys. */
  public static final List<Rule> RULES =
      List.of(
          // Each overlap frame must lie in the previous chunk, so that it has a frame to blend
          // with.
          new Rule(
              List.of(Params.CHUNK_FRAMES, Params.CHUNK_OVERLAP),
              (task, p) ->
                  p.get(Params.CHUNK_OVERLAP) >= p.get(Params.CHUNK_FRAMES)
                      ? "chunk_overlap ("
                          + p.get(Params.CHUNK_OVERLAP)
                          + ") must be below chunk_frames ("
                          + p.get(Params.CHUNK_FRAMES)
                          + "): the overlap frames are the previous chunk's last frames; lower"
                          + " chunk_overlap or raise chunk_frames"
                      : null),
          new Rule(
              List.of(Params.CONTENT_LAYERS),
              (task, p) ->
                  task.usesContent() && p.get(Params.CONTENT_LAYERS).isEmpty()
                      ? "task " + task.key() + " needs at least one layer in content_layers"
                      : null),
          new Rule(
              List.of(Params.STYLE_LAYERS),
              (task, p) ->
                  task != Task.RECONSTRUCT && p.get(Params.STYLE_LAYERS).isEmpty()
                      ? "task " + task.key() + " needs at least one layer in style_layers"
                      : null),
          new Rule(
              List.of(Params.STYLE_LAYERS, Params.STYLE_LAYER_WEIGHTS),
              (task, p) -> {
                List<String> layers = p.get(Params.STYLE_LAYERS);
                List<Double> weights = p.get(Params.STYLE_LAYER_WEIGHTS);
                return task != Task.RECONSTRUCT
                        && task != Task.TRAIN_STYLE
                        && !weights.isEmpty()
                        && weights.size() != layers.size()
                    ? "has "
                        + weights.size()
                        + " weights for "
                        + layers.size()
                        + " style layers "
                        + layers
                        + "; give one per layer or [] for 1 each"
                    : null;
              }),
          new Rule(
              List.of(Params.TRAIN_STYLE_LAYERS, Params.STYLE_LAYER_WEIGHTS),
              (task, p) -> {
                List<String> layers = p.get(Params.TRAIN_STYLE_LAYERS);
                List<Double> weights = p.get(Params.STYLE_LAYER_WEIGHTS);
                if (task != Task.TRAIN_STYLE) {
                  return null;
                }
                if (layers.isEmpty() || p.get(Params.TRAIN_CONTENT_LAYERS).isEmpty()) {
                  return "task train_style needs at least one layer in train_content_layers and"
                      + " in train_style_layers";
                }
                return !weights.isEmpty() && weights.size() != layers.size()
                    ? "has "
                        + weights.size()
                        + " weights for "
                        + layers.size()
                        + " train_style_layers "
                        + layers
                        + "; give one per layer or [] for 1 each"
                    : null;
              }),
          new Rule(
              List.of(Params.TRAIN_KERNEL),
              (task, p) ->
                  p.get(Params.TRAIN_KERNEL) % 2 == 0
                      ? "must be odd (the network pads by kernel / 2 on each side); try "
                          + (p.get(Params.TRAIN_KERNEL) + 1)
                      : null),
          new Rule(
              List.of(Params.HISTOGRAM_WEIGHT, Params.HISTOGRAM_LAYERS),
              (task, p) ->
                  task != Task.RECONSTRUCT
                          && p.get(Params.HISTOGRAM_WEIGHT) > 0
                          && p.get(Params.HISTOGRAM_LAYERS).isEmpty()
                      ? "histogram_weight "
                          + Params.spelling(p.get(Params.HISTOGRAM_WEIGHT))
                          + " needs at least one layer in histogram_layers"
                      : null),
          new Rule(
              List.of(Params.IMAGE_SIZE, Params.STYLE_SCALE),
              (task, p) -> {
                double side = p.get(Params.STYLE_SCALE) * p.get(Params.IMAGE_SIZE);
                return task != Task.RECONSTRUCT && side > Params.MAX_IMAGE_SIZE
                    ? String.format(
                        Locale.ROOT,
                        "style_scale %s x image_size %d is a %.0f px style image; at most %d pixels",
                        Params.spelling(p.get(Params.STYLE_SCALE)),
                        p.get(Params.IMAGE_SIZE),
                        side,
                        Params.MAX_IMAGE_SIZE)
                    : null;
              }),
          new Rule(
              List.of(Params.INIT),
              (task, p) -> {
                Init init = p.get(Params.INIT);
                if (init == Init.CONTENT
                    && task == Task.TEXTURE) { // train_texture draws its own noise
                  return "task texture has no content image to start from; use noise or style";
                }
                if (init == Init.STYLE && task == Task.RECONSTRUCT) {
                  return "task reconstruct has no style image to start from; use noise or content";
                }
                return null;
              }),
          new Rule(
              List.of(Params.COLOR_CONTROL),
              (task, p) ->
                  p.get(Params.COLOR_CONTROL) != ColorControl.NONE && task != Task.TRANSFER
                      ? "needs task transfer (a content and a style image); task "
                          + task.key()
                          + " takes color_control: none"
                      : null),
          new Rule(List.of(Params.IMAGE_SIZE, Params.STAGES), RunParamsCheck::stagesProblem),
          // Feed-forward runs would silently ignore these; refuse them before anything runs.
          new Rule(
              List.of(Params.STAGES),
              (task, p) ->
                  task.feedForward() && !p.get(Params.STAGES).isEmpty()
                      ? "task "
                          + task.key()
                          + " works at one size ("
                          + (task == Task.TRAIN_STYLE ? "train_crop" : "image_size")
                          + "); multi-scale stages are for optimisation runs: remove stages"
                      : null),
          new Rule(
              List.of(Params.HISTOGRAM_WEIGHT),
              (task, p) ->
                  task.feedForward() && p.get(Params.HISTOGRAM_WEIGHT) > 0
                      ? "task "
                          + task.key()
                          + " has no histogram loss (optimisation runs do): set histogram_weight"
                          + " to 0, or use task "
                          + (task == Task.TRAIN_TEXTURE ? "texture" : "transfer")
                      : null),
          new Rule(
              List.of(Params.STYLE_BLEND_WEIGHTS),
              (task, p) -> {
                List<Double> weights = p.get(Params.STYLE_BLEND_WEIGHTS);
                return !weights.isEmpty() && weights.stream().allMatch(w -> w == 0)
                    ? "the weights are all 0; give at least one weight > 0"
                    : null;
              }));

  /**
   * A schedule's last stage is the result, so it has {@code image_size}; each stage's style image
   * obeys the same 4096 px bound as a single-scale run's.
   */
  private static String stagesProblem(Task task, RunParams p) {
    List<Stages.Stage> stages = Stages.of(p);
    if (stages.isEmpty()) {
      return null;
    }
    Stages.Stage last = stages.get(stages.size() - 1);
    if (last.size() != p.get(Params.IMAGE_SIZE)) {
      return "the last stage ("
          + last.spelling()
          + ") is the result, so its size must be image_size ("
          + p.get(Params.IMAGE_SIZE)
          + "); end the schedule with "
          + p.get(Params.IMAGE_SIZE)
          + ":STEPS or set image_size to "
          + last.size();
    }
    double side = Stages.largestStyleSide(p);
    if (task != Task.RECONSTRUCT && side > Params.MAX_IMAGE_SIZE) {
      return String.format(
          Locale.ROOT,
          "a stage's style_scale x size is a %.0f px style image; at most %d pixels",
          side,
          Params.MAX_IMAGE_SIZE);
    }
    return null;
  }

  /** Every problem of one run's parameters for a task, in table order, then the rules' problems. */
  public static List<ParamProblem> problems(Task task, RunParams params) {
    List<ParamProblem> problems = new ArrayList<>();
    for (Param<?> p : Params.ALL) {
      Object spelled = Params.spelling(params.get(p));
      try {
        p.parse(JSON.valueToTree(spelled));
      } catch (IllegalArgumentException e) {
        problems.add(new ParamProblem(p.key(), spelled, e.getMessage()));
      }
    }
    for (Rule rule : RULES) {
      ParamProblem problem = rule.apply(task, params);
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }
}
