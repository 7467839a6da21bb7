package org.stylesweep.transfer;

import org.stylesweep.spec.Params;
import org.stylesweep.spec.Clamp;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.Task;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.spec.RunParams;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.spec.Normalization;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.optim.Adam;
import org.stylesweep.optim.Lbfgs;
import org.stylesweep.optim.OptimResult;
import org.stylesweep.optim.Optimizer;
import org.stylesweep.optim.StopReason;

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
 * {@link TransferResult} whose {@code error} says what went wrong. Only a null model, params or
 * listener (a programming error) and JVM errors such as {@link OutOfMemoryError} propagate.
 *
 * <p><b>Memory.</b> All arrays of a run live in one manager closed in {@code finally}; the
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
    long start = System.nanoTime();
    String device = model.device().toString();
    LossHistory history = new LossHistory();
    List<String> problems = new ArrayList<>(problems(task, params));
    if (normalization == null) {
      problems.add("normalization is missing");
    }
    if (task != null && task != Task.TEXTURE && content == null) {
      problems.add("task '" + task.key() + "' needs a content image, but none was given");
    }
    if (task != null && task != Task.RECONSTRUCT && style == null) {
      problems.add("task '" + task.key() + "' needs a style image, but none was given");
    }
    if (!problems.isEmpty()) {
      return failure(String.join("; ", problems), history, StopReason.MAX_EVALUATIONS, 0, start, 0, device);
    }
    long setupMillis = 0;
    long optimizeStart = 0;
    try (NDManager run = NDManager.newBaseManager(model.device())) {
      boolean useContent = task != Task.TEXTURE;
      boolean useStyle = task != Task.RECONSTRUCT;
      List<VggLayers.Layer> contentLayers =
          useContent ? distinct(VggLayers.resolveAll(params.get(Params.CONTENT_LAYERS))) : List.of();
      List<VggLayers.Layer> styleLayers =
          useStyle ? VggLayers.resolveAll(params.get(Params.STYLE_LAYERS)) : List.of();
      List<VggLayers.Layer> all = new ArrayList<>(contentLayers);
      all.addAll(styleLayers);
      for (VggLayers.Layer layer : all) {
        model.requireLayer(layer);
      }

      DataType dataType = model.dataType();
      int[] size = content != null
          ? ImageTensors.scaledSize(content.getWidth(), content.getHeight(), params.get(Params.IMAGE_SIZE))
          : new int[] {params.get(Params.IMAGE_SIZE), params.get(Params.IMAGE_SIZE)};
      Shape imageShape = new Shape(1, 3, size[1], size[0]);
      String thin = useContent ? tooThin("the content image", content, size, all) : null;
      if (thin == null && useStyle) {
        int styleSide = Math.max(1, (int) Math.round(params.get(Params.STYLE_SCALE) * params.get(Params.IMAGE_SIZE)));
        thin = tooThin("the style image", style, ImageTensors.scaledSize(style.getWidth(), style.getHeight(), styleSide),
            styleLayers);
      }
      if (thin != null) {
        return failure(thin, history, StopReason.MAX_EVALUATIONS, 0, start, 0, device);
      }
      InputNormalizer normalizer = InputNormalizer.create(normalization, run, dataType);

      List<TransferObjective.ContentTarget> contentTargets = new ArrayList<>();
      List<TransferObjective.StyleTarget> styleTargets = new ArrayList<>();
      Autograd.withGradMode(false, () -> {
        try (NDManager targets = run.newSubManager()) {
          if (useContent) {
            NDArray image = tensor(content, size[0], size[1], targets, dataType);
            Map<String, NDArray> features = model.forward(normalizer.apply(image), contentLayers);
            for (VggLayers.Layer layer : contentLayers) {
              contentTargets.add(new TransferObjective.ContentTarget(layer, targets.ret(features.get(layer.name()))));
            }
          }
          if (useStyle) {
            int styleSide = Math.max(1, (int) Math.round(params.get(Params.STYLE_SCALE) * params.get(Params.IMAGE_SIZE)));
            int[] styleSize = ImageTensors.scaledSize(style.getWidth(), style.getHeight(), styleSide);
            NDArray image = tensor(style, styleSize[0], styleSize[1], targets, dataType);
            Map<String, NDArray> features = model.forward(normalizer.apply(image), distinct(styleLayers));
            for (int i = 0; i < styleLayers.size(); i++) {
              VggLayers.Layer layer = styleLayers.get(i);
              double weight = params.get(Params.STYLE_LAYER_WEIGHTS).isEmpty() ? 1.0 : params.get(Params.STYLE_LAYER_WEIGHTS).get(i);
              NDArray gram = org.stylesweep.loss.Gram.of(features.get(layer.name()), params.get(Params.GRAM_NORM));
              styleTargets.add(new TransferObjective.StyleTarget(layer, targets.ret(gram), weight));
            }
          }
        }
        return null;
      });

      NDArray x = initialImage(params, content, style, size, run, dataType).reshape(imageShape.size());
      NDArray bestPoint = x.duplicate();
      TransferObjective objective = new TransferObjective(
          model, normalizer, imageShape, contentTargets, styleTargets,
          params.get(Params.CONTENT_WEIGHT), params.get(Params.STYLE_WEIGHT), params.get(Params.TV_WEIGHT),
          params.get(Params.CONTENT_LOSS), params.get(Params.GRAM_NORM), params.get(Params.CLAMP) == Clamp.CLOSURE,
          history, listener, params.get(Params.STEPS), bestPoint);
      optimizeStart = System.nanoTime();
      setupMillis = (optimizeStart - start) / 1_000_000;

      OptimResult result = optimizer(params).minimize(x, objective);

      long optimizeNanos = System.nanoTime() - optimizeStart;
      int evaluations = history.size();
      if (evaluations > 0 && history.lastReported() != evaluations) {
        listener.onProgress(evaluations, params.get(Params.STEPS), history.lastTotal(), history.lastContent(), history.lastStyle());
        history.markReported(evaluations);
      }
      double msPerEvaluation = evaluations == 0 ? 0 : optimizeNanos / 1e6 / evaluations;
      if (history.firstNonFinite() > 0 || result.stopReason() == StopReason.NON_FINITE_LOSS) {
        int at = history.firstNonFinite() > 0 ? history.firstNonFinite() : evaluations;
        String error = "loss became " + (Double.isNaN(history.total()[at - 1]) ? "NaN" : "infinite")
            + " at evaluation " + at + " of " + params.get(Params.STEPS)
            + " (try a smaller lr or style_weight, clamp: end, or line_search: strong_wolfe)";
        return failure(error, history, StopReason.NON_FINITE_LOSS, setupMillis, start, msPerEvaluation, device);
      }
      int resultEvaluation = objective.bestEvaluation();
      NDArray resultPoint = resultEvaluation > 0 ? bestPoint : x;
      BufferedImage image = ImageTensors.toImage(resultPoint.clip(0, 1).reshape(imageShape));
      return new TransferResult(image, history.total(), history.content(), history.style(),
          evaluations, resultEvaluation, result.stopReason(), setupMillis, elapsedMillis(start), msPerEvaluation, device, null);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      double msPerEvaluation = history.size() == 0 || optimizeStart == 0
          ? 0 : (System.nanoTime() - optimizeStart) / 1e6 / history.size();
      StopReason reason = history.firstNonFinite() > 0 ? StopReason.NON_FINITE_LOSS : StopReason.MAX_EVALUATIONS;
      return failure(message, history, reason, setupMillis, start, msPerEvaluation, device);
    }
  }

  /**
   * Why an image is too thin for the deepest of the layers (each 2×2 pooling before a layer halves
   * the image; below 1 px libtorch fails with "Output size is too small"), or null when it fits.
   */
  static String tooThin(String what, BufferedImage image, int[] size, List<VggLayers.Layer> layers) {
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
    if (image == null || deepest == null || side >= need) {
      return null;
    }
    return what + " (" + image.getWidth() + "x" + image.getHeight() + " px, resized to " + size[0] + "x" + size[1]
        + ") is too thin for layer " + deepest + ", which lies behind " + pools + " 2x2 poolings: its shorter side"
        + " must be at least " + need + " px after resizing. Use a less elongated image, a larger image_size,"
        + " or shallower layers.";
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

  private static List<VggLayers.Layer> distinct(List<VggLayers.Layer> layers) {
    return List.copyOf(new LinkedHashSet<>(layers));
  }

  private static NDArray tensor(BufferedImage image, int width, int height, NDManager manager, DataType dataType) {
    NDArray tensor = ImageTensors.toTensor(image, width, height, manager);
    return dataType == DataType.FLOAT32 ? tensor : tensor.toType(dataType, false);
  }

  /** The starting image, a fresh (1, 3, H, W) array the optimizer may modify in place. */
  private static NDArray initialImage(
      RunParams params, BufferedImage content, BufferedImage style, int[] size, NDManager run, DataType dataType) {
    return switch (params.get(Params.INIT)) {
      case CONTENT -> tensor(content, size[0], size[1], run, dataType);
      case STYLE -> tensor(style, size[0], size[1], run, dataType);
      case NOISE -> {
        // Uniform [0,1) from the run's seed, drawn on the host so it is the same on every device.
        float[] noise = new float[3 * size[0] * size[1]];
        SplittableRandom random = new SplittableRandom(params.get(Params.SEED));
        for (int i = 0; i < noise.length; i++) {
          noise[i] = random.nextFloat();
        }
        NDArray tensor = run.create(noise, new Shape(1, 3, size[1], size[0]));
        yield dataType == DataType.FLOAT32 ? tensor : tensor.toType(dataType, false);
      }
    };
  }

  private static long elapsedMillis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static TransferResult failure(
      String error, LossHistory history, StopReason reason, long setupMillis, long start,
      double msPerEvaluation, String device) {
    return new TransferResult(null, history.total(), history.content(), history.style(),
        history.size(), 0, reason, setupMillis, elapsedMillis(start), msPerEvaluation, device, error);
  }
}
