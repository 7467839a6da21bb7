package org.stylesweep.spark;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.feedforward.Stylizer;
import org.stylesweep.image.ImageStore;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.transfer.TransferResult;

/**
 * {@code task: stylize} on an executor: one {@link Stylizer} per JVM, device and model file, loaded
 * on first use and shared by every task after it (the pattern of DJL's Spark extension, whose
 * artifact is not served), then one forward pass per content image. The result is a run whose image
 * is the stylized content and whose {@code ms_per_evaluation} is the forward pass's time.
 */
final class ExecutorStylizers {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorStylizers.class);

  private record Key(String model, String device) {}

  private static final ConcurrentHashMap<Key, Stylizer> STYLIZERS = new ConcurrentHashMap<>();

  private ExecutorStylizers() {}

  /** Stylizes the run's content with the network its style names, at {@code image_size}. */
  static TransferResult run(RunSpec spec, Device device, Configuration hadoop) throws IOException {
    long start = System.nanoTime();
    Stylizer stylizer =
        STYLIZERS.computeIfAbsent(
            new Key(spec.style(), device.toString()), k -> load(k.model(), device, hadoop));
    int side = spec.params().get(Params.IMAGE_SIZE);
    BufferedImage content = ImageStore.read(spec.content(), hadoop, 2 * side);
    long setup = (System.nanoTime() - start) / 1_000_000;
    long pass = System.nanoTime();
    BufferedImage image = stylizer.apply(content, side);
    double ms = (System.nanoTime() - pass) / 1e6;
    LOG.info(
        "run {}: stylized {} in {} ms", spec.runId(), spec.content(), String.format("%.1f", ms));
    return new TransferResult(
        image,
        new float[0],
        new float[0],
        new float[0],
        1,
        1,
        StopReason.MAX_EVALUATIONS,
        setup,
        (System.nanoTime() - start) / 1_000_000,
        ms,
        device.toString(),
        null);
  }

  private static Stylizer load(String model, Device device, Configuration hadoop) {
    long start = System.nanoTime();
    try {
      byte[] bytes = HadoopFiles.readAll(new Path(model), hadoop);
      // The executor's stylizers live as long as the JVM, like its VGG-19 models.
      Stylizer stylizer = new Stylizer(bytes, model, NDManager.newBaseManager(device));
      LOG.info(
          "loaded the style network {} ({}) on {} in {} ms",
          model,
          stylizer.recipe(),
          device,
          (System.nanoTime() - start) / 1_000_000);
      return stylizer;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the style network " + model + ": " + e.getMessage(), e);
    }
  }
}
