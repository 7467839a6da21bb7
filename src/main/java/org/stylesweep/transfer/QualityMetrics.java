package org.stylesweep.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.loss.HistogramLoss;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Task;

/**
 * Measures of a result that mean the same in every run of a sweep: fixed layers, fixed sizes and
 * relative (scale-free) distances, whatever the run's own layers, weights, Gram normalization or
 * style scale. Computed once after an OK run (three forward passes, no gradient); see
 * docs/numerics.md ("Quality metrics") for the definitions.
 *
 * <ul>
 *   <li>{@code quality_style_gram}: mean over {@link #STYLE_LAYERS} of {@code ‖G(O) − G(S)‖_F /
 *       ‖G(S)‖_F}, G = F Fᵀ / (H·W), the style image resized to the result's longest side.
 *   <li>{@code quality_style_wasserstein}: mean over {@link #STYLE_LAYERS} of the per-channel 1-D
 *       Wasserstein-1 distance of the activations (sorted values, the style's quantiles
 *       interpolated to the result's count), summed over channels and divided by the sum of the
 *       style's per-channel standard deviations.
 *   <li>{@code quality_content_feature}: {@code ‖F(O) − F(C)‖_F / ‖F(C)‖_F} at {@link
 *       #CONTENT_LAYER}, the content at the result's size.
 *   <li>{@code quality_content_ssim}: SSIM of the luminances ({@link Ssim}).
 *   <li>{@code quality_color_content}, {@code quality_color_style}: {@code ‖μ_O − μ_X‖₂ + ‖Σ_O −
 *       Σ_X‖_F} of the RGB pixels in [0, 1] ({@link ColorStats}).
 * </ul>
 *
 * Texture runs get the style measures, reconstruction runs the content measures, transfer runs all;
 * a measure that does not apply, or whose layers the weights or the image size cannot reach, is
 * null.
 */
public final class QualityMetrics {
  private QualityMetrics() {}

  /** The fixed layers of the style measures: the paper-standard ReLU outputs of each block. */
  public static final List<String> STYLE_LAYERS =
      List.of("relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1");

  /** The fixed layer of the content feature distance. */
  public static final String CONTENT_LAYER = "relu4_2";

  public static final String STYLE_GRAM = "quality_style_gram";
  public static final String STYLE_WASSERSTEIN = "quality_style_wasserstein";
  public static final String CONTENT_FEATURE = "quality_content_feature";
  public static final String CONTENT_SSIM = "quality_content_ssim";
  public static final String COLOR_CONTENT = "quality_color_content";
  public static final String COLOR_STYLE = "quality_color_style";

  /** Every quality column, in table order. */
  public static final List<String> COLUMNS =
      List.of(
          STYLE_GRAM, STYLE_WASSERSTEIN, CONTENT_FEATURE, CONTENT_SSIM, COLOR_CONTENT, COLOR_STYLE);

  /** The one-line meaning of each column, for the docs and {@code show}. */
  public static final Map<String, String> HELP =
      Map.of(
          STYLE_GRAM, "relative Gram distance to the style at relu1_1..relu5_1 (lower is closer)",
          STYLE_WASSERSTEIN,
              "per-channel 1-D Wasserstein distance to the style at relu1_1..relu5_1, in style"
                  + " standard deviations",
          CONTENT_FEATURE, "relative feature distance to the content at relu4_2",
          CONTENT_SSIM, "SSIM of the luminance to the content (1 = same)",
          COLOR_CONTENT, "distance of RGB mean and covariance to the content's",
          COLOR_STYLE, "distance of RGB mean and covariance to the style's");

