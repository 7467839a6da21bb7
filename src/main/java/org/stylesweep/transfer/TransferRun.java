package org.stylesweep.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.loss.FusedStyleLoss;
import org.stylesweep.loss.Gram;
import org.stylesweep.loss.HistogramLoss;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.optim.OptimResult;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.Clamp;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

/**
 * The steps of one {@link StyleTransfer#run}, in order: validate, build the loss terms (the
 * targets), build the initial image, optimize, finish. An instance holds what the steps share (the
 * inputs, the clock, the monitor), so that each step is a short method; it is used once.
 *
 * <p>The stop reason of a failure says how far the run got: {@link StopReason#REJECTED} before the
 * optimizer started (bad parameters, a missing image, weights without a requested layer, an image
 * the network cannot take), {@link StopReason#NON_FINITE_LOSS} once a loss was NaN or infinite, and
 * {@link StopReason#ERROR} for any other exception after the optimizer started.
 */
final class TransferRun {
  private final Vgg19 model;
  private final Normalization normalization;
  private final Task task;
  private final BufferedImage content;
  private final BufferedImage style;
  private final RunParams params;
  private final ProgressListener listener;
  private final String device;
  private final long start = System.nanoTime();
  private long setupMillis;
  private long optimizeStart;
  private long optimizeNanos = -1;

  /** Null until the optimizer starts; which stop reason a failure gets depends on it. */
  private RunMonitor monitor;

  TransferRun(
      Vgg19 model,
      Normalization normalization,
      Task task,
      BufferedImage content,
      BufferedImage style,
      RunParams params,
      ProgressListener listener) {
    this.model = model;
    this.normalization = normalization;
    this.task = task;
    this.content = content;
    this.style = style;
    this.params = params;
    this.listener = listener;
    this.device = model.device().toString();
  }

  /**
   * Runs the steps; never throws for bad input or numerical trouble (see {@link StyleTransfer}).
   */
  TransferResult execute() {
    List<String> problems = validate();
    if (!problems.isEmpty()) {
      return failure(String.join("; ", problems), StopReason.REJECTED);
    }
    // Every array of the run lives in this manager, so nothing outlives the run, even on failure.
    try (NDManager manager = NDManager.newBaseManager(model.device())) {
      int[] size = resultSize();
      Shape imageShape = new Shape(1, 3, size[1], size[0]);
      InputNormalizer normalizer = InputNormalizer.create(normalization, manager, model.dataType());
      List<LossTerm> terms = buildTerms(normalizer, size, manager);
      NDArray x = initialImage(size, manager).reshape(imageShape.size());
      TransferObjective objective =
          new TransferObjective(
              model, normalizer, imageShape, terms, params.get(Params.CLAMP) == Clamp.CLOSURE);
      OptimResult result = optimize(x, objective);
      return finish(result, x, imageShape);
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return failure(message, stopReasonOf());
    }
  }

  /** The parameter problems plus what only the run's inputs can tell. */
  private List<String> validate() {
    List<String> problems = new ArrayList<>(StyleTransfer.problems(task, params));
    if (normalization == null) {
      problems.add("normalization is missing");
    }
    if (task != null && task != Task.TEXTURE && content == null) {
      problems.add("task '" + task.key() + "' needs a content image, but none was given");
    }
    if (task != null && task != Task.RECONSTRUCT && style == null) {
      problems.add("task '" + task.key() + "' needs a style image, but none was given");
    }
    if (problems.isEmpty()) {
      String thin = thinInput();
      if (thin != null) {
        problems.add(thin);
      }
    }
    return problems;
  }

  /**
   * Why an input is too thin for the deepest layer it feeds, else null (libtorch's own error names
   * no file).
   */
  private String thinInput() {
    List<VggLayers.Layer> contentLayers =
        task != Task.TEXTURE ? VggLayers.resolveAll(params.get(Params.CONTENT_LAYERS)) : List.of();
    List<VggLayers.Layer> styleLayers =
        task != Task.RECONSTRUCT
            ? VggLayers.resolveAll(params.get(Params.STYLE_LAYERS))
            : List.of();
    styleLayers = new ArrayList<>(styleLayers);
    styleLayers.addAll(histogramLayers());
    List<VggLayers.Layer> all = new ArrayList<>(contentLayers);
    all.addAll(styleLayers);
    String thin =
        content != null
            ? StyleTransfer.tooThin("the content image", content, resultSize(), all)
            : null;
    if (thin == null && style != null && !styleLayers.isEmpty()) {
      int side =
          Math.max(
              1, (int) Math.round(params.get(Params.STYLE_SCALE) * params.get(Params.IMAGE_SIZE)));
      thin =
          StyleTransfer.tooThin(
              "the style image",
              style,
              ImageTensors.scaledSize(style.getWidth(), style.getHeight(), side),
              styleLayers);
    }
    return thin;
  }

