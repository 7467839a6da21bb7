package org.stylesweep.transfer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.stylesweep.manifest.RunParams;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Normalization;
import org.stylesweep.model.Pooling;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;

/**
 * Measures the cost of one loss evaluation of a full style transfer against the bare network:
 * for each image size, the ms per evaluation of {@link StyleTransfer#run} with the default layers
 * (content conv4_2, style conv1_1..conv5_1, L-BFGS, random:0 weights), and the ms of a raw
 * forward + backward of VGG-19 truncated at conv5_1 on an input of the same size. The difference
 * is what the losses, Gram matrices, L-BFGS and bookkeeping add.
 *
 * <p>Usage: {@code java -cp target/classes:$(cat target/classpath.txt)
 * org.stylesweep.transfer.EvalTiming [sizes...] [--evals N] [--repeats R]} (defaults: 128 256,
 * 30 evaluations, 3 repeats; the median repeat is reported). Run on a quiet machine; set
 * {@code OMP_NUM_THREADS} to the cores one run should use.
 */
public final class EvalTiming {
  private EvalTiming() {}

  /** Runs the measurement and prints one line per size. */
  public static void main(String[] args) {
    List<Integer> sizes = new ArrayList<>();
    int evaluations = 30;
    int repeats = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--evals" -> evaluations = Integer.parseInt(args[++i]);
        case "--repeats" -> repeats = Integer.parseInt(args[++i]);
        default -> sizes.add(Integer.parseInt(args[i]));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(128, 256);
    }
    System.out.printf(Locale.ROOT, "engine %s %s, OMP_NUM_THREADS=%s, %d evaluations x %d repeats (median)%n",
        Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(),
        System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), evaluations, repeats);
    System.out.printf(Locale.ROOT, "%6s %14s %14s %9s%n", "size", "transfer ms", "fwd+bwd ms", "overhead");
    try (Vgg19 model = Vgg19.random(0, Pooling.MAX, Device.cpu())) {
      for (int size : sizes) {
        // warm up: oneDNN picks and caches kernels per shape on first use
        transferMsPerEvaluation(model, size, 3);
        rawMsPerEvaluation(model, size, 3);
        double[] transfer = new double[repeats];
        double[] raw = new double[repeats];
        for (int r = 0; r < repeats; r++) {
          transfer[r] = transferMsPerEvaluation(model, size, evaluations);
          raw[r] = rawMsPerEvaluation(model, size, evaluations);
        }
        double t = median(transfer);
        double f = median(raw);
        System.out.printf(Locale.ROOT, "%6d %14.1f %14.1f %8.1f%%%n", size, t, f, 100 * (t - f) / f);
      }
    }
  }

  /** ms per evaluation of a full transfer run (setup excluded), default layers, L-BFGS. */
  static double transferMsPerEvaluation(Vgg19 model, int size, int evaluations) {
    RunParams d = RunParams.defaults();
    RunParams params = new RunParams(size, 1.0, evaluations, d.optimizer(), d.lineSearch(), d.lr(),
        d.contentLayers(), d.styleLayers(), d.styleLayerWeights(), d.contentWeight(), d.styleWeight(),
        d.tvWeight(), d.gramNorm(), d.contentLoss(), d.init(), d.clamp(), d.seed());
    TransferResult result = StyleTransfer.run(model, Normalization.IMAGENET, Task.TRANSFER,
        scene(size), stripes(size), params, ProgressListener.NONE);
    if (!result.ok()) {
      throw new IllegalStateException("timing run failed: " + result.error());
    }
    if (result.evaluations() != evaluations) {
      throw new IllegalStateException("timing run stopped after " + result.evaluations() + " evaluations ("
          + result.stopReason().key() + "); the average would not be comparable");
    }
    return result.msPerEvaluation();
  }

  /** ms of one forward (normalization + VGG-19 up to conv5_1) and backward to the input. */
  static double rawMsPerEvaluation(Vgg19 model, int size, int evaluations) {
    List<VggLayers.Layer> deepest = List.of(VggLayers.resolve("conv5_1"));
    try (NDManager run = NDManager.newBaseManager(model.device())) {
      InputNormalizer normalizer = InputNormalizer.create(Normalization.IMAGENET, run, model.dataType());
      NDArray x = run.randomUniform(0, 1, new Shape(1, 3, size, size));
      long start = System.nanoTime();
      for (int i = 0; i < evaluations; i++) {
        try (NDManager scope = run.newSubManager()) {
          scope.tempAttachAll(x);
          NDArray leaf = x.duplicate();
          Autograd.withGradMode(true, () -> {
            leaf.setRequiresGradient(true);
            NDArray out = model.forward(normalizer.apply(leaf), deepest).get("conv5_1");
            Autograd.backward(out.sum());
            // read one gradient value so the timing includes finishing the backward pass
            return leaf.getGradient().get(0, 0, 0, 0).getFloat();
          });
        }
      }
      return (System.nanoTime() - start) / 1e6 / evaluations;
    }
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static BufferedImage scene(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 200), 0, size, new Color(230, 200, 150)));
    g.fillRect(0, 0, size, size);
    g.setColor(new Color(250, 220, 40));
    g.fillOval(size / 8, size / 8, size / 3, size / 3);
    g.dispose();
    return image;
  }

  private static BufferedImage stripes(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, ((x + y) / Math.max(1, size / 16)) % 2 == 0 ? 0xe05020 : 0x203080);
      }
    }
    return image;
  }
}
