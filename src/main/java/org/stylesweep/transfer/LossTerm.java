package org.stylesweep.transfer;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.stylesweep.loss.ContentLoss;
import org.stylesweep.loss.FusedStyleLoss;
import org.stylesweep.loss.HistogramLoss;
import org.stylesweep.loss.Scalars;
import org.stylesweep.loss.TotalVariation;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.ContentLossKind;

/**
 * One weighted term of the objective (neural-style's content, style and TV modules): its value at
 * an image, already multiplied by its weight, and the scalar to backpropagate for it.
 *
 * <p>The two differ only for style, whose gradient is carried by a surrogate (see {@link
 * FusedStyleLoss}); for the others the weighted value is itself in the autograd graph. Weights are
 * applied with {@link Scalars#times} so that the constants are libtorch-owned (see
 * docs/numerics.md).
 */
sealed interface LossTerm
    permits LossTerm.Content,
        LossTerm.Style,
        LossTerm.GuidedStyle,
        LossTerm.Histogram,
        LossTerm.GuidedHistogram,
        LossTerm.Smoothness,
        LossTerm.Temporal {

  /** Which loss-history column a term adds to; TV is only part of the total. */
  enum Part {
    CONTENT,
    STYLE,
    HISTOGRAM,
    TV,
    TEMPORAL
  }

  /**
   * A term's value at one image.
   *
   * @param weighted the weighted loss, a scalar
   * @param backward the scalar whose gradient is this term's gradient
   */
  record Value(NDArray weighted, NDArray backward) {}

  /** The history column this term adds to. */
  Part part();

  /** The layers whose features the term reads, in the order it reads them. */
  List<VggLayers.Layer> layers();

  /**
   * The term at one image.
   *
   * @param features the image's features at (at least) {@link #layers()}, in the autograd graph
   * @param image the (1, 3, H, W) image in [0, 1], in the autograd graph
   */
  Value apply(Map<String, NDArray> features, NDArray image);

  /**
   * A running sum that starts empty ({@code sum == null}): the first term is taken as it is rather
   * than added to a zero array, which saves an array per sum and keeps the reference's operations.
   */
  static NDArray plus(NDArray sum, NDArray term) {
    return sum == null ? term : sum.add(term);
  }

  /**
   * {@code weight · Σ_layers content_loss(F_l, P_l)}. The layer losses are summed before the weight
   * is applied, which keeps the rounding of the PyTorch reference.
   *
   * @param targets the content image's features per layer, no gradient, in layer order
   */
  record Content(
      List<VggLayers.Layer> layers, List<NDArray> targets, ContentLossKind kind, double weight)
      implements LossTerm {

    @Override
    public Part part() {
      return Part.CONTENT;
    }

    @Override
    public Value apply(Map<String, NDArray> features, NDArray image) {
      NDArray sum = null;
      for (int i = 0; i < layers.size(); i++) {
        NDArray term = ContentLoss.of(features.get(layers.get(i).name()), targets.get(i), kind);
        sum = plus(sum, term);
      }
      NDArray weighted = Scalars.times(sum, weight);
      return new Value(weighted, weighted);
    }
  }

  /**
   * {@code weight · Σ_layers w_l · style_loss(G_l, A_l)}. Each layer's loss already carries the
   * style weight in its surrogate (it is built with {@code scale = weight}); the value is summed
   * unweighted, then weighted once, as in the PyTorch reference.
   *
   * @param losses one fused loss per layer, holding that layer's target and weight
   */
  record Style(List<VggLayers.Layer> layers, List<FusedStyleLoss> losses, double weight)
      implements LossTerm {

    @Override
    public Part part() {
      return Part.STYLE;
    }

    @Override
    public Value apply(Map<String, NDArray> features, NDArray image) {
      NDArray sum = null;
      NDArray surrogate = null;
      for (int i = 0; i < layers.size(); i++) {
        FusedStyleLoss.Term term = losses.get(i).apply(features.get(layers.get(i).name()));
        sum = plus(sum, term.value());
        surrogate = plus(surrogate, term.surrogate());
      }
      return new Value(Scalars.times(sum, weight), surrogate);
    }
  }

  /**
   * Spatial control (Gatys et al. 2017, Sec. 4.1, eq. 6): {@code weight · Σ_r Σ_l λ_r w_l ·
   * mean((G_r^l(x) − G_r^l(s_r))²)} with guided Gram matrices G_r^l of F^l ∘ T_r^l ({@link
   * org.stylesweep.loss.GuidedGram}). The fused losses carry λ_r w_l and the target; the guidance
   * of the result image is fixed per region and layer.
   *
   * @param losses per region, one fused loss per layer (with the guided divisor), null where the
   *     region's mask has no pixel left at that layer
   * @param guidance per region, the (1, 1, h, w) guidance per layer
   */
  record GuidedStyle(
      List<VggLayers.Layer> layers,
      List<List<FusedStyleLoss>> losses,
      List<List<NDArray>> guidance,
      double weight)
      implements LossTerm {

    @Override
    public Part part() {
      return Part.STYLE;
    }

    @Override
    public Value apply(Map<String, NDArray> features, NDArray image) {
      NDArray sum = null;
      NDArray surrogate = null;
      for (int r = 0; r < losses.size(); r++) {
        for (int i = 0; i < layers.size(); i++) {
          if (losses.get(r).get(i) == null) {
            continue; // the region has no pixel at this layer
          }
          NDArray guided =
              org.stylesweep.loss.GuidedGram.guide(
                  features.get(layers.get(i).name()), guidance.get(r).get(i));
          FusedStyleLoss.Term term = losses.get(r).get(i).apply(guided);
          sum = plus(sum, term.value());
          surrogate = plus(surrogate, term.surrogate());
        }
      }
      return new Value(Scalars.times(sum, weight), surrogate);
    }
  }

  /**
   * {@code weight · Σ_layers ‖O_l − R(O_l)‖²_F}, the histogram loss of Risser et al. (2017, Sec.
   * 4.3) with R held constant (see {@link HistogramLoss}); its layers' losses are summed, then
   * weighted once.
   *
   * @param losses one histogram loss per layer, holding the style's sorted activations there
   */
  record Histogram(List<VggLayers.Layer> layers, List<HistogramLoss> losses, double weight)
      implements LossTerm {

    @Override
    public Part part() {
      return Part.HISTOGRAM;
    }

    @Override
    public Value apply(Map<String, NDArray> features, NDArray image) {
      NDArray sum = null;
      for (int i = 0; i < layers.size(); i++) {
        sum = plus(sum, losses.get(i).apply(features.get(layers.get(i).name())));
      }
      NDArray weighted = Scalars.times(sum, weight);
      return new Value(weighted, weighted);
    }
  }

  /**
   * The histogram loss under spatial control: per region r and layer l, {@code λ_r ‖O_l[P_r] −
   * R_r(O_l[P_r])‖²_F}, where P_r are the result's positions whose guidance is at least one half
   * and R_r remaps to the histogram of the region's style under its style mask; summed, then
   * weighted once.
   *
   * @param losses per region, one loss per layer holding the style's sorted masked activations,
   *     null where the region has no position at that layer (in the result or the style)
   * @param positions per region and layer, the (n) int64 kept positions of the result's features
   * @param regionWeights λ_r per region
   */
  record GuidedHistogram(
      List<VggLayers.Layer> layers,
      List<List<HistogramLoss>> losses,
      List<List<NDArray>> positions,
      List<Double> regionWeights,
      double weight)
      implements LossTerm {

    @Override
    public Part part() {
      return Part.HISTOGRAM;
    }

    @Override
    public Value apply(Map<String, NDArray> features, NDArray image) {
      NDArray sum = null;
      for (int r = 0; r < losses.size(); r++) {
        NDArray region = null;
        for (int i = 0; i < layers.size(); i++) {
          HistogramLoss loss = losses.get(r).get(i);
          if (loss != null) {
            NDArray kept =
                HistogramLoss.columns(features.get(layers.get(i).name()), positions.get(r).get(i));
            region = plus(region, loss.applyRows(kept));
          }
        }
        if (region != null) {
          double lambda = regionWeights.get(r);
          sum = plus(sum, lambda == 1 ? region : Scalars.times(region, lambda));
        }
      }
      NDArray weighted = Scalars.times(sum, weight);
      return new Value(weighted, weighted);
    }
  }

  /** {@code weight · TV(image)} on the [0, 1] image, before normalization; reads no features. */
  record Smoothness(double weight) implements LossTerm {

    @Override
    public Part part() {
      return Part.TV;
    }

    @Override
    public List<VggLayers.Layer> layers() {
      return List.of();
    }

    @Override
    public Value apply(Map<String, NDArray> features, NDArray image) {
      NDArray weighted = Scalars.times(TotalVariation.of(image), weight);
      return new Value(weighted, weighted);
    }
  }

  /**
   * {@code weight · Σ_j (1/D) Σ c_j ⊙ (x − ω_j)²}, the temporal loss of Ruder et al. (2016) against
   * each earlier stylised frame j warped into this one ({@link org.stylesweep.loss.TemporalLoss});
   * reads no features. Only part of the total, like TV.
   *
   * @param warped per earlier frame, (1, 3, H, W)
   * @param weights per earlier frame, (1, 1, H, W)
   */
  record Temporal(List<NDArray> warped, List<NDArray> weights, double weight) implements LossTerm {

    @Override
    public Part part() {
      return Part.TEMPORAL;
    }

    @Override
    public List<VggLayers.Layer> layers() {
      return List.of();
    }

    @Override
    public Value apply(Map<String, NDArray> features, NDArray image) {
      NDArray sum = null;
      for (int j = 0; j < warped.size(); j++) {
        sum = plus(sum, org.stylesweep.loss.TemporalLoss.of(image, warped.get(j), weights.get(j)));
      }
      NDArray weighted = Scalars.times(sum, weight);
      return new Value(weighted, weighted);
    }
  }
}
