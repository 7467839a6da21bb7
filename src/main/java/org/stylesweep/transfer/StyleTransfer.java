package org.stylesweep.transfer;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.optim.Adam;
import org.stylesweep.optim.Lbfgs;
import org.stylesweep.optim.Optimizer;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

/**
 * One run end to end (Gatys et al. 2015, as the PyTorch neural-style tutorial): resize the
 * inputs, compute the targets once without gradient, build the initial image, minimize the
 * objective over its pixels, clamp and return the image with the loss history and timings.
 *
 * <p><b>Sizes.</b> The result's longest side is {@code image_size}; it has the content image's
 * aspect ratio, or is square when there is no content image (texture). The style image is resized
 * to longest side {@code round(style_scale · image_size)} and keeps its own aspect ratio. Images
 * already at the target size are used as they are.
 *
 * <p><b>Failures.</b> {@link #run} does not throw for bad input or numerical trouble: parameter
 * problems (see {@link #problems}), missing images, weights that do not reach a requested layer,
 * a NaN or infinite loss (named by its evaluation index) and any other exception become a
 * {@link TransferResult} whose {@code error} says what went wrong, and whose stop reason says how
 * far the run got ({@code rejected} before the optimizer started, {@code non_finite_loss}, {@code
 * error}; see {@link TransferRun}). Only a null model, params or listener (a programming error)
 * and JVM errors such as {@link OutOfMemoryError} propagate.
 *
 * <p><b>Structure.</b> {@link TransferRun} holds the steps; {@link TransferObjective} is the pure
 * sum of the weighted {@link LossTerm}s; {@link RunMonitor} records the losses, reports progress
 * and keeps the best point beside it.
 *
 * <p><b>Memory.</b> All arrays of a run live in one manager closed when the run ends; the
 * targets are computed in a sub-manager from which only the targets escape; each evaluation
 * works in its own sub-manager (see {@link TransferObjective}).
 */
public final class StyleTransfer {
  private StyleTransfer() {}

  /**
   * Runs one style transfer, content reconstruction or texture synthesis.
   *
   * @param model the network, possibly shared with other runs on other threads
   * @param normalization input normalization the weights expect
   * @param task transfer (content + style), reconstruct (content only) or texture (style only)
   * @param content the content image, or null for texture
   * @param style the style image, or null for reconstruct
   * @param params every run parameter
   * @param listener receives progress every {@link ProgressListener#every()} evaluations and at the end
   * @return the result; failed (with {@code error}) rather than thrown for bad input or a NaN loss
   */
  public static TransferResult run(
      Vgg19 model,
      Normalization normalization,
      Task task,
      BufferedImage content,
      BufferedImage style,
      RunParams params,
      ProgressListener listener) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(listener, "listener");
    return new TransferRun(model, normalization, task, content, style, params, listener).execute();
  }

  /**
   * Checks the parameters of a run without touching images or weights, so that a sweep can
   * refuse bad input before any work starts.
   *
   * @return one sentence per problem, naming the field and value; empty when the run can start
   */
  public static List<String> problems(Task task, RunParams params) {
    List<String> problems = new ArrayList<>();
    if (task == null) {
      problems.add("task is missing");
      return problems;
    }
    if (params.get(Params.IMAGE_SIZE) <= 0) {
      problems.add("image_size must be positive, got " + params.get(Params.IMAGE_SIZE));
    }
    if (!(params.get(Params.STYLE_SCALE) > 0) || Double.isInfinite(params.get(Params.STYLE_SCALE))) {
      problems.add("style_scale must be positive, got " + params.get(Params.STYLE_SCALE));
    }
    if (params.get(Params.STEPS) <= 0) {
      problems.add("steps must be positive, got " + params.get(Params.STEPS));
    }
    if (params.get(Params.OPTIMIZER) == null) {
      problems.add("optimizer is missing");
    }
    if (params.get(Params.LINE_SEARCH) == null) {
      problems.add("line_search is missing");
    }
    if (!(params.get(Params.LR) > 0) || Double.isInfinite(params.get(Params.LR))) {
      problems.add("lr must be positive, got " + params.get(Params.LR));
    }
    if (task != Task.TEXTURE) {
      checkLayers("content_layers", params.get(Params.CONTENT_LAYERS), problems);
    }
    if (task != Task.RECONSTRUCT) {
      checkLayers("style_layers", params.get(Params.STYLE_LAYERS), problems);
      List<Double> weights = params.get(Params.STYLE_LAYER_WEIGHTS);
      if (weights == null) {
        problems.add("style_layer_weights is missing");
      } else if (!weights.isEmpty() && params.get(Params.STYLE_LAYERS) != null && weights.size() != params.get(Params.STYLE_LAYERS).size()) {
        problems.add("style_layer_weights has " + weights.size() + " values for " + params.get(Params.STYLE_LAYERS).size()
            + " style_layers " + params.get(Params.STYLE_LAYERS) + "; give one weight per layer or none");
      } else {
        for (Double w : weights) {
          if (w == null || !Double.isFinite(w) || w < 0) {
            problems.add("style_layer_weights must be finite and non-negative, got " + w);
          }
        }
      }
    }
    checkWeight("content_weight", params.get(Params.CONTENT_WEIGHT), problems);
    checkWeight("style_weight", params.get(Params.STYLE_WEIGHT), problems);
    checkWeight("tv_weight", params.get(Params.TV_WEIGHT), problems);
    if (params.get(Params.GRAM_NORM) == null) {
      problems.add("gram_norm is missing");
    }
    if (params.get(Params.CONTENT_LOSS) == null) {
      problems.add("content_loss is missing");
    }
    if (params.get(Params.CLAMP) == null) {
      problems.add("clamp is missing");
    }
    if (params.get(Params.INIT) == null) {
      problems.add("init is missing");
    } else if (params.get(Params.INIT) == Init.CONTENT && task == Task.TEXTURE) {
      problems.add("init 'content' needs a content image, which task 'texture' does not have; use init: noise or style");
    } else if (params.get(Params.INIT) == Init.STYLE && task == Task.RECONSTRUCT) {
      problems.add("init 'style' needs a style image, which task 'reconstruct' does not have; use init: noise or content");
    }
    return problems;
  }

  /** The optimizer a run's parameters ask for, with {@code steps} as its evaluation budget. */
  static Optimizer optimizer(RunParams params) {
    return switch (params.get(Params.OPTIMIZER)) {
      case LBFGS -> Lbfgs.builder()
          .lr(params.get(Params.LR))
          .lineSearch(params.get(Params.LINE_SEARCH))
          .maxEvaluations(params.get(Params.STEPS))
          .build();
      case ADAM -> Adam.builder().lr(params.get(Params.LR)).maxEvaluations(params.get(Params.STEPS)).build();
    };
  }

  private static void checkLayers(String field, List<String> layers, List<String> problems) {
    if (layers == null || layers.isEmpty()) {
      problems.add(field + " is empty; name at least one VGG-19 layer, e.g. conv4_2");
      return;
    }
    try {
      VggLayers.validate(layers);
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
    }
  }

  private static void checkWeight(String field, double value, List<String> problems) {
    if (!Double.isFinite(value) || value < 0) {
      problems.add(field + " must be finite and non-negative, got " + value);
    }
  }
}