  /**
   * (width, height): longest side {@code image_size}, the content's aspect ratio, square for
   * texture.
   */
  private int[] resultSize() {
    int side = params.get(Params.IMAGE_SIZE);
    return content != null
        ? ImageTensors.scaledSize(content.getWidth(), content.getHeight(), side)
        : new int[] {side, side};
  }

  /**
   * The objective's terms in summation order: content, style, histogram, TV. The targets are
   * computed once, without gradient, in a sub-manager from which only the targets escape.
   */
  private List<LossTerm> buildTerms(InputNormalizer normalizer, int[] size, NDManager manager) {
    List<VggLayers.Layer> contentLayers =
        task != Task.TEXTURE
            ? distinct(VggLayers.resolveAll(params.get(Params.CONTENT_LAYERS)))
            : List.of();
    List<VggLayers.Layer> styleLayers =
        task != Task.RECONSTRUCT
            ? VggLayers.resolveAll(params.get(Params.STYLE_LAYERS))
            : List.of();
    List<VggLayers.Layer> histogramLayers = histogramLayers();
    // Weights that stop short of a requested layer fail here, naming the missing key.
    contentLayers.forEach(model::requireLayer);
    styleLayers.forEach(model::requireLayer);
    histogramLayers.forEach(model::requireLayer);
    List<LossTerm> terms = new ArrayList<>();
    Autograd.withGradMode(
        false,
        () -> {
          try (NDManager targets = manager.newSubManager()) {
            if (!contentLayers.isEmpty()) {
              terms.add(contentTerm(contentLayers, normalizer, size, targets));
            }
            if (!styleLayers.isEmpty()) {
              terms.add(styleTerm(styleLayers, normalizer, targets));
            }
            if (!histogramLayers.isEmpty()) {
              terms.add(histogramTerm(histogramLayers, normalizer, targets));
            }
          }
          return null;
        });
    double tvWeight = params.get(Params.TV_WEIGHT);
    if (tvWeight != 0) {
      terms.add(new LossTerm.Smoothness(tvWeight));
    }
    return terms;
  }

  private LossTerm contentTerm(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, int[] size, NDManager targets) {
    NDArray image = tensor(content, size[0], size[1], targets);
    Map<String, NDArray> features = model.forward(normalizer.apply(image), layers);
    List<NDArray> kept =
        layers.stream().map(layer -> targets.ret(features.get(layer.name()))).toList();
    return new LossTerm.Content(
        layers, kept, params.get(Params.CONTENT_LOSS), params.get(Params.CONTENT_WEIGHT));
  }

