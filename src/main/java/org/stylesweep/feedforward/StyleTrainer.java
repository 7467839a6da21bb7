package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.stylesweep.loss.ContentLoss;
import org.stylesweep.loss.Gram;
import org.stylesweep.loss.Scalars;
import org.stylesweep.loss.StyleLoss;
import org.stylesweep.loss.TotalVariation;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.ContentLossKind;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.Normalization;
import org.stylesweep.transfer.Autograd;

/**
 * Trains a transformation network for one style with the perceptual loss of Johnson et al. (2016)
 * through the same VGG-19, losses and weights as the optimisation runs: for a batch x and the
 * network's output y = f(x),
 *
 * <pre>
 *   content_weight · Σ content(φ_l(y), φ_l(x))  +  style_weight · Σ w_l · mean((G_l(y) − G_l(s))²)
 *   + tv_weight · TV(y)
 * </pre>
 *
 * with G the per-sample Gram matrix normalised as {@code gram_norm} says, s the style image, and
 * Adam ({@code torch.optim.Adam}'s update) on the network's weights.
 *
 * <p>Gradients come from libtorch's per-thread autograd ({@link Autograd}), never DJL's one-per-JVM
 * gradient collector, so several trainings run as parallel Spark tasks in one executor. Each step
 * differentiates with respect to fresh copies of the weights, so gradients never accumulate. Batch
 * k depends only on the seed and k ({@link TrainingImages}), and a checkpoint holds the weights,
 * Adam's moments and the loss curve, so a training resumed from a checkpoint continues exactly as
 * if it had not stopped.
 */
public final class StyleTrainer {
  private StyleTrainer() {}

  /**
   * What to train and how.
   *
   * @param recipe the network's shape
   * @param steps the steps to reach (a resumed training does the rest)
   * @param lr Adam's learning rate
   * @param checkpointEvery a checkpoint every this many steps (and always at the end)
   * @param seed the seed of the initial weights (the batches have their own, in the data)
   * @param contentLayers the layers of the content loss
   * @param styleLayers the layers of the style loss
   * @param styleLayerWeights one weight per style layer, or empty for 1 each
   * @param contentWeight the content loss's weight
   * @param styleWeight the style loss's weight
   * @param tvWeight the total variation's weight
   * @param gramNorm how Gram matrices are normalised
   * @param contentLoss mean or sum of squared feature differences
   */
  public record Settings(
      TransformerNet.Recipe recipe,
      int steps,
      double lr,
      int checkpointEvery,
      long seed,
      List<String> contentLayers,
      List<String> styleLayers,
      List<Double> styleLayerWeights,
      double contentWeight,
      double styleWeight,
      double tvWeight,
      GramNorm gramNorm,
      ContentLossKind contentLoss) {}

  /** Hears a training's progress and receives its checkpoints; called on the training thread. */
  public interface Listener {
    /** After each step (1-based), with that step's losses (weighted parts). */
    void onStep(int step, int steps, double total, double content, double style);

    /** A checkpoint is due: every {@code checkpointEvery} steps and at the end. */
    void onCheckpoint(Checkpoint checkpoint);
  }

