package org.stylesweep.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stylesweep.loss.ContentLoss;
import org.stylesweep.spec.ContentLossKind;
import org.stylesweep.loss.FusedStyleLoss;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.loss.Scalars;
import org.stylesweep.loss.TotalVariation;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.optim.Objective;

/**
 * The Gatys et al. objective over the flat pixels of one image:
 * {@code content_weight · Σ content + style_weight · Σ style + tv_weight · TV}.
 *
 * <p>Each evaluation differentiates with respect to a fresh copy of {@code x} (so gradients never
 * accumulate and the optimizer's {@code x} never requires a gradient), computes everything inside
 * a sub-manager of the optimizer's scope, and copies three scalars to the host: the total, the
 * weighted content and the weighted style loss, which it records in the run's history. It keeps
 * a device copy of the evaluated point with the lowest finite loss: the run's result.
 */
final class TransferObjective implements Objective {

  /** A content target: the layer and the content image's features there. */
  record ContentTarget(VggLayers.Layer layer, NDArray features) {}

  /** A style target: the layer, the style image's Gram matrix there and the layer's weight. */
  record StyleTarget(VggLayers.Layer layer, NDArray gram, double weight) {}

  private final Vgg19 model;
  private final InputNormalizer normalizer;
  private final Shape imageShape;
  private final List<ContentTarget> contentTargets;
  /** One style layer's loss, built once per run from its target. */
  private record StyleTerm(VggLayers.Layer layer, FusedStyleLoss loss) {}

  private final List<StyleTerm> styleTerms;
  private final List<VggLayers.Layer> taps;
  private final double contentWeight;
  private final double styleWeight;
  private final double tvWeight;
  private final ContentLossKind contentLossKind;
  private final GramNorm gramNorm;
  private final boolean clampEachEvaluation;
  private final LossHistory history;
  private final ProgressListener listener;
  private final int budget;
  private final NDArray bestPoint;
  private double bestLoss = Double.POSITIVE_INFINITY;
  private int bestEvaluation;

  TransferObjective(
      Vgg19 model,
      InputNormalizer normalizer,
      Shape imageShape,
      List<ContentTarget> contentTargets,
      List<StyleTarget> styleTargets,
      double contentWeight,
      double styleWeight,
      double tvWeight,
      ContentLossKind contentLossKind,
      GramNorm gramNorm,
      boolean clampEachEvaluation,
      LossHistory history,
      ProgressListener listener,
      int budget,
      NDArray bestPoint) {
    this.model = model;
    this.normalizer = normalizer;
    this.imageShape = imageShape;
    this.contentTargets = contentTargets;
    this.styleTerms = styleTargets.stream()
        .map(t -> new StyleTerm(t.layer(), new FusedStyleLoss(t.gram(), gramNorm, t.weight(), styleWeight)))
        .toList();
    this.contentWeight = contentWeight;
    this.styleWeight = styleWeight;
    this.tvWeight = tvWeight;
    this.contentLossKind = contentLossKind;
    this.gramNorm = gramNorm;
    this.clampEachEvaluation = clampEachEvaluation;
    this.history = history;
    this.listener = listener;
    this.budget = budget;
    this.bestPoint = bestPoint;
    List<VggLayers.Layer> layers = new ArrayList<>();
    contentTargets.forEach(t -> layers.add(t.layer()));
    styleTargets.forEach(t -> layers.add(t.layer()));
    this.taps = List.copyOf(layers);
  }

  /** The 1-based evaluation with the lowest finite loss so far, or 0 when there is none. */
  int bestEvaluation() {
    return bestEvaluation;
  }

  @Override
  public Evaluation evaluate(NDArray x, NDManager scope) {
    try (NDManager local = scope.newSubManager()) {
      local.tempAttachAll(x);
      if (clampEachEvaluation) {
        // The tutorial's closure: input_img.data.clamp_(0, 1), in place, outside autograd.
        x.set(new NDIndex("..."), x.clip(0, 1));
      }
      NDArray leaf = x.duplicate();
      NDArray[] values = new NDArray[1];
      NDArray gradient = Autograd.withGradMode(true, () -> {
        leaf.setRequiresGradient(true);
        NDArray image = leaf.reshape(imageShape);
        Map<String, NDArray> features = model.forward(normalizer.apply(image), taps);
        NDArray content = null;
        for (ContentTarget target : contentTargets) {
          NDArray term = ContentLoss.of(features.get(target.layer().name()), target.features(), contentLossKind);
          content = content == null ? term : content.add(term);
        }
        // Style terms carry their gradient in closed form (one product per layer, see
        // FusedStyleLoss); the scalar backpropagated is their surrogates plus the other terms.
        NDArray style = null;
        NDArray styleSurrogate = null;
        for (StyleTerm styleTerm : styleTerms) {
          FusedStyleLoss.Term term = styleTerm.loss().apply(features.get(styleTerm.layer().name()));
          style = style == null ? term.value() : style.add(term.value());
          styleSurrogate = styleSurrogate == null ? term.surrogate() : styleSurrogate.add(term.surrogate());
        }
        NDArray zero = local.zeros(new Shape(), leaf.getDataType());
        NDArray weightedContent = content == null ? zero : Scalars.times(content, contentWeight);
        NDArray weightedStyle = style == null ? zero : Scalars.times(style, styleWeight);
        NDArray total = weightedContent.add(weightedStyle);
        NDArray root = styleSurrogate == null ? weightedContent : weightedContent.add(styleSurrogate);
        if (tvWeight != 0) {
          NDArray tv = Scalars.times(TotalVariation.of(image), tvWeight);
          total = total.add(tv);
          root = root.add(tv);
        }
        Autograd.backward(root);
        values[0] = NDArrays.stack(new NDList(total, weightedContent, weightedStyle)).stopGradient();
        return leaf.getGradient();
      });
      // One host copy per evaluation: the three scalars the optimizer and the history need.
      double[] losses = values[0].toType(DataType.FLOAT64, false).toDoubleArray();
      int evaluation = history.record(losses[0], losses[1], losses[2]);
      if (losses[0] < bestLoss) {
        // L-BFGS without a line search can end on an overshoot; the run returns the best point seen.
        // One device copy per improvement, no host transfer.
        bestPoint.set(new NDIndex("..."), x);
        bestLoss = losses[0];
        bestEvaluation = evaluation;
      }
      if (evaluation % Math.max(1, listener.every()) == 0) {
        listener.onProgress(evaluation, budget, losses[0], losses[1], losses[2]);
        history.markReported(evaluation);
      }
      return new Evaluation(losses[0], local.ret(gradient));
    }
  }
}
