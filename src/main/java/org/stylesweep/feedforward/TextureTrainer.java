package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stylesweep.loss.Scalars;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.Normalization;
import org.stylesweep.transfer.Autograd;

/**
 * Trains a {@link TextureNet} for one texture with the Gram loss of the optimisation runs
 * (style_weight · Σ w_l · mean((G_l(g(z)) − G_l(s))²), per-sample Grams), fresh noise every step
 * (drawn from the seed and the step, so a resumed training continues exactly), Adam as in {@link
 * AdamLoop}.
 */
public final class TextureTrainer {
  private TextureTrainer() {}

  /**
   * What to train.
   *
   * @param recipe the generator's shape
   * @param side the side of the training samples (a multiple of the recipe's)
   * @param batch samples per step
   * @param steps Adam steps
   * @param lr Adam's learning rate
   * @param checkpointEvery a checkpoint every this many steps and at the end
   * @param seed seed of the initial weights and of the noise
   * @param styleLayers the Gram loss's layers
   * @param styleLayerWeights one per layer, or empty for 1 each
   * @param styleWeight the loss's weight
   * @param gramNorm the Gram normalisation
   */
  public record Settings(
      TextureNet.Recipe recipe,
      int side,
      int batch,
      int steps,
      double lr,
      int checkpointEvery,
      long seed,
      List<String> styleLayers,
      List<Double> styleLayerWeights,
      double styleWeight,
      GramNorm gramNorm) {}

  /** Trains (or resumes) until {@code settings.steps()}; see {@link StyleTrainer#train}. */
  public static Checkpoint train(
      Vgg19 vgg,
      Normalization normalization,
      NDArray texture,
      Settings settings,
      Checkpoint resume,
      StyleTrainer.Listener listener,
      NDManager owner) {
    List<VggLayers.Layer> layers = VggLayers.resolveAll(settings.styleLayers());
    double[] layerWeights = new double[layers.size()];
    for (int i = 0; i < layers.size(); i++) {
      layerWeights[i] =
          settings.styleLayerWeights().isEmpty() ? 1.0 : settings.styleLayerWeights().get(i);
    }
    NDManager state = owner.newSubManager();
    InputNormalizer normalizer = InputNormalizer.create(normalization, state, DataType.FLOAT32);
    List<NDArray> targets =
        targetGrams(vgg, normalizer, texture, layers, settings.gramNorm(), state);
    Map<String, NDArray> initial =
        resume == null
            ? TextureNet.initialWeights(settings.recipe(), settings.seed(), state)
            : null;
    AdamLoop.StepLoss loss =
        (step, leaves, scope) -> {
          NDList z =
              TextureNet.noise(
                  settings.recipe(),
                  settings.batch(),
                  settings.side(),
                  settings.side(),
                  settings.seed() * 0x9E3779B97F4A7C15L + step,
                  scope);
          NDArray y = TextureNet.forward(leaves, settings.recipe(), z);
          Map<String, NDArray> features = vgg.forward(normalizer.apply(y), layers);
          NDArray style =
              Scalars.times(
                  StyleTrainer.styleLoss(
                      features, layers, targets, layerWeights, settings.gramNorm()),
                  settings.styleWeight());
          NDArray zero = scope.zeros(new ai.djl.ndarray.types.Shape(), DataType.FLOAT32);
          return new NDArray[] {style, zero, style};
        };
    return AdamLoop.run(
        initial,
        resume,
        settings.steps(),
        settings.lr(),
        settings.checkpointEvery(),
        loss,
        listener,
        state);
  }

  /** The (1, C, C) Gram targets of the texture at each layer, in {@code state}. */
  static List<NDArray> targetGrams(
      Vgg19 vgg,
      InputNormalizer normalizer,
      NDArray texture,
      List<VggLayers.Layer> layers,
      GramNorm norm,
      NDManager state) {
    List<NDArray> grams = new ArrayList<>();
    Autograd.withGradMode(
        false,
        () -> {
          Map<String, NDArray> features = vgg.forward(normalizer.apply(texture), layers);
          for (VggLayers.Layer layer : layers) {
            NDArray gram = StyleTrainer.batchGram(features.get(layer.name()), norm);
            gram.attach(state);
            grams.add(gram);
          }
          return null;
        });
    return grams;
  }

  /**
   * {@code count} samples of side {@code height × width} from seeds {@code firstSeed}, firstSeed +
   * 1, … (one sample per seed), clamped to [0, 1], as (1, 3, H, W) arrays in {@code manager}.
   */
  public static List<NDArray> generate(
      Map<String, NDArray> weights,
      TextureNet.Recipe recipe,
      int count,
      int height,
      int width,
      long firstSeed,
      NDManager manager) {
    List<NDArray> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long seed = firstSeed + i;
      samples.add(
          Autograd.withGradMode(
              false,
              () ->
                  TextureNet.forward(
                          weights,
                          recipe,
                          TextureNet.noise(recipe, 1, height, width, seed, manager))
                      .clip(0, 1)));
    }
    return samples;
  }
}