  /**
   * Trains, or resumes {@code resume}, until {@code settings.steps()} steps.
   *
   * @param style the (1, 3, H, W) style image in [0, 1]
   * @param resume a checkpoint to continue from (its arrays are copied), or null to start afresh
   * @param owner the manager the returned checkpoint's arrays belong to
   * @return the final state
   * @throws IllegalStateException naming the step when the loss becomes NaN or infinite
   */
  public static Checkpoint train(
      Vgg19 vgg,
      Normalization normalization,
      NDArray style,
      TrainingImages data,
      Settings settings,
      Checkpoint resume,
      Listener listener,
      NDManager owner) {
    List<VggLayers.Layer> contentLayers = VggLayers.resolveAll(settings.contentLayers());
    List<VggLayers.Layer> styleLayers = VggLayers.resolveAll(settings.styleLayers());
    List<VggLayers.Layer> taps =
        new ArrayList<>(new LinkedHashSet<>(concat(contentLayers, styleLayers)));
    double[] layerWeights = layerWeights(settings.styleLayerWeights(), styleLayers.size());
    NDManager state = owner.newSubManager();
    InputNormalizer normalizer = InputNormalizer.create(normalization, state, DataType.FLOAT32);
    Map<String, NDArray> weights = null;
    if (resume == null) {
      weights = TransformerNet.initialWeights(settings.recipe(), settings.seed(), state);
    } else if (!TransformerNet.Recipe.of(resume.weights(), "the checkpoint")
        .equals(settings.recipe())) {
      throw new IllegalArgumentException(
          "the checkpoint's network "
              + TransformerNet.Recipe.of(resume.weights(), "the checkpoint")
              + " differs from the one asked for, "
              + settings.recipe());
    }
    List<NDArray> targetGrams = new ArrayList<>();
    Autograd.withGradMode(
        false,
        () -> {
          Map<String, NDArray> features = vgg.forward(normalizer.apply(style), styleLayers);
          for (VggLayers.Layer layer : styleLayers) {
            NDArray gram = batchGram(features.get(layer.name()), settings.gramNorm());
            gram.attach(state);
            targetGrams.add(gram);
          }
          return null;
        });
    AdamLoop.StepLoss stepLoss =
        (step, leaves, scope) -> {
          NDArray batch = data.batch(step, scope);
          Map<String, NDArray> contentTargets =
              Autograd.withGradMode(
                  false, () -> vgg.forward(normalizer.apply(batch), contentLayers));
          return Autograd.withGradMode(
              true,
              () -> {
                NDArray y = TransformerNet.forward(leaves, settings.recipe(), batch);
                Map<String, NDArray> features = vgg.forward(normalizer.apply(y), taps);
                NDArray contentLoss = null;
                for (VggLayers.Layer layer : contentLayers) {
                  contentLoss =
                      plus(
                          contentLoss,
                          ContentLoss.of(
                              features.get(layer.name()),
                              contentTargets.get(layer.name()),
                              settings.contentLoss()));
                }
                NDArray styleLoss =
                    styleLoss(
                        features, styleLayers, targetGrams, layerWeights, settings.gramNorm());
                NDArray zero = scope.zeros(new Shape(), DataType.FLOAT32);
                NDArray weightedContent =
                    contentLoss == null
                        ? zero
                        : Scalars.times(contentLoss, settings.contentWeight());
                NDArray weightedStyle = Scalars.times(styleLoss, settings.styleWeight());
                NDArray sum = weightedContent.add(weightedStyle);
                if (settings.tvWeight() > 0) {
                  sum = sum.add(Scalars.times(TotalVariation.of(y), settings.tvWeight()));
                }
                return new NDArray[] {sum, weightedContent, weightedStyle};
              });
        };
    return AdamLoop.run(
        weights,
        resume,
        settings.steps(),
        settings.lr(),
        settings.checkpointEvery(),
        stepLoss,
        listener,
        state);
  }

  /** Σ_l w_l · mean((G_l − A_l)²) over the style layers, per-sample Grams against the targets. */
  static NDArray styleLoss(
      Map<String, NDArray> features,
      List<VggLayers.Layer> styleLayers,
      List<NDArray> targetGrams,
      double[] layerWeights,
      GramNorm norm) {
    NDArray styleLoss = null;
    for (int l = 0; l < styleLayers.size(); l++) {
      NDArray gram = batchGram(features.get(styleLayers.get(l).name()), norm);
      styleLoss = plus(styleLoss, StyleLoss.of(gram, targetGrams.get(l), layerWeights[l]));
    }
    return styleLoss;
  }

  /**
   * The (N, C, C) Gram matrices of (N, C, H, W) features, one per sample, normalised as a single
   * image's Gram ({@link Gram#divisor} of a (1, C, H, W) shape).
   */
  static NDArray batchGram(NDArray features, GramNorm norm) {
    Shape s = features.getShape();
    NDArray f = features.reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
    NDArray gram = f.batchMatMul(f.transpose(0, 2, 1));
    long divisor = Gram.divisor(new Shape(1, s.get(1), s.get(2), s.get(3)), norm);
    return divisor == 1 ? gram : Scalars.dividedBy(gram, divisor);
  }

  private static NDArray plus(NDArray sum, NDArray term) {
    return sum == null ? term : sum.add(term);
  }

  private static double[] layerWeights(List<Double> weights, int layers) {
    double[] w = new double[layers];
    for (int i = 0; i < layers; i++) {
      w[i] = weights.isEmpty() ? 1.0 : weights.get(i);
    }
    return w;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
