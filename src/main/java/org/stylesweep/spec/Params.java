package org.stylesweep.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run-parameter table: every key a manifest's {@code defaults} and {@code sweep} blocks accept,
 * once, with its type, default, range check and help line (see {@link Param}). Adding a parameter
 * is one entry here, its use in the engine ({@code params.get(Params.X)}) and one line in {@code
 * docs/manifest.md}; the parser, validation, run ids, records, the metrics schema, the report's
 * axes and {@code show} follow from {@link #ALL}.
 *
 * <p>The order of {@link #ALL} is the order of the metrics columns and of the reference table; add
 * new keys at the end of their group.
 */
public final class Params {
  private Params() {}

  /**
   * The largest {@code image_size}: at 4096 px the first layer's activations are 64 × 4096² floats
   * (4 GiB), and larger sizes overflow the 32-bit element counts of some tensor paths.
   */
  public static final int MAX_IMAGE_SIZE = 4096;

  // ---- the parameters of the first release: always in the run id (their ids must not change)

  public static final Param<Integer> IMAGE_SIZE =
      Param.pixelSide(
              "image_size",
              256,
              MAX_IMAGE_SIZE,
              "longest side of the result in pixels (texture: the size); at most " + MAX_IMAGE_SIZE)
          .inEveryRunId();
  public static final Param<Double> STYLE_SCALE =
      Param.positiveDouble(
              "style_scale", 1.0, "the style image is resized to style_scale × image_size")
          .inEveryRunId();
  public static final Param<Integer> STEPS =
      Param.positiveInt(
              "steps",
              300,
              1_000_000,
              "loss evaluations (the tutorial's counter, neural-style's iterations)")
          .inEveryRunId();
  public static final Param<OptimizerKind> OPTIMIZER =
      Param.choice("optimizer", OptimizerKind.class, OptimizerKind.LBFGS, "optimizer of the pixels")
          .inEveryRunId();
  public static final Param<LineSearch> LINE_SEARCH =
      Param.choice(
              "line_search",
              LineSearch.class,
              LineSearch.NONE,
              "L-BFGS line search (caffe: strong_wolfe by default)")
          .inEveryRunId();
  public static final Param<Double> LR =
      Param.positiveDouble("lr", 1.0, "learning rate (L-BFGS 1, Adam e.g. 0.02)").inEveryRunId();
  public static final Param<List<String>> CONTENT_LAYERS =
      Param.layers(
              "content_layers",
              List.of("conv4_2"),
              "layers whose features the content loss matches")
          .inEveryRunId();
  public static final Param<List<String>> STYLE_LAYERS =
      Param.layers(
              "style_layers",
              List.of("conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"),
              "layers whose Gram matrices the style loss matches")
          .inEveryRunId();
  public static final Param<List<Double>> STYLE_LAYER_WEIGHTS =
      Param.weights("style_layer_weights", List.of(), "one weight per style layer; [] = 1 each")
          .inEveryRunId();
  public static final Param<Double> CONTENT_WEIGHT =
      Param.nonNegativeDouble("content_weight", 1.0, "weight of the summed content loss")
          .inEveryRunId();
  public static final Param<Double> STYLE_WEIGHT =
      Param.nonNegativeDouble(
              "style_weight", 1.0e6, "weight of the summed style loss (caffe: 0.1 by default)")
          .inEveryRunId();
  public static final Param<Double> TV_WEIGHT =
      Param.nonNegativeDouble("tv_weight", 0.0, "weight of the total variation loss")
          .inEveryRunId();
  public static final Param<GramNorm> GRAM_NORM =
      Param.choice(
              "gram_norm",
              GramNorm.class,
              GramNorm.CHW,
              "Gram normalization: chw (the tutorial's), hw or none")
          .inEveryRunId();
  public static final Param<ContentLossKind> CONTENT_LOSS =
      Param.choice(
              "content_loss",
              ContentLossKind.class,
              ContentLossKind.MEAN,
              "mean (the tutorial's mse_loss) or sum")
          .inEveryRunId();
  public static final Param<Init> INIT =
      Param.choice("init", Init.class, Init.CONTENT, "initial image").inEveryRunId();
  public static final Param<Clamp> CLAMP =
      Param.choice(
              "clamp",
              Clamp.class,
              Clamp.END,
              "clamp to [0,1] once at the end, or in every evaluation (the tutorial's closure)")
          .inEveryRunId();
  public static final Param<Long> SEED =
      Param.integer("seed", 0L, "seed of the noise init").inEveryRunId();

  // ---- added later: in the run id only when set away from the default

  public static final Param<Integer> LBFGS_HISTORY =
      Param.positiveInt(
          "lbfgs_history",
          100,
          10_000,
          "(s, y) pairs L-BFGS keeps (neural-style's -lbfgs_num_correction); fewer save memory");
  public static final Param<ColorControl> COLOR_CONTROL =
      Param.choice(
          "color_control",
          ColorControl.class,
          ColorControl.NONE,
          "none, luminance (transfer on Y only, content's IQ), match_histogram (style colours"
              + " matched to the content's mean and covariance first) or original_colors (result's"
              + " Y with the content's IQ); transfer only");
  public static final Param<ColorMatch> COLOR_MATCH =
      Param.choice(
          "color_match",
          ColorMatch.class,
          ColorMatch.SQRTM,
          "the map of match_histogram: sqrtm (A = Σc^½ Σs^-½) or cholesky (A = Lc Ls⁻¹)");

  public static final Param<List<Double>> STYLE_BLEND_WEIGHTS =
      Param.weights(
          "style_blend_weights",
          List.of(),
          "one weight per image of a blended style ({blend: [...]} in styles), normalised to sum"
              + " 1; [] = equal; plain styles ignore it");

  public static final Param<MaskPropagation> MASK_PROPAGATION =
      Param.choice(
          "mask_propagation",
          MaskPropagation.class,
          MaskPropagation.SIMPLE,
          "how region masks reach each layer (Gatys 2017 Sec. 4): simple (resized), inside"
              + " (eroded by each 3x3 convolution) or all (dilated)");

  public static final Param<Double> HISTOGRAM_WEIGHT =
      Param.nonNegativeDouble(
          "histogram_weight",
          0.0,
          "weight of the histogram loss (Risser et al. 2017): Σ ‖O − R(O)‖² over histogram_layers;"
              + " 0 = off");
  public static final Param<List<String>> HISTOGRAM_LAYERS =
      Param.layers(
          "histogram_layers",
          List.of("relu1_1", "relu4_1"),
          "layers whose per-channel histograms the histogram loss matches (Risser et al. 2017,"
              + " Sec. 4.3: relu1_1 and relu4_1)");

  public static final Param<List<String>> STAGES =
      Param.stages(
          "stages",
          "multi-scale schedule (Gatys et al. 2017 Sec. 5): SIZE:STEPS stages from small to large,"
              + " e.g. \"256:200,512:100\", each starting from the last one's result upsampled"
              + " (bicubic); a stage may add :style_scale=X and :lbfgs_history=N; the last size is"
              + " image_size and steps is unused; [] = one stage");
  public static final Param<Temporal> TEMPORAL =
      Param.choice(
          "temporal",
          Temporal.class,
          Temporal.NONE,
          "video runs (videos:): none (frame by frame), short (Ruder et al. 2016's short-term loss"
              + " and warped init) or long (also frames 2 and 4 back); image runs ignore it");
  public static final Param<Double> TEMPORAL_WEIGHT =
      Param.nonNegativeDouble(
          "temporal_weight",
          2.0e4,
          "weight of the temporal loss (1/D) Σ c·(x − ω(x_prev))² of temporal: short/long (caffe:"
              + " 7e7 by default)");

  public static final Param<Integer> CHUNK_FRAMES =
      Param.positiveInt(
          "chunk_frames",
          10_000,
          1_000_000,
          "frames per temporal chain task: a longer clip is split into chunks that run in"
              + " parallel; a chunk whose predecessor has not finished starts chunk_overlap"
              + " frames early, and those frames are cross-faded into the predecessor's");
  public static final Param<Integer> CHUNK_OVERLAP =
      Param.nonNegativeInt(
          "chunk_overlap",
          4,
          1_000_000,
          "frames a temporal chunk starts early (from a frame-by-frame result) and cross-fades"
              + " into the previous chunk's last frames, weight 1/(L+1) .. L/(L+1); 0: no"
              + " overlap, the chunk starts cold; below chunk_frames");

  // ---- task train_style: the transformation network and its training (Johnson et al. 2016, the
  // recipe of pytorch/examples fast_neural_style); steps, seed and the loss weights are the keys
  // above

  public static final Param<Integer> TRAIN_WIDTH =
      Param.positiveInt(
          "train_width",
          32,
          1024,
          "train_style: channels of the network's first layer (c1); c2 = 2·c1, c3 = 4·c1");
  public static final Param<Integer> TRAIN_RESIDUAL_BLOCKS =
      Param.positiveInt(
          "train_residual_blocks", 5, 64, "train_style: residual blocks at quarter resolution");
  public static final Param<Integer> TRAIN_KERNEL =
      Param.positiveInt(
          "train_kernel", 9, 31, "train_style: kernel of the first and last convolution (odd)");
  public static final Param<Integer> TRAIN_BATCH_SIZE =
      Param.positiveInt("train_batch_size", 4, 1024, "train_style: content crops per step");
  public static final Param<Integer> TRAIN_CROP =
      Param.pixelSide(
          "train_crop",
          256,
          MAX_IMAGE_SIZE,
          "train_style: side of the random square crops (images resized to this shorter side)");
  public static final Param<Double> TRAIN_LR =
      Param.positiveDouble("train_lr", 1e-3, "train_style: Adam's learning rate");
  public static final Param<List<String>> TRAIN_CONTENT_LAYERS =
      Param.layers(
          "train_content_layers", List.of("relu2_2"), "train_style: layers of the content loss");
  public static final Param<List<String>> TRAIN_STYLE_LAYERS =
      Param.layers(
          "train_style_layers",
          List.of("relu1_2", "relu2_2", "relu3_3", "relu4_3"),
          "train_style: layers of the style loss (style_layer_weights, if given, one per layer)");
  public static final Param<Integer> CHECKPOINT_EVERY =
      Param.positiveInt(
          "checkpoint_every",
          500,
          1_000_000,
          "train_style: a checkpoint (weights, Adam state, loss curve) every this many steps and"
              + " at the end; a rerun resumes from the last");

  // ---- task train_texture (Ulyanov et al. 2016): image_size is the training samples' side;
  // steps, seed, train_batch_size, train_lr, checkpoint_every, style_layers and the Gram keys apply

  public static final Param<Integer> TEXTURE_SCALES =
      Param.positiveInt(
          "texture_scales",
          5,
          8,
          "train_texture: noise scales of the generator (Ulyanov et al.: 5)");
  public static final Param<Integer> TEXTURE_CHANNELS =
      Param.positiveInt(
          "texture_channels", 8, 256, "train_texture: channels of each scale's block (Ulyanov: 8)");

  /** Every run parameter, in metrics-column and reference order. */
  public static final List<Param<?>> ALL =
      List.of(
          IMAGE_SIZE,
          STYLE_SCALE,
          STEPS,
          OPTIMIZER,
          LINE_SEARCH,
          LR,
          CONTENT_LAYERS,
          STYLE_LAYERS,
          STYLE_LAYER_WEIGHTS,
          CONTENT_WEIGHT,
          STYLE_WEIGHT,
          TV_WEIGHT,
          GRAM_NORM,
          CONTENT_LOSS,
          INIT,
          CLAMP,
          SEED,
          LBFGS_HISTORY,
          COLOR_CONTROL,
          COLOR_MATCH,
          STYLE_BLEND_WEIGHTS,
          MASK_PROPAGATION,
          HISTOGRAM_WEIGHT,
          HISTOGRAM_LAYERS,
          STAGES,
          TEMPORAL,
          TEMPORAL_WEIGHT,
          CHUNK_FRAMES,
          CHUNK_OVERLAP,
          TRAIN_WIDTH,
          TRAIN_RESIDUAL_BLOCKS,
          TRAIN_KERNEL,
          TRAIN_BATCH_SIZE,
          TRAIN_CROP,
          TRAIN_LR,
          TRAIN_CONTENT_LAYERS,
          TRAIN_STYLE_LAYERS,
          CHECKPOINT_EVERY,
          TEXTURE_SCALES,
          TEXTURE_CHANNELS);

  private static final Map<String, Param<?>> BY_KEY = byKey();

  /**
   * The defaults that differ under {@code normalization: caffe}, measured with the Caffe VGG-19
   * (docs/numerics.md, "Defaults and the weights"): Caffe's 0-255 inputs and its weights give
   * activations whose Gram loss is many decades above torchvision's, so the tutorial's 1e6 puts a
   * transfer far past the knee of the content-style front, and the plain L-BFGS step (no line
   * search) diverged within 3 evaluations for every style weight from 0.1 up. The imagenet defaults
   * are the PyTorch tutorial's, for torchvision's weights.
   */
  public static final Map<Param<?>, Object> CAFFE_DEFAULTS =
      Map.of(
          STYLE_WEIGHT,
          0.1,
          LINE_SEARCH,
          LineSearch.STRONG_WOLFE,
          // The temporal loss is on [0, 1] pixels, the content loss on Caffe's 0-255 features:
          // measured on the bundled clip, 7e7 cut the temporal error to 0.27x frame by frame.
          TEMPORAL_WEIGHT,
          7.0e7);

  /** The defaults that differ from the table's under a normalization (none for imagenet). */
  public static Map<Param<?>, Object> defaultsFor(Normalization normalization) {
    return normalization == Normalization.CAFFE ? CAFFE_DEFAULTS : Map.of();
  }

  /** The keys of {@link #ALL}, in order. */
  public static List<String> keys() {
    return ALL.stream().map(Param::key).toList();
  }

  /** The parameter with this key, or null. */
  public static Param<?> byKey(String key) {
    return BY_KEY.get(key);
  }

  /** A canonical value as manifests, records and the metrics table spell it: enums as their key. */
  public static Object spelling(Object value) {
    return value instanceof Enum<?> e ? org.stylesweep.common.Choice.key(e) : value;
  }

  private static Map<String, Param<?>> byKey() {
    Map<String, Param<?>> map = new LinkedHashMap<>();
    for (Param<?> p : ALL) {
      if (map.put(p.key(), p) != null) {
        throw new IllegalStateException("run parameter '" + p.key() + "' is declared twice");
      }
    }
    return Map.copyOf(map);
  }
}
