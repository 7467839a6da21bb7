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
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.ParamProblem;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunParamsCheck;
import org.stylesweep.spec.Task;

/**
 * One run end to end (Gatys et al. 2015, as the PyTorch neural-style tutorial): resize the inputs,
 * compute the targets once without gradient, build the initial image, minimize the objective over
 * its pixels, clamp and return the image with the loss history and timings.
 *
 * <p><b>Sizes.</b> The result's longest side is {@code image_size}; it has the content image's
 * aspect ratio, or is square when there is no content image (texture). The style image is resized
 * to longest side {@code round(style_scale · image_size)} and keeps its own aspect ratio. Images
 * already at the target size are used as they are.
 *
 * <p><b>Failures.</b> {@link #run} does not throw for bad input or numerical trouble: parameter
 * problems (see {@link #problems}), missing images, weights that do not reach a requested layer, a
 * NaN or infinite loss (named by its evaluation index) and any other exception become a {@link
 * TransferResult} whose {@code error} says what went wrong, and whose stop reason says how far the
 * run got ({@code rejected} before the optimizer started, {@code non_finite_loss}, {@code error};
 * see {@link TransferRun}). Only a null model, params or listener (a programming error) and JVM
 * errors such as {@link OutOfMemoryError} propagate.
 *
 * <p><b>Stages.</b> With {@code stages} set, a run is a chain of runs from coarse to fine, each
 * starting from the last one's result upsampled (see {@link MultiScale}).
 *
 * <p><b>Structure.</b> {@link TransferRun} holds the steps; {@link TransferObjective} is the pure
 * sum of the weighted {@link LossTerm}s; {@link RunMonitor} records the losses, reports progress
 * and keeps the best point beside it.
 *
 * <p><b>Memory.</b> All arrays of a run live in one manager closed when the run ends; the targets
 * are computed in a sub-manager from which only the targets escape; each evaluation works in its
 * own sub-manager (see {@link TransferObjective}).
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
   * @param listener receives progress every {@link ProgressListener#every()} evaluations and at the
   *     end
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
    return runBlend(
        model,
        normalization,
        task,
        content,
        style == null ? List.of() : List.of(style),
        params,
        listener);
  }

  /**
   * Runs one transfer or texture synthesis whose style is a blend of several images: the style
   * target of each layer is Σ_i w_i G_i with {@code style_blend_weights} normalised to sum 1 (equal
   * weights for []). One image is the plain {@link #run}.
   *
   * @param styles the style images of the blend (empty for reconstruct)
   */
  public static TransferResult runBlend(
      Vgg19 model,
      Normalization normalization,
      Task task,
      BufferedImage content,
      List<BufferedImage> styles,
      RunParams params,
      ProgressListener listener) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(listener, "listener");
    return MultiScale.run(
        task,
        params,
        listener,
        (p, l) -> new TransferRun(model, normalization, task, content, styles, p, l));
  }

  /**
   * {@link #runBlend} evaluated together with the other runs of a batch (see {@link
   * EvaluationBatch}): call it on a thread of its own for each seat of the batch. The result is
   * that of the run alone, up to the rounding of a batched network pass. The seat is left when the
   * run ends, however it ends.
   *
   * @param seat this run's seat in the batch
   */
  public static TransferResult runBlend(
      Vgg19 model,
      Normalization normalization,
      Task task,
      BufferedImage content,
      List<BufferedImage> styles,
      RunParams params,
      ProgressListener listener,
      EvaluationBatch.Seat seat) {
    Objects.requireNonNull(seat, "seat");
    try {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(params, "params");
      Objects.requireNonNull(listener, "listener");
    } catch (NullPointerException e) {
      seat.leave();
      throw e;
    }
    return new TransferRun(model, normalization, task, content, styles, params, listener)
        .inBatch(seat)
        .execute();
  }

  /**
   * Runs one frame of a temporal video run (Ruder et al. 2016): a transfer whose objective adds
   * {@code temporal_weight ·} the temporal loss against each of the guide's warped earlier frames,
   * started from the guide's initial image (when it has one). With an empty guide and no init it is
   * exactly {@link #run}.
   */
  public static TransferResult runTemporal(
      Vgg19 model,
      Normalization normalization,
      BufferedImage content,
      BufferedImage style,
      RunParams params,
      TemporalGuide guide,
      ProgressListener listener) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(listener, "listener");
    return new TransferRun(
            model, normalization, Task.TRANSFER, content, List.of(style), params, listener)
        .withTemporal(guide)
        .execute();
  }

  /**
   * Runs a transfer with spatial control (Gatys et al. 2017, Sec. 4): each region's style is
   * matched by guided Gram matrices under its mask ({@code mask_propagation}); pixels in no region
   * take {@code plainStyle}, or no style when it is null.
   */
  public static TransferResult runGuided(
      Vgg19 model,
      Normalization normalization,
      BufferedImage content,
      BufferedImage plainStyle,
      List<Region> regions,
      RunParams params,
      ProgressListener listener) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(listener, "listener");
    List<BufferedImage> styles = new java.util.ArrayList<>();
    if (plainStyle != null) {
      styles.add(plainStyle);
    } else if (!regions.isEmpty()) {
      styles.add(regions.get(0).style()); // for init: style; the plain remainder is skipped below
    }
    return MultiScale.run(
        Task.TRANSFER,
        params,
        listener,
        (p, l) ->
            new TransferRun(
                model,
                normalization,
                Task.TRANSFER,
                content,
                styles,
                regions,
                p,
                l,
                plainStyle != null));
  }

  /**
   * Why an image is too thin for the deepest of the layers (each 2×2 pooling before a layer halves
   * the image; below 1 px libtorch fails with "Output size is too small"), or null when it fits.
   * {@code image} is null for the result of a run without a content image (texture), whose size is
   * {@code image_size} square.
   */
  static String tooThin(
      String what, BufferedImage image, int[] size, List<VggLayers.Layer> layers) {
    int pools = 0;
    String deepest = null;
    for (VggLayers.Layer layer : layers) {
      int before = 0;
      for (int block = 1; block <= 5; block++) {
        if (VggLayers.resolve("pool" + block).featureIndex() <= layer.featureIndex()) {
          before++;
        }
      }
      if (deepest == null || before > pools) {
        pools = before;
        deepest = layer.name();
      }
    }
    int need = 1 << pools;
    int side = Math.min(size[0], size[1]);
    if (deepest == null || side >= need) {
      return null;
    }
    String sizes =
        image == null
            ? size[0] + "x" + size[1] + " px, image_size " + Math.max(size[0], size[1])
            : image.getWidth()
                + "x"
                + image.getHeight()
                + " px, resized to "
                + size[0]
                + "x"
                + size[1];
    return what
        + " ("
        + sizes
        + ") is too thin for layer "
        + deepest
        + ", which lies behind "
        + pools
        + " 2x2 poolings: its shorter side"
        + " must be at least "
        + need
        + " px after resizing. Use a less elongated image, a larger image_size,"
        + " or shallower layers.";
  }

  /**
   * Checks the parameters of a run without touching images or weights, so that a sweep can refuse
   * bad input before any work starts.
   *
   * @return one sentence per problem, naming the field and value; empty when the run can start
   */
  public static List<String> problems(Task task, RunParams params) {
    if (task == null) {
      return List.of("task is missing");
    }
    List<String> problems =
        new ArrayList<>(
            RunParamsCheck.problems(task, params).stream().map(ParamProblem::toString).toList());
    // Layer names are the model's vocabulary, which the parameter table does not know.
    checkLayerNames(Params.CONTENT_LAYERS.key(), params.get(Params.CONTENT_LAYERS), problems);
    checkLayerNames(Params.STYLE_LAYERS.key(), params.get(Params.STYLE_LAYERS), problems);
    checkLayerNames(Params.HISTOGRAM_LAYERS.key(), params.get(Params.HISTOGRAM_LAYERS), problems);
    return problems;
  }

  /** The optimizer a run's parameters ask for, with {@code steps} as its evaluation budget. */
  static Optimizer optimizer(RunParams params) {
    return switch (params.get(Params.OPTIMIZER)) {
      case LBFGS ->
          Lbfgs.builder()
              .lr(params.get(Params.LR))
              .lineSearch(params.get(Params.LINE_SEARCH))
              .historySize(params.get(Params.LBFGS_HISTORY))
              .maxEvaluations(params.get(Params.STEPS))
              .build();
      case ADAM ->
          Adam.builder().lr(params.get(Params.LR)).maxEvaluations(params.get(Params.STEPS)).build();
    };
  }

  private static void checkLayerNames(String field, List<String> layers, List<String> problems) {
    try {
      VggLayers.validate(layers);
    } catch (IllegalArgumentException e) {
      problems.add(field + ": " + e.getMessage());
    }
  }
}
