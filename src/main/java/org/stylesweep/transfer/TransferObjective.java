package org.stylesweep.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;

/**
 * The objective over the flat pixels of one image: the sum of its weighted {@link LossTerm}s, as
 * neural-style's {@code feval} ({@code content_weight · content + style_weight · style + tv_weight
 * · TV}). It only computes; the run's history, progress and best point are {@link RunMonitor}'s.
 *
 * <p>Each evaluation differentiates with respect to a fresh copy of {@code x} (so gradients never
 * accumulate and the optimizer's {@code x} never requires a gradient), computes everything inside a
 * sub-manager of the optimizer's scope, and copies three scalars to the host in one transfer: the
 * total, the weighted content and the weighted style loss.
 */
final class TransferObjective {

  /**
   * One evaluation.
   *
   * @param total the objective
   * @param content the weighted content loss, 0 without a content term
   * @param style the weighted style loss, 0 without a style term
   * @param gradient the gradient of {@code total} with the shape of {@code x}, attached to the
   *     scope given to {@link #evaluate}
   */
  record Value(double total, double content, double style, NDArray gradient) {}

  private final Vgg19 model;
  private final InputNormalizer normalizer;
  private final Shape imageShape;
  private final List<LossTerm> terms;
  private final List<VggLayers.Layer> taps;
  private final boolean clampEachEvaluation;

  /**
   * @param imageShape the (1, 3, H, W) shape the flat pixels are viewed as, or (1, 1, H, W) for a
   *     luminance-only run, whose one channel is repeated into grey RGB before the network
   * @param terms the weighted terms, summed in this order (the order fixes the rounding)
   * @param clampEachEvaluation clamp {@code x} to [0, 1] in place before each evaluation, as the
   *     tutorial's closure does ({@code clamp: closure})
   */
  TransferObjective(
      Vgg19 model,
      InputNormalizer normalizer,
      Shape imageShape,
      List<LossTerm> terms,
      boolean clampEachEvaluation) {
    this.model = model;
    this.normalizer = normalizer;
    this.imageShape = imageShape;
    this.terms = List.copyOf(terms);
    this.clampEachEvaluation = clampEachEvaluation;
    List<VggLayers.Layer> layers = new ArrayList<>();
    terms.forEach(t -> layers.addAll(t.layers()));
    this.taps = List.copyOf(layers);
  }

  /**
   * Evaluates the objective and its gradient at {@code x}.
   *
   * @param x the optimizer's flat point; modified only by {@code clamp: closure}
   * @param scope the optimizer's per-evaluation manager; the gradient is attached to it
   */
  Value evaluate(NDArray x, NDManager scope) {
    try (NDManager local = scope.newSubManager()) {
      local.tempAttachAll(x);
      clampIfAsked(x);
      NDArray leaf = x.duplicate();
      NDArray[] losses = new NDArray[1];
      NDArray gradient =
          Autograd.withGradMode(
              true,
              () -> {
                leaf.setRequiresGradient(true);
                NDArray image = networkInput(leaf.reshape(imageShape));
                Map<String, NDArray> features = model.forward(normalizer.apply(image), taps);
                Sums sums = terms(features, image, local);
                Autograd.backward(sums.backward());
                losses[0] = sums.losses();
                return leaf.getGradient();
              });
      // One host copy per evaluation: the three scalars the optimizer and the monitor need.
      double[] host = losses[0].toType(DataType.FLOAT64, false).toDoubleArray();
      return new Value(host[0], host[1], host[2], local.ret(gradient));
    }
  }

  /**
   * The tutorial's closure ({@code clamp: closure}): x clamped to [0, 1] in place, else nothing.
   */
  void clampIfAsked(NDArray x) {
    if (clampEachEvaluation) {
      // input_img.data.clamp_(0, 1), in place, outside autograd.
      x.set(new NDIndex("..."), x.clip(0, 1));
    }
  }

  /**
   * The image the network sees: as it is, or for {@code color_control: luminance} its one channel
   * repeated into grey RGB. Works on a batch (B, C, H, W) as on one image.
   */
  NDArray networkInput(NDArray image) {
    return imageShape.get(1) == 1 ? NDArrays.concat(new NDList(image, image, image), 1) : image;
  }

  /**
   * The sums of one evaluation.
   *
   * @param backward the scalar to backpropagate from (the terms' surrogates)
   * @param losses (total, weighted content, weighted style) stacked, detached
   */
  record Sums(NDArray backward, NDArray losses) {}

  /**
   * This objective's terms at one image's features, summed in order: the part of an evaluation
   * after the network, shared by the single and the batched evaluation (where {@code features} and
   * {@code image} are one run's rows of the batch's).
   */
  Sums terms(Map<String, NDArray> features, NDArray image, NDManager local) {
    NDArray total = null;
    NDArray root = null;
    Map<LossTerm.Part, NDArray> parts = new EnumMap<>(LossTerm.Part.class);
    for (LossTerm term : terms) {
      LossTerm.Value value = term.apply(features, image);
      total = LossTerm.plus(total, value.weighted());
      root = LossTerm.plus(root, value.backward());
      parts.merge(term.part(), value.weighted(), NDArray::add);
    }
    NDArray zero = local.zeros(new Shape(), image.getDataType());
    NDArray losses =
        NDArrays.stack(
                new NDList(
                    total,
                    parts.getOrDefault(LossTerm.Part.CONTENT, zero),
                    parts.getOrDefault(LossTerm.Part.STYLE, zero)))
            .stopGradient();
    return new Sums(root, losses);
  }

  Vgg19 model() {
    return model;
  }

  InputNormalizer normalizer() {
    return normalizer;
  }

  Shape imageShape() {
    return imageShape;
  }

  List<VggLayers.Layer> taps() {
    return taps;
  }
}
