package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.transfer.Autograd;

/**
 * Applies a trained transformation network to images: one forward pass, no gradients. Thread-safe
 * once built (the weights are only read), so one instance serves every task of an executor.
 */
public final class Stylizer implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> weights;
  private final TransformerNet.Recipe recipe;

  /**
   * Reads a model (a checkpoint or a model file, see {@link Checkpoint}) onto {@code manager}'s
   * device; the stylizer owns a sub-manager of it.
   */
  public Stylizer(byte[] model, String source, NDManager parent) {
    this.manager = parent.newSubManager();
    try {
      Checkpoint checkpoint = Checkpoint.decode(model, source, manager);
      this.weights = checkpoint.weights();
      this.recipe = TransformerNet.Recipe.of(weights, source);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The network's shape. */
  public TransformerNet.Recipe recipe() {
    return recipe;
  }

  /**
   * Stylizes {@code image} with its longest side resized to {@code longestSide} (0: its own size);
   * both sides are rounded to multiples of 4, which the network's two halvings need.
   */
  public BufferedImage apply(BufferedImage image, int longestSide) {
    int[] size =
        longestSide > 0
            ? ImageTensors.scaledSize(image.getWidth(), image.getHeight(), longestSide)
            : new int[] {image.getWidth(), image.getHeight()};
    int w = Math.max(4, Math.round(size[0] / 4f) * 4);
    int h = Math.max(4, Math.round(size[1] / 4f) * 4);
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = ImageTensors.toTensor(image, w, h, scope);
      NDArray y =
          Autograd.withGradMode(false, () -> TransformerNet.forward(weights, recipe, x).clip(0, 1));
      return ImageTensors.toImage(y);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
