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
import org.stylesweep.image.Colors;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.loss.FusedStyleLoss;
import org.stylesweep.loss.Gram;
import org.stylesweep.loss.GuidedGram;
import org.stylesweep.loss.HistogramLoss;
import org.stylesweep.loss.Scalars;
import org.stylesweep.model.Guidance;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.optim.OptimResult;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.Clamp;
import org.stylesweep.spec.ColorControl;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.MaskPropagation;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.StyleBlend;
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

  /** The style images: one, or the members of a blend; empty for reconstruct. */
  private final List<BufferedImage> styles;

  private final RunParams params;
  private final ProgressListener listener;

  /** Spatial control's regions; empty for a plain run. */
  private final List<Region> regions;

  /** Whether pixels in no region take the first style image (else no style there). */
  private final boolean plainRest;

  private final String device;
  private final long start = System.nanoTime();
  private long setupMillis;
  private long optimizeStart;
  private long optimizeNanos = -1;

  /** The earlier frames of a temporal video run, or null. */
  private TemporalGuide temporal;

  /** Null until the optimizer starts; which stop reason a failure gets depends on it. */
  private RunMonitor monitor;

  /**
   * Multi-scale: the previous stage's result at this stage's size (planar, the optimized channels),
   * used instead of {@code init}; null for a first or only stage.
   */
  private float[] startPixels;

  /** The result's optimized pixels, clamped to [0, 1] (planar); null until a run succeeds. */
  private float[] resultPixels;

  /** The run's seat in a batch of runs evaluated together, or null for a run alone. */
  private EvaluationBatch.Seat seat;

  /** Evaluates this run together with the other runs of {@code seat}'s batch; returns this. */
  TransferRun inBatch(EvaluationBatch.Seat seat) {
    this.seat = seat;
    return this;
  }

  TransferRun(
      Vgg19 model,
      Normalization normalization,
      Task task,
      BufferedImage content,
      List<BufferedImage> styles,
      RunParams params,
      ProgressListener listener) {
    this(model, normalization, task, content, styles, List.of(), params, listener, false);
  }

  TransferRun(
      Vgg19 model,
      Normalization normalization,
      Task task,
      BufferedImage content,
      List<BufferedImage> styles,
      List<Region> regions,
      RunParams params,
      ProgressListener listener,
      boolean plainRest) {
    this.regions = regions == null ? List.of() : List.copyOf(regions);
    this.plainRest = plainRest;
    this.model = model;
    this.normalization = normalization;
    this.task = task;
    this.content = content;
    this.styles = styles == null ? List.of() : styles;
    this.params = params;
    this.listener = listener;
    this.device = model.device().toString();
  }

  /** Makes this run a frame of a temporal video run (see {@link StyleTransfer#runTemporal}). */
  TransferRun withTemporal(TemporalGuide guide) {
    this.temporal = guide;
    return this;
  }

  /**
   * Runs the steps; never throws for bad input or numerical trouble (see {@link StyleTransfer}).
   */
  TransferResult execute() {
    try {
      return executeSteps();
    } finally {
      if (seat != null) {
        // However the run ended (rejected, stopped, failed), the batch stops waiting for it.
        seat.leave();
      }
    }
  }

  private TransferResult executeSteps() {
    List<String> problems = validate();
    if (!problems.isEmpty()) {
      return failure(String.join("; ", problems), StopReason.REJECTED);
    }
    // Every array of the run lives in this manager, so nothing outlives the run, even on failure.
    try (NDManager manager = NDManager.newBaseManager(model.device())) {
      int[] size = resultSize();
      Shape imageShape = optimizedShape(params.get(Params.COLOR_CONTROL), size);
      InputNormalizer normalizer = InputNormalizer.create(normalization, manager, model.dataType());
      List<LossTerm> terms = buildTerms(normalizer, size, manager);
      NDArray start =
          startPixels != null ? tensor(startPixels, size, manager) : initialImage(size, manager);
      NDArray x = start.reshape(imageShape.size());
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

  /**
   * Starts from these pixels (planar, the optimized channels, at {@link #resultSize()}) instead of
   * {@code init}: a multi-scale stage's start.
   */
  TransferRun startingFrom(float[] pixels) {
    this.startPixels = pixels;
    return this;
  }

  /** The result's optimized pixels in [0, 1] (planar, at {@link #resultSize()}), or null. */
  float[] resultPixels() {
    return resultPixels;
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
    if (task != null
        && task != Task.RECONSTRUCT
        && (styles.isEmpty() || styles.stream().anyMatch(java.util.Objects::isNull))) {
      problems.add("task '" + task.key() + "' needs a style image, but none was given");
    } else if (task != null && task != Task.RECONSTRUCT) {
      try {
        StyleBlend.normalized(params.get(Params.STYLE_BLEND_WEIGHTS), styles.size());
      } catch (IllegalArgumentException e) {
        problems.add(Params.STYLE_BLEND_WEIGHTS.key() + ": " + e.getMessage());
      }
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
        new ArrayList<>(
            task != Task.RECONSTRUCT
                ? VggLayers.resolveAll(params.get(Params.STYLE_LAYERS))
                : List.of());
    styleLayers.addAll(histogramLayers());
    List<VggLayers.Layer> all = new ArrayList<>(contentLayers);
    all.addAll(styleLayers);
    // The result has the content image's size, or image_size square without one (texture).
    String thin =
        StyleTransfer.tooThin(
            content != null ? "the content image" : "the " + task.key() + " result",
            content,
            resultSize(),
            all);
    for (BufferedImage style : styles) {
      if (thin == null && style != null && !styleLayers.isEmpty()) {
        thin = StyleTransfer.tooThin("the style image", style, styleSize(style), styleLayers);
      }
    }
    return thin;
  }

  /**
   * (width, height): longest side {@code image_size}, the content's aspect ratio, square for
   * texture.
   */
  int[] resultSize() {
    int side = params.get(Params.IMAGE_SIZE);
    return content != null
        ? ImageTensors.scaledSize(content.getWidth(), content.getHeight(), side)
        : new int[] {side, side};
  }

  /**
   * The objective's terms in summation order: content, style, TV. The targets are computed once,
   * without gradient, in a sub-manager from which only the targets escape.
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
              terms.add(
                  regions.isEmpty()
                      ? styleTerm(styleLayers, normalizer, targets)
                      : guidedStyleTerm(styleLayers, normalizer, size, targets));
            }
            if (!histogramLayers.isEmpty()) {
              terms.add(
                  regions.isEmpty()
                      ? histogramTerm(histogramLayers, normalizer, targets)
                      : guidedHistogramTerm(histogramLayers, normalizer, size, targets));
            }
          }
          return null;
        });
    double tvWeight = params.get(Params.TV_WEIGHT);
    if (tvWeight != 0) {
      terms.add(new LossTerm.Smoothness(tvWeight));
    }
    if (temporal != null && !temporal.warped().isEmpty()) {
      terms.add(temporalTerm(size, manager));
    }
    return terms;
  }

  /** The temporal term against the guide's warped earlier frames, at the result's size. */
  private LossTerm temporalTerm(int[] size, NDManager manager) {
    if (temporal.width() != size[0] || temporal.height() != size[1]) {
      throw new IllegalArgumentException(
          "the temporal guide is "
              + temporal.width()
              + "x"
              + temporal.height()
              + " but the result is "
              + size[0]
              + "x"
              + size[1]);
    }
    List<NDArray> warped = new ArrayList<>();
    List<NDArray> weights = new ArrayList<>();
    for (int j = 0; j < temporal.warped().size(); j++) {
      warped.add(tensor(temporal.warped().get(j), size, manager));
      weights.add(tensor(temporal.weights().get(j), size, manager));
    }
    return new LossTerm.Temporal(warped, weights, params.get(Params.TEMPORAL_WEIGHT));
  }

  /** The histogram loss's layers, distinct; none when it is off or the task has no style. */
  private List<VggLayers.Layer> histogramLayers() {
    return task != Task.RECONSTRUCT && params.get(Params.HISTOGRAM_WEIGHT) > 0
        ? distinct(VggLayers.resolveAll(params.get(Params.HISTOGRAM_LAYERS)))
        : List.of();
  }

  /**
   * The histogram term (Risser et al. 2017, Sec. 4.3): the style image at the style term's size,
   * its activations at each layer sorted per channel once (see {@link HistogramLoss}). A blend's
   * histograms are those of its heaviest image (histograms do not add like Gram matrices).
   */
  private LossTerm histogramTerm(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, NDManager targets) {
    BufferedImage style = initStyle();
    int[] styleSize = styleSize(style);
    NDArray image = tensor(stylePixelsForTarget(style, styleSize), styleSize, targets);
    Map<String, NDArray> features = model.forward(normalizer.apply(image), layers);
    List<HistogramLoss> losses = new ArrayList<>();
    for (VggLayers.Layer layer : layers) {
      NDArray sorted = HistogramLoss.sortedChannels(features.get(layer.name()));
      losses.add(new HistogramLoss(targets.ret(sorted)));
    }
    return new LossTerm.Histogram(layers, losses, params.get(Params.HISTOGRAM_WEIGHT));
  }

  private LossTerm contentTerm(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, int[] size, NDManager targets) {
    float[] pixels = contentPixels(size);
    if (params.get(Params.COLOR_CONTROL) == ColorControl.LUMINANCE) {
      pixels = grey(Colors.luminance(pixels));
    }
    NDArray image = tensor(pixels, size, targets);
    Map<String, NDArray> features = model.forward(normalizer.apply(image), layers);
    List<NDArray> kept =
        layers.stream().map(layer -> targets.ret(features.get(layer.name()))).toList();
    return new LossTerm.Content(
        layers, kept, params.get(Params.CONTENT_LOSS), params.get(Params.CONTENT_WEIGHT));
  }

  /**
   * The style image is resized to longest side {@code round(style_scale · image_size)}, its own
   * aspect ratio. For a blend, each image is, and the target per layer is the weighted sum of their
   * Gram matrices, Σ_i w_i G_i with the weights normalised to sum 1 (neural-style's definition);
   * images of weight 0 are skipped, and a weight of 1 is not multiplied, so a blend with weights
   * (1, 0) has exactly the single style's targets.
   */
  private LossTerm styleTerm(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, NDManager targets) {
    List<Double> layerWeights = params.get(Params.STYLE_LAYER_WEIGHTS);
    double styleWeight = params.get(Params.STYLE_WEIGHT);
    List<NDArray> grams = blendedGrams(layers, normalizer, targets);
    List<FusedStyleLoss> losses = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      double layerWeight = layerWeights.isEmpty() ? 1.0 : layerWeights.get(i);
      losses.add(
          new FusedStyleLoss(
              targets.ret(grams.get(i)), params.get(Params.GRAM_NORM), layerWeight, styleWeight));
    }
    return new LossTerm.Style(layers, losses, styleWeight);
  }

  /**
   * Spatial control's style term: per region, the guided Gram targets of its style under its style
   * mask, and the result's guidance from its mask at each layer ({@code mask_propagation}). Pixels
   * in no region take the run's plain style (the first style image) under the mask 1 − min(1, Σ
   * masks), when a plain style is given.
   */
  private LossTerm guidedStyleTerm(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, int[] size, NDManager targets) {
    List<Double> layerWeights = params.get(Params.STYLE_LAYER_WEIGHTS);
    double styleWeight = params.get(Params.STYLE_WEIGHT);
    GramNorm norm = params.get(Params.GRAM_NORM);
    MaskPropagation how = params.get(Params.MASK_PROPAGATION);
    List<List<FusedStyleLoss>> losses = new ArrayList<>();
    List<List<NDArray>> guidance = new ArrayList<>();
    boolean usable = false;
    for (Map.Entry<Region, float[]> entry : regionMasks(size)) {
      Region region = entry.getKey();
      float[] mask = entry.getValue();
      Map<String, Guidance.Plane> resultGuide =
          Guidance.propagate(new Guidance.Plane(size[0], size[1], mask), layers, how);
      int[] styleSize = styleSize(region.style());
      float[] styleMask =
          region.styleMask() == null ? ones(styleSize) : maskPlane(region.styleMask(), styleSize);
      Map<String, Guidance.Plane> styleGuide =
          Guidance.propagate(
              new Guidance.Plane(styleSize[0], styleSize[1], styleMask), layers, how);
      NDArray image = tensor(stylePixelsForTarget(region.style(), styleSize), styleSize, targets);
      Map<String, NDArray> features = model.forward(normalizer.apply(image), distinct(layers));
      List<FusedStyleLoss> regionLosses = new ArrayList<>();
      List<NDArray> regionGuidance = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        VggLayers.Layer layer = layers.get(i);
        Guidance.Plane sg = styleGuide.get(layer.name());
        Guidance.Plane rg = resultGuide.get(layer.name());
        if (sg.mass() <= 0 || rg.mass() <= 0) {
          // The mask has no pixel left at this layer (mask_propagation: inside erodes small
          // regions away in deep layers): the region has no statistics there, so no term.
          regionLosses.add(null);
          regionGuidance.add(null);
          continue;
        }
        usable = true;
        NDArray target =
            GuidedGram.of(features.get(layer.name()), plane(sg, targets), sg.mass(), norm);
        double divisor =
            GuidedGram.divisor(
                new Shape(1, layer.channels(), rg.height(), rg.width()), rg.mass(), norm);
        double layerWeight = layerWeights.isEmpty() ? 1.0 : layerWeights.get(i);
        regionLosses.add(
            new FusedStyleLoss(
                targets.ret(target), norm, layerWeight * region.weight(), styleWeight, divisor));
        regionGuidance.add(targets.ret(plane(rg, targets)));
      }
      losses.add(regionLosses);
      guidance.add(regionGuidance);
    }
    if (!usable) {
      throw noRegionLeft("style_layers", how);
    }
    return new LossTerm.GuidedStyle(layers, losses, guidance, styleWeight);
  }

  private static IllegalArgumentException noRegionLeft(String key, MaskPropagation how) {
    return new IllegalArgumentException(
        "no region keeps a pixel at any of "
            + key
            + " (mask_propagation: "
            + how.name().toLowerCase(java.util.Locale.ROOT)
            + "); use larger regions, a larger image_size, shallower "
            + key
            + " or mask_propagation: simple");
  }

  /**
   * Spatial control's regions with their masks at the result's size, in order; pixels in no region
   * take the run's plain style (the first style image) under the mask 1 − min(1, Σ masks), when a
   * plain style is given and some pixel is left.
   */
  private List<Map.Entry<Region, float[]>> regionMasks(int[] size) {
    List<Map.Entry<Region, float[]>> all = new ArrayList<>();
    float[] rest = ones(size);
    for (Region region : regions) {
      float[] m = maskPlane(region.mask(), size);
      for (int i = 0; i < rest.length; i++) {
        rest[i] = Math.max(0f, rest[i] - m[i]);
      }
      all.add(Map.entry(region, m));
    }
    if (plainRest && new Guidance.Plane(size[0], size[1], rest).mass() > 0) {
      all.add(Map.entry(new Region(null, styles.get(0), null, 1.0), rest));
    }
    return all;
  }

  /**
   * The histogram term under spatial control (per-region histograms): for each region, the result's
   * positions whose guidance at a layer is at least one half are remapped to the histogram of the
   * region's style at the positions its style mask keeps there (the whole style image without a
   * style mask). A region with no such position at a layer has no term there.
   */
  private LossTerm guidedHistogramTerm(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, int[] size, NDManager targets) {
    MaskPropagation how = params.get(Params.MASK_PROPAGATION);
    List<List<HistogramLoss>> losses = new ArrayList<>();
    List<List<NDArray>> positions = new ArrayList<>();
    List<Double> regionWeights = new ArrayList<>();
    boolean usable = false;
    for (Map.Entry<Region, float[]> entry : regionMasks(size)) {
      Region region = entry.getKey();
      Map<String, Guidance.Plane> resultGuide =
          Guidance.propagate(new Guidance.Plane(size[0], size[1], entry.getValue()), layers, how);
      int[] styleSize = styleSize(region.style());
      float[] styleMask =
          region.styleMask() == null ? ones(styleSize) : maskPlane(region.styleMask(), styleSize);
      Map<String, Guidance.Plane> styleGuide =
          Guidance.propagate(
              new Guidance.Plane(styleSize[0], styleSize[1], styleMask), layers, how);
      NDArray image = tensor(stylePixelsForTarget(region.style(), styleSize), styleSize, targets);
      Map<String, NDArray> features = model.forward(normalizer.apply(image), layers);
      List<HistogramLoss> regionLosses = new ArrayList<>();
      List<NDArray> regionPositions = new ArrayList<>();
      for (VggLayers.Layer layer : layers) {
        long[] kept = halfOrMore(resultGuide.get(layer.name()));
        long[] styleKept = halfOrMore(styleGuide.get(layer.name()));
        if (kept.length == 0 || styleKept.length == 0) {
          regionLosses.add(null);
          regionPositions.add(null);
          continue;
        }
        usable = true;
        NDArray styleColumns =
            HistogramLoss.columns(features.get(layer.name()), targets.create(styleKept));
        regionLosses.add(new HistogramLoss(targets.ret(styleColumns.sort(1))));
        regionPositions.add(targets.ret(targets.create(kept)));
      }
      losses.add(regionLosses);
      positions.add(regionPositions);
      regionWeights.add(region.weight());
    }
    if (!usable) {
      throw noRegionLeft("histogram_layers", how);
    }
    return new LossTerm.GuidedHistogram(
        layers, losses, positions, regionWeights, params.get(Params.HISTOGRAM_WEIGHT));
  }

  /** The row-major positions where a guidance plane is at least one half. */
  private static long[] halfOrMore(Guidance.Plane plane) {
    float[] v = plane.values();
    int count = 0;
    for (float x : v) {
      if (x >= 0.5f) {
        count++;
      }
    }
    long[] kept = new long[count];
    int k = 0;
    for (int i = 0; i < v.length; i++) {
      if (v[i] >= 0.5f) {
        kept[k++] = i;
      }
    }
    return kept;
  }

  private float[] stylePixelsForTarget(BufferedImage image, int[] styleSize) {
    float[] pixels = stylePixels(image, styleSize);
    return params.get(Params.COLOR_CONTROL) == ColorControl.LUMINANCE ? grey(pixels) : pixels;
  }

  /** A guidance plane as a (1, 1, h, w) array of the model's type. */
  private NDArray plane(Guidance.Plane p, NDManager manager) {
    return asModelType(manager.create(p.values(), new Shape(1, 1, p.height(), p.width())));
  }

  /** A mask image's grey level in [0, 1] at a size (its luminance). */
  private static float[] maskPlane(BufferedImage mask, int[] size) {
    return Colors.luminance(ImageTensors.planarAt(mask, size[0], size[1]));
  }

  private static float[] ones(int[] size) {
    float[] v = new float[size[0] * size[1]];
    java.util.Arrays.fill(v, 1f);
    return v;
  }

  /** Per layer, Σ_i w_i G_i over the style images (see {@link #styleTerm}). */
  List<NDArray> blendedGrams(
      List<VggLayers.Layer> layers, InputNormalizer normalizer, NDManager targets) {
    double[] blend = StyleBlend.normalized(params.get(Params.STYLE_BLEND_WEIGHTS), styles.size());
    List<NDArray> sums = new ArrayList<>(java.util.Collections.nCopies(layers.size(), null));
    for (int s = 0; s < styles.size(); s++) {
      if (blend[s] == 0) {
        continue;
      }
      int[] styleSize = styleSize(styles.get(s));
      float[] pixels = stylePixels(styles.get(s), styleSize);
      if (params.get(Params.COLOR_CONTROL) == ColorControl.LUMINANCE) {
        pixels = grey(pixels);
      }
      NDArray image = tensor(pixels, styleSize, targets);
      Map<String, NDArray> features = model.forward(normalizer.apply(image), distinct(layers));
      for (int i = 0; i < layers.size(); i++) {
        NDArray gram = Gram.of(features.get(layers.get(i).name()), params.get(Params.GRAM_NORM));
        NDArray term = blend[s] == 1 ? gram : Scalars.times(gram, blend[s]);
        sums.set(i, sums.get(i) == null ? term : sums.get(i).add(term));
      }
    }
    return sums;
  }

  /** A style image's size: longest side {@code round(style_scale · image_size)}, its own aspect. */
  private int[] styleSize(BufferedImage style) {
    int side =
        Math.max(
            1, (int) Math.round(params.get(Params.STYLE_SCALE) * params.get(Params.IMAGE_SIZE)));
    return ImageTensors.scaledSize(style.getWidth(), style.getHeight(), side);
  }

  /** The style image of {@code init: style}: the heaviest of a blend. */
  private BufferedImage initStyle() {
    double[] blend = StyleBlend.normalized(params.get(Params.STYLE_BLEND_WEIGHTS), styles.size());
    int best = 0;
    for (int i = 1; i < blend.length; i++) {
      if (blend[i] > blend[best]) {
        best = i;
      }
    }
    return styles.get(best);
  }

  /**
   * The starting image, a fresh (1, 3, H, W) array the optimizer may modify in place; (1, 1, H, W)
   * luminance for {@code color_control: luminance}.
   */
  private NDArray initialImage(int[] size, NDManager manager) {
    if (temporal != null && temporal.init() != null) {
      // Ruder et al. 2016: start from the previous stylised frame warped into this one.
      return tensor(temporal.init(), size, manager);
    }
    boolean luminance = params.get(Params.COLOR_CONTROL) == ColorControl.LUMINANCE;
    return switch (params.get(Params.INIT)) {
      case CONTENT ->
          luminance
              ? tensor(Colors.luminance(contentPixels(size)), size, manager)
              : tensor(content, size[0], size[1], manager);
      case STYLE ->
          params.get(Params.COLOR_CONTROL) == ColorControl.NONE
              ? tensor(initStyle(), size[0], size[1], manager)
              : tensor(stylePixels(initStyle(), size), size, manager);
      case NOISE -> {
        // Uniform [0,1) from the run's seed, drawn on the host so it is the same on every device.
        float[] noise = new float[(luminance ? 1 : 3) * size[0] * size[1]];
        SplittableRandom random = new SplittableRandom(params.get(Params.SEED));
        for (int i = 0; i < noise.length; i++) {
          noise[i] = random.nextFloat();
        }
        yield tensor(noise, size, manager);
      }
    };
  }

  /**
   * The shape the optimizer's flat pixels are viewed as: (1, 3, H, W), or (1, 1, H, W) when {@code
   * color_control: luminance} optimises the luminance alone.
   */
  static Shape optimizedShape(ColorControl color, int[] size) {
    return new Shape(1, color == ColorControl.LUMINANCE ? 1 : 3, size[1], size[0]);
  }

  /** The content's planar RGB at the result's size. */
  private float[] contentPixels(int[] size) {
    return ImageTensors.planarAt(content, size[0], size[1]);
  }

  /**
   * The style's pixels at a size after colour control: planar RGB matched to the content's colour
   * mean and covariance ({@code match_histogram}), one luminance plane matched to the content's
   * mean and deviation ({@code luminance}), else plain planar RGB.
   */
  private float[] stylePixels(BufferedImage style, int[] styleSize) {
    float[] pixels = ImageTensors.planarAt(style, styleSize[0], styleSize[1]);
    return switch (params.get(Params.COLOR_CONTROL)) {
      case MATCH_HISTOGRAM ->
          Colors.matchColors(pixels, contentPixels(resultSize()), params.get(Params.COLOR_MATCH));
      case LUMINANCE ->
          Colors.matchLuminance(
              Colors.luminance(pixels), Colors.luminance(contentPixels(resultSize())));
      case NONE, ORIGINAL_COLORS -> pixels;
    };
  }

  /** One plane repeated as grey planar RGB. */
  private static float[] grey(float[] plane) {
    float[] rgb = new float[3 * plane.length];
    for (int k = 0; k < 3; k++) {
      System.arraycopy(plane, 0, rgb, k * plane.length, plane.length);
    }
    return rgb;
  }

  private OptimResult optimize(NDArray x, TransferObjective objective) {
    monitor = new RunMonitor(listener, params.get(Params.STEPS), x);
    optimizeStart = System.nanoTime();
    setupMillis = (optimizeStart - start) / 1_000_000;
    OptimResult result =
        StyleTransfer.optimizer(params)
            .minimize(
                x,
                monitor.watch(
                    seat == null
                        ? objective::evaluate
                        : (point, scope) -> seat.evaluate(objective, point, scope)));
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
    NDArray clamped = point.clip(0, 1).reshape(imageShape);
    resultPixels = clamped.toType(DataType.FLOAT32, false).toFloatArray();
    BufferedImage image = resultImage(clamped, imageShape);
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

  /**
   * The optimised pixels (clamped to [0, 1]) as the result image; with colour control the content's
   * chrominance (YIQ's I and Q) under the optimised luminance ({@code luminance}) or under the
   * optimised image's luminance ({@code original_colors}).
   */
  private BufferedImage resultImage(NDArray clamped, Shape imageShape) {
    ColorControl color = params.get(Params.COLOR_CONTROL);
    if (color != ColorControl.LUMINANCE && color != ColorControl.ORIGINAL_COLORS) {
      return ImageTensors.toImage(clamped);
    }
    int width = (int) imageShape.get(3);
    int height = (int) imageShape.get(2);
    float[] optimized = clamped.toType(DataType.FLOAT32, false).toFloatArray();
    float[] y = color == ColorControl.LUMINANCE ? optimized : Colors.luminance(optimized);
    float[] rgb = Colors.withChrominance(y, contentPixels(new int[] {width, height}));
    return ImageTensors.toImage(new ImageTensors.Planar(width, height, rgb));
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

  /** Planar pixels (1 or 3 planes) at (width, height) as a (1, C, H, W) tensor of the model. */
  private NDArray tensor(float[] planar, int[] size, NDManager manager) {
    int channels = planar.length / (size[0] * size[1]);
    return asModelType(manager.create(planar, new Shape(1, channels, size[1], size[0])));
  }

  private NDArray asModelType(NDArray tensor) {
    return model.dataType() == DataType.FLOAT32 ? tensor : tensor.toType(model.dataType(), false);
  }

  private static List<VggLayers.Layer> distinct(List<VggLayers.Layer> layers) {
    return List.copyOf(new LinkedHashSet<>(layers));
  }
}
