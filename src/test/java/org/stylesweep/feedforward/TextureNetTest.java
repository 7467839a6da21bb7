package org.stylesweep.feedforward;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.Autograd;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TestImages;

/**
 * Ulyanov et al.'s texture network on random VGG-19 weights and a tiny striped texture: after 80
 * steps (an untrained generator's Gram loss is ~20x L-BFGS's; trained samples measured ~1.4x),
 * samples from 8 seeds differ from each other, each matches the texture's Grams about as well as an
 * L-BFGS texture synthesis of the same size, and the network renders at twice its training size.
 */
class TextureNetTest {
  static final List<String> LAYERS = List.of("relu1_1", "relu2_1", "relu3_1");
  static final TextureNet.Recipe RECIPE = new TextureNet.Recipe(3, 8);
  static NDManager manager;
  static Vgg19 vgg;
  static BufferedImage textureImage;
  static Checkpoint trained;

  @BeforeAll
  static void train() {
    manager = NDManager.newBaseManager(Device.cpu());
    vgg = Vgg19.random(5, Pooling.MAX, Device.cpu());
    textureImage = TestImages.style(32, 32);
    TextureTrainer.Settings settings =
        new TextureTrainer.Settings(
            RECIPE, 32, 2, 80, 0.02, 1000, 1, LAYERS, List.of(), 1.0e4, GramNorm.CHW);
    trained =
        TextureTrainer.train(
            vgg,
            Normalization.IMAGENET,
            ImageTensors.toTensor(textureImage, manager),
            settings,
            null,
            new StyleTrainer.Listener() {
              @Override
              public void onStep(int step, int steps, double total, double content, double style) {}

              @Override
              public void onCheckpoint(Checkpoint checkpoint) {}
            },
            manager);
  }

  @AfterAll
  static void close() {
    vgg.close();
    manager.close();
  }

  /** The unweighted Gram loss of a (1, 3, H, W) image against the texture, as training sees it. */
  static double gramLoss(NDArray image) {
    try (NDManager scope = manager.newSubManager()) {
      InputNormalizer normalizer =
          InputNormalizer.create(Normalization.IMAGENET, scope, DataType.FLOAT32);
      List<VggLayers.Layer> layers = VggLayers.resolveAll(LAYERS);
      List<NDArray> targets =
          TextureTrainer.targetGrams(
              vgg,
              normalizer,
              ImageTensors.toTensor(textureImage, scope),
              layers,
              GramNorm.CHW,
              scope);
      return Autograd.withGradMode(
          false,
          () -> {
            NDArray x = image.duplicate();
            x.attach(scope);
            Map<String, NDArray> f = vgg.forward(normalizer.apply(x), layers);
            return (double)
                StyleTrainer.styleLoss(f, layers, targets, new double[] {1, 1, 1}, GramNorm.CHW)
                    .getFloat();
          });
    }
  }

  @Test
  void eightSeedsGiveDifferentSamplesEachAsGoodAsAnLbfgsTexture() {
    List<NDArray> samples =
        TextureTrainer.generate(trained.weights(), RECIPE, 8, 32, 32, 100, manager);
    RunParams params =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, 32)
            .with(Params.STEPS, 60)
            .with(Params.INIT, Init.NOISE)
            .with(Params.STYLE_LAYERS, LAYERS)
            .with(Params.STYLE_WEIGHT, 1.0e4);
    BufferedImage lbfgs =
        StyleTransfer.run(
                vgg,
                Normalization.IMAGENET,
                Task.TEXTURE,
                null,
                textureImage,
                params,
                ProgressListener.NONE)
            .image();
    double reference = gramLoss(ImageTensors.toTensor(lbfgs, manager));

    double untrained =
        gramLoss(
            TextureTrainer.generate(
                    TextureNet.initialWeights(RECIPE, 1, manager), RECIPE, 1, 32, 32, 100, manager)
                .get(0));
    // the bound below must separate: an untrained generator is far from the texture
    assertThat(untrained).isGreaterThan(2 * reference);
    double pairwise = 0;
    int pairs = 0;
    for (int i = 0; i < samples.size(); i++) {
      assertThat(gramLoss(samples.get(i)))
          .as("Gram loss of sample %d against L-BFGS's %s", i, reference)
          .isLessThanOrEqualTo(2 * reference);
      for (int j = i + 1; j < samples.size(); j++) {
        pairwise += samples.get(i).sub(samples.get(j)).abs().mean().getFloat();
        pairs++;
      }
    }
    assertThat(pairwise / pairs).as("mean pairwise L1").isGreaterThanOrEqualTo(0.05);
  }

  @Test
  void rendersAtTwiceTheTrainingSize() {
    NDArray big = TextureTrainer.generate(trained.weights(), RECIPE, 1, 64, 64, 7, manager).get(0);

    assertThat(big.getShape()).isEqualTo(new Shape(1, 3, 64, 64));
    assertThat(big.sub(big.mean()).abs().mean().getFloat()).as("not flat").isGreaterThan(0.02f);
    assertThat(ImageTensors.toImage(big).getWidth()).isEqualTo(64);
  }
}