  /**
   * The quality measures of a result, by column; a column is absent when it does not apply.
   *
   * @param result the run's result image
   * @param content the content image as read, or null
   * @param style the style image as read, or null
   */
  public static Map<String, Double> measure(
      Vgg19 model,
      Normalization normalization,
      Task task,
      BufferedImage result,
      BufferedImage content,
      BufferedImage style) {
    int width = result.getWidth();
    int height = result.getHeight();
    boolean styleMeasures = task != Task.RECONSTRUCT && style != null;
    boolean contentMeasures = task != Task.TEXTURE && content != null;
    BufferedImage styleImage =
        styleMeasures ? ImageTensors.resizeLongestSide(style, Math.max(width, height)) : null;
    BufferedImage contentImage =
        contentMeasures ? ImageTensors.resize(content, width, height) : null;
    Map<String, Double> values = new LinkedHashMap<>();
    Autograd.withGradMode(
        false,
        () -> {
          try (NDManager manager = NDManager.newBaseManager(model.device())) {
            InputNormalizer normalizer =
                InputNormalizer.create(normalization, manager, model.dataType());
            if (styleMeasures) {
              List<VggLayers.Layer> layers =
                  reachable(model, STYLE_LAYERS, width, height, styleImage);
              if (!layers.isEmpty()) {
                Map<String, NDArray> o = features(model, normalizer, result, layers, manager);
                Map<String, NDArray> s = features(model, normalizer, styleImage, layers, manager);
                double gram = 0;
                double wasserstein = 0;
                for (VggLayers.Layer layer : layers) {
                  gram += gramDistance(o.get(layer.name()), s.get(layer.name()));
                  wasserstein += wasserstein(o.get(layer.name()), s.get(layer.name()));
                }
                values.put(STYLE_GRAM, gram / layers.size());
                values.put(STYLE_WASSERSTEIN, wasserstein / layers.size());
              }
            }
            if (contentMeasures) {
              List<VggLayers.Layer> layers =
                  reachable(model, List.of(CONTENT_LAYER), width, height, contentImage);
              if (!layers.isEmpty()) {
                String name = layers.get(0).name();
                NDArray o = features(model, normalizer, result, layers, manager).get(name);
                NDArray c = features(model, normalizer, contentImage, layers, manager).get(name);
                values.put(CONTENT_FEATURE, relativeDistance(o, c));
              }
            }
          }
          return null;
        });
    ImageTensors.Planar planar = ImageTensors.toPlanar(result);
    if (contentMeasures) {
      ImageTensors.Planar c = ImageTensors.toPlanar(contentImage);
      values.put(CONTENT_SSIM, Ssim.luminance(planar, c));
      values.put(COLOR_CONTENT, ColorStats.of(planar).distance(ColorStats.of(c)));
    }
    if (styleMeasures) {
      values.put(
          COLOR_STYLE,
          ColorStats.of(planar).distance(ColorStats.of(ImageTensors.toPlanar(styleImage))));
    }
    Map<String, Double> ordered = new LinkedHashMap<>();
    COLUMNS.stream().filter(values::containsKey).forEach(k -> ordered.put(k, values.get(k)));
    return ordered;
  }

  /**
   * The layers of {@code names} the model's weights reach and both images are large enough for (at
   * least one pixel after the pools before the layer's block).
   */
  private static List<VggLayers.Layer> reachable(
      Vgg19 model, List<String> names, int width, int height, BufferedImage other) {
    int side = Math.min(Math.min(width, height), Math.min(other.getWidth(), other.getHeight()));
    List<VggLayers.Layer> layers = new ArrayList<>();
    for (VggLayers.Layer layer : VggLayers.resolveAll(names)) {
      int block = layer.name().charAt(layer.name().length() - 3) - '0';
      if (layer.convCount() <= model.layerCount() && (side >> (block - 1)) >= 1) {
        layers.add(layer);
      }
    }
    return layers;
  }

  private static Map<String, NDArray> features(
      Vgg19 model,
      InputNormalizer normalizer,
      BufferedImage image,
      List<VggLayers.Layer> layers,
      NDManager manager) {
    NDArray tensor = ImageTensors.toTensor(image, image.getWidth(), image.getHeight(), manager);
    if (model.dataType() != DataType.FLOAT32) {
      tensor = tensor.toType(model.dataType(), false);
    }
    return model.forward(normalizer.apply(tensor), layers);
  }

  /** {@code ‖G(a) − G(b)‖_F / ‖G(b)‖_F} with G = F Fᵀ / (H·W), in float64. */
  static double gramDistance(NDArray a, NDArray b) {
    return relativeDistance(gram(a), gram(b));
  }

  private static NDArray gram(NDArray features) {
    Shape shape = features.getShape();
    NDArray rows =
        features
            .toType(DataType.FLOAT64, false)
            .reshape(shape.get(0) * shape.get(1), shape.get(2) * shape.get(3));
    return rows.matMul(rows.transpose()).div(shape.get(2) * shape.get(3));
  }

  /** {@code ‖a − b‖_F / ‖b‖_F} in float64; 0 when both are zero. */
  static double relativeDistance(NDArray a, NDArray b) {
    NDArray x = a.toType(DataType.FLOAT64, false);
    NDArray y = b.toType(DataType.FLOAT64, false);
    double difference = Math.sqrt(x.sub(y).square().sum().getDouble());
    double norm = Math.sqrt(y.square().sum().getDouble());
    return norm == 0 ? (difference == 0 ? 0 : Double.POSITIVE_INFINITY) : difference / norm;
  }

  /**
   * Σ_c W1(a_c, b_c) / Σ_c std(b_c): the per-channel 1-D Wasserstein-1 distances (mean absolute
   * difference of the sorted values, b's quantiles interpolated to a's count), in units of b's
   * spread; in float64.
   */
  static double wasserstein(NDArray a, NDArray b) {
    NDArray sortedA = HistogramLoss.sortedChannels(a.toType(DataType.FLOAT64, false));
    NDArray rowsB = HistogramLoss.sortedChannels(b.toType(DataType.FLOAT64, false));
    long n = sortedA.getShape().get(1);
    NDArray quantiles = HistogramLoss.resample(rowsB, n);
    double distance = sortedA.sub(quantiles).abs().mean(new int[] {1}).sum().getDouble();
    NDArray centred = rowsB.sub(rowsB.mean(new int[] {1}, true));
    double spread = centred.square().mean(new int[] {1}).sqrt().sum().getDouble();
    return spread == 0 ? (distance == 0 ? 0 : Double.POSITIVE_INFINITY) : distance / spread;
  }
}
