package org.stylesweep.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.OptimizerKind;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Stages;
import org.stylesweep.spec.Task;

/**
 * An estimate of a run's peak memory before it starts, from the image size, the deepest layer, the
 * optimizer's history and the data type (docs/limits.md#memory-planning gives the model and its
 * check against measurements).
 *
 * <p>With P = image_size² pixels (the square bounds any aspect ratio of that longest side) and b
 * bytes per element:
 *
 * <ul>
 *   <li><b>activations</b>: A = Σ over the layers up to the deepest requested one of channels × P /
 *       4^(poolings before it) × b, plus 8 bytes per max-pooling output (the indices autograd
 *       keeps). The forward pass keeps all of them for the backward pass, which adds gradients of
 *       the same shapes while it walks back: {@link #ACTIVATION_FACTOR} × A at the peak.
 *   <li><b>optimizer</b>: L-BFGS keeps min(lbfgs_history, steps) (s, y) pairs of image-sized
 *       vectors plus {@link #LBFGS_VECTORS} working vectors (point, gradient, direction, previous
 *       gradient, best point, ...); Adam {@link #ADAM_VECTORS}. The optimized image has 3 channels
 *       (1 for color_control: luminance) of 4-byte floats.
 *   <li><b>targets</b>: the content features and the style Gram matrices kept for the whole run.
 *   <li><b>overhead</b>: {@link #OVERHEAD_BYTES} for the allocator's arenas and libtorch's
 *       per-thread buffers.
 * </ul>
 *
 * A multi-scale run's peak is its largest stage's (each stage frees the last one's arrays). The
 * estimate is of the run's own memory above a process that already holds the model; {@link
 * #weightsBytes} is the model's, which an executor holds once for all its runs.
 */
public final class MemoryPlan {
  private MemoryPlan() {}

  /**
   * Peak activation memory over the forward pass's saved tensors, fitted to fresh-JVM peaks at 128,
   * 256 and 512 px (measured 2.6, 2.75 and 2.0: glibc keeps small freed blocks in its arenas, while
   * large ones are unmapped at once; docs/limits.md#memory-planning).
   */
  static final double ACTIVATION_FACTOR = 2.3;

  /** Image-sized working vectors of L-BFGS besides its history. */
  static final int LBFGS_VECTORS = 8;

  /** Image-sized vectors of Adam: point, gradient, two moments, best point and a temporary. */
  static final int ADAM_VECTORS = 6;

  /** Allocator arenas and per-thread buffers, independent of the size. */
  static final long OVERHEAD_BYTES = 48L << 20;

  /**
   * The parts of an estimate, in bytes.
   *
   * @param activations the forward and backward passes at the peak
   * @param optimizer the optimizer's history and working vectors
   * @param targets content features and Gram matrices kept for the run
   * @param overhead allocator and thread buffers
   * @param size the image size (longest side) of the stage that peaks
   */
  public record Estimate(long activations, long optimizer, long targets, long overhead, int size) {

    /** The run's peak above a process holding the model. */
    public long total() {
      return activations + optimizer + targets + overhead;
    }

    /** One line for messages: the total and its parts. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s (activations %s, optimizer %s, targets %s, overhead %s at %d px)",
          mib(total()),
          mib(activations),
          mib(optimizer),
          mib(targets),
          mib(overhead),
          size);
    }
  }

  /**
   * The estimated peak of a run: its largest stage, or the run itself.
   *
   * @param bytesPerElement 4 for float32, 2 for float16/bfloat16
   */
  public static Estimate estimate(Task task, RunParams params, int bytesPerElement) {
    List<Stages.Stage> stages = Stages.of(params);
    if (stages.isEmpty()) {
      return single(task, params, bytesPerElement);
    }
    Estimate peak = null;
    for (Stages.Stage stage : stages) {
      Estimate e = single(task, stage.apply(params), bytesPerElement);
      if (peak == null || e.total() > peak.total()) {
        peak = e;
      }
    }
    return peak;
  }

