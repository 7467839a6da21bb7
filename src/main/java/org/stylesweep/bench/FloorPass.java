package org.stylesweep.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;

/**
 * The floor (b): one forward pass of the VGG truncated at the deepest layer a run needs and one
 * backward pass to the input, on the run's own input, with nothing else: no normalization, no
 * losses, no optimizer. A run cannot be faster than this per evaluation.
 */
final class FloorPass {
  private FloorPass() {}

  /**
   * Time per pass, from the end of a first pass to the end of the last of {@code passes} more (the
   * same span a run is timed over: from its first evaluation to its last).
   *
   * @param size (width, height) of the run's image
   */
  static Timing measure(
      Vgg19 model, Workload workload, int[] size, VggLayers.Layer deepest, int passes) {
    try (NDManager manager = NDManager.newBaseManager(model.device())) {
      NDArray image = ImageTensors.toTensor(workload.content(), size[0], size[1], manager);
      boolean previous = JniUtils.isGradMode();
      JniUtils.setGradMode(true);
      try {
        Timing.Mark first = null;
        for (int i = 0; i <= passes; i++) {
          try (NDManager pass = manager.newSubManager()) {
            pass.tempAttachAll(image);
            NDArray leaf = image.duplicate();
            leaf.setRequiresGradient(true);
            NDArray output = model.forward(leaf, List.of(deepest)).get(deepest.name());
            JniUtils.backward((PtNDArray) output, (PtNDArray) output.onesLike(), false, false);
            // Reading one value waits for the device (a GPU queues work asynchronously).
            leaf.getGradient().getFloat(0, 0, 0, 0);
          }
          if (i == 0) {
            first = Timing.now();
          }
        }
        return Timing.between(first, Timing.now(), passes);
      } finally {
        JniUtils.setGradMode(previous);
      }
    }
  }
}