  /**
   * The style image is resized to longest side {@code round(style_scale · image_size)}, its own
   * aspect ratio.
   */
  private LossTerm styleTerm(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, NDManager targets) {
    int side =
        Math.max(
            1, (int) Math.round(params.get(Params.STYLE_SCALE) * params.get(Params.IMAGE_SIZE)));
    int[] styleSize = ImageTensors.scaledSize(style.getWidth(), style.getHeight(), side);
    NDArray image = tensor(style, styleSize[0], styleSize[1], targets);
    Map<String, NDArray> features = model.forward(normalizer.apply(image), distinct(layers));
    List<Double> layerWeights = params.get(Params.STYLE_LAYER_WEIGHTS);
    double styleWeight = params.get(Params.STYLE_WEIGHT);
    List<FusedStyleLoss> losses = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      double layerWeight = layerWeights.isEmpty() ? 1.0 : layerWeights.get(i);
      NDArray gram = Gram.of(features.get(layers.get(i).name()), params.get(Params.GRAM_NORM));
      losses.add(
          new FusedStyleLoss(
              targets.ret(gram), params.get(Params.GRAM_NORM), layerWeight, styleWeight));
    }
    return new LossTerm.Style(layers, losses, styleWeight);
  }

  /** The histogram loss's layers, distinct; none when it is off or the task has no style. */
  private List<VggLayers.Layer> histogramLayers() {
    return task != Task.RECONSTRUCT && params.get(Params.HISTOGRAM_WEIGHT) > 0
        ? distinct(VggLayers.resolveAll(params.get(Params.HISTOGRAM_LAYERS)))
        : List.of();
  }

  /**
   * The histogram term: the style image at the style term's size, its activations at each layer
   * sorted per channel once (see {@link HistogramLoss}).
   */
  private LossTerm histogramTerm(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, NDManager targets) {
    int[] styleSize = styleSize();
    NDArray image = tensor(style, styleSize[0], styleSize[1], targets);
    Map<String, NDArray> features = model.forward(normalizer.apply(image), layers);
    List<HistogramLoss> losses = new ArrayList<>();
    for (VggLayers.Layer layer : layers) {
      NDArray sorted = HistogramLoss.sortedChannels(features.get(layer.name()));
      losses.add(new HistogramLoss(targets.ret(sorted)));
    }
    return new LossTerm.Histogram(layers, losses, params.get(Params.HISTOGRAM_WEIGHT));
  }

  /** (width, height) of the style image: longest side {@code round(style_scale · image_size)}. */
  private int[] styleSize() {
    int side =
        Math.max(
            1, (int) Math.round(params.get(Params.STYLE_SCALE) * params.get(Params.IMAGE_SIZE)));
    return ImageTensors.scaledSize(style.getWidth(), style.getHeight(), side);
  }

  /** The starting image, a fresh (1, 3, H, W) array the optimizer may modify in place. */
  private NDArray initialImage(int[] size, NDManager manager) {
    return switch (params.get(Params.INIT)) {
      case CONTENT -> tensor(content, size[0], size[1], manager);
      case STYLE -> tensor(style, size[0], size[1], manager);
      case NOISE -> {
        // Uniform [0,1) from the run's seed, drawn on the host so it is the same on every device.
        float[] noise = new float[3 * size[0] * size[1]];
        SplittableRandom random = new SplittableRandom(params.get(Params.SEED));
        for (int i = 0; i < noise.length; i++) {
          noise[i] = random.nextFloat();
        }
        NDArray tensor = manager.create(noise, new Shape(1, 3, size[1], size[0]));
        yield asModelType(tensor);
      }
    };
  }

  private OptimResult optimize(NDArray x, TransferObjective objective) {
    monitor = new RunMonitor(listener, params.get(Params.STEPS), x);
    optimizeStart = System.nanoTime();
    setupMillis = (optimizeStart - start) / 1_000_000;
    OptimResult result = StyleTransfer.optimizer(params).minimize(x, monitor.watch(objective));
    optimizeNanos = System.nanoTime() - optimizeStart;
    return result;
  }

  /** The result: the best point's image, or a failure naming the first non-finite evaluation. */
  private TransferResult finish(OptimResult result, NDArray x, Shape imageShape) {
    monitor.finish();
    LossHistory history = monitor.history();
    if (history.firstNonFinite() > 0 || result.stopReason() == StopReason.NON_FINITE_LOSS) {
      int at = history.firstNonFinite() > 0 ? history.firstNonFinite() : history.size();
      String error =
          "loss became "
              + (Double.isNaN(history.total()[at - 1]) ? "NaN" : "infinite")
              + " at evaluation "
              + at
              + " of "
              + params.get(Params.STEPS)
              + " (try a smaller lr or style_weight, clamp: end, or line_search: strong_wolfe)";
      return failure(error, StopReason.NON_FINITE_LOSS);
    }
    int resultEvaluation = monitor.bestEvaluation();
    NDArray point = resultEvaluation > 0 ? monitor.bestPoint() : x;
    BufferedImage image = ImageTensors.toImage(point.clip(0, 1).reshape(imageShape));
    return new TransferResult(
        image,
        history.total(),
        history.content(),
        history.style(),
        history.size(),
        resultEvaluation,
        result.stopReason(),
        setupMillis,
        elapsedMillis(),
        msPerEvaluation(),
        device,
        null);
  }

  /** The stop reason of a run that threw: how far it got. */
  private StopReason stopReasonOf() {
    if (monitor == null) {
      return StopReason.REJECTED;
    }
    return monitor.history().firstNonFinite() > 0 ? StopReason.NON_FINITE_LOSS : StopReason.ERROR;
  }

  private TransferResult failure(String error, StopReason reason) {
    LossHistory history = monitor == null ? new LossHistory() : monitor.history();
    return new TransferResult(
        null,
        history.total(),
        history.content(),
        history.style(),
        history.size(),
        0,
        reason,
        setupMillis,
        elapsedMillis(),
        msPerEvaluation(),
        device,
        error);
  }

  private double msPerEvaluation() {
    int evaluations = monitor == null ? 0 : monitor.history().size();
    if (evaluations == 0) {
      return 0;
    }
    long nanos = optimizeNanos >= 0 ? optimizeNanos : System.nanoTime() - optimizeStart;
    return nanos / 1e6 / evaluations;
  }

  private long elapsedMillis() {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private NDArray tensor(BufferedImage image, int width, int height, NDManager manager) {
    return asModelType(ImageTensors.toTensor(image, width, height, manager));
  }

  private NDArray asModelType(NDArray tensor) {
    return model.dataType() == DataType.FLOAT32 ? tensor : tensor.toType(model.dataType(), false);
  }

  private static List<VggLayers.Layer> distinct(List<VggLayers.Layer> layers) {
    return List.copyOf(new LinkedHashSet<>(layers));
  }
}