  /**
   * The largest image_size whose estimate fits in {@code budget} bytes, with everything else of the
   * run as it is (a multi-scale schedule scaled in proportion); 0 when not even 16 px fits.
   */
  public static int largestFittingSize(
      Task task, RunParams params, int bytesPerElement, long budget) {
    int low = 0;
    int high = Params.MAX_IMAGE_SIZE;
    while (low < high) {
      int mid = (low + high + 1) / 2;
      if (mid >= 16 && fits(task, resized(params, mid), bytesPerElement, budget)) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    return low;
  }

  private static boolean fits(Task task, RunParams params, int bytesPerElement, long budget) {
    try {
      return estimate(task, params, bytesPerElement).total() <= budget;
    } catch (IllegalArgumentException e) {
      return false; // a schedule whose scaled sizes no longer rise
    }
  }

  /** Bytes of the convolutions' weights and biases up to the deepest layer the run needs. */
  public static long weightsBytes(Task task, RunParams params, int bytesPerElement) {
    int convs = deepest(task, params).convCount();
    long elements = 0;
    for (int i = 0; i < convs; i++) {
      int in = VggLayers.convInChannels(i);
      int out = VggLayers.convOutChannels(i);
      elements += 9L * in * out + out;
    }
    return elements * bytesPerElement;
  }

  /**
   * The sentence of a run that does not fit: its estimate, the memory it may use and the largest
   * size that would fit.
   *
   * @param where what the budget is, e.g. {@code "local mode: 7.2 GiB available / 2 runs at once"}
   */
  public static String refusal(
      Task task, RunParams params, int bytesPerElement, long budget, String where) {
    Estimate e = estimate(task, params, bytesPerElement);
    int fits = largestFittingSize(task, params, bytesPerElement, budget);
    return "needs about "
        + e.describe()
        + ", more than the "
        + mib(budget)
        + " a run may use ("
        + where
        + "); "
        + (fits >= 16
            ? "the largest image_size that fits is " + fits + " px"
            : "not even 16 px fits")
        + " (or lower lbfgs_history, use fewer or shallower layers, or give the run more memory)";
  }

  /** Mebibytes as people read them: {@code 1234 MiB}. */
  public static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }

  private static Estimate single(Task task, RunParams params, int b) {
    int size = params.get(Params.IMAGE_SIZE);
    double pixels = (double) size * size;
    VggLayers.Layer deepest = deepest(task, params);
    // activations: every tensor of the forward pass up to the deepest layer
    double elements = 0;
    double indices = 0;
    double scale = 1;
    for (VggLayers.Layer layer : VggLayers.all()) {
      if (layer.featureIndex() > deepest.featureIndex()) {
        break;
      }
      if (layer.kind() == VggLayers.Kind.POOL) {
        scale /= 4;
        indices += layer.channels() * pixels * scale;
      }
      elements += layer.channels() * pixels * scale;
    }
    long activations = (long) (ACTIVATION_FACTOR * (elements * b + indices * 8));
    // optimizer: float32 image-sized vectors
    int channels =
        params.get(Params.COLOR_CONTROL) == org.stylesweep.spec.ColorControl.LUMINANCE ? 1 : 3;
    double vector = channels * pixels * 4;
    int vectors =
        params.get(Params.OPTIMIZER) == OptimizerKind.LBFGS
            ? 2 * Math.min(params.get(Params.LBFGS_HISTORY), params.get(Params.STEPS))
                + LBFGS_VECTORS
            : ADAM_VECTORS;
    long optimizer = (long) (vectors * vector);
    // targets: content features at their layers, a Gram matrix per style layer
    double targets = 0;
    if (task != Task.TEXTURE) {
      for (VggLayers.Layer layer : VggLayers.resolveAll(params.get(Params.CONTENT_LAYERS))) {
        targets += layer.channels() * pixels / Math.pow(4, poolsBefore(layer)) * b;
      }
    }
    if (task != Task.RECONSTRUCT) {
      for (VggLayers.Layer layer : VggLayers.resolveAll(params.get(Params.STYLE_LAYERS))) {
        targets += (double) layer.channels() * layer.channels() * b;
      }
    }
    return new Estimate(activations, optimizer, (long) targets, OVERHEAD_BYTES, size);
  }

  private static int poolsBefore(VggLayers.Layer layer) {
    int pools = 0;
    for (VggLayers.Layer l : VggLayers.all()) {
      if (l.featureIndex() >= layer.featureIndex()) {
        break;
      }
      if (l.kind() == VggLayers.Kind.POOL) {
        pools++;
      }
    }
    return pools + (layer.kind() == VggLayers.Kind.POOL ? 1 : 0);
  }

  private static VggLayers.Layer deepest(Task task, RunParams params) {
    List<String> layers = new ArrayList<>();
    if (task != Task.TEXTURE) {
      layers.addAll(params.get(Params.CONTENT_LAYERS));
    }
    if (task != Task.RECONSTRUCT) {
      layers.addAll(params.get(Params.STYLE_LAYERS));
      if (params.get(Params.HISTOGRAM_WEIGHT) > 0) {
        layers.addAll(params.get(Params.HISTOGRAM_LAYERS));
      }
    }
    return VggLayers.deepest(layers.isEmpty() ? List.of("conv1_1") : layers);
  }

  /** The run at another image_size; a schedule's sizes scaled in proportion. */
  static RunParams resized(RunParams params, int size) {
    RunParams p = params.with(Params.IMAGE_SIZE, size);
    // (the stages string is rebuilt below; Stages.parse checks the scaled sizes still rise)
    List<Stages.Stage> stages = Stages.of(params);
    if (stages.isEmpty()) {
      return p;
    }
    double factor = (double) size / params.get(Params.IMAGE_SIZE);
    List<String> scaled = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      Stages.Stage s = stages.get(i);
      int side = i == stages.size() - 1 ? size : Math.max(1, (int) Math.round(s.size() * factor));
      scaled.add(new Stages.Stage(side, s.steps(), s.styleScale(), s.lbfgsHistory()).spelling());
    }
    return p.with(Params.STAGES, scaled);
  }
}
