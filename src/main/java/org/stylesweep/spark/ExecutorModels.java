package org.stylesweep.spark;

import ai.djl.Device;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.WeightsSource;

/**
 * The executor-side model cache: one VGG-19 per JVM, device, weights id and pooling, loaded on
 * first use and shared by every run (and thread) after it. Weights files are read through Hadoop's
 * FileSystem, or from the copy the driver shipped with {@code SparkContext.addFile}.
 */
final class ExecutorModels {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);

  private record Key(String weightsId, String device, Pooling pooling) {}

  private static final ConcurrentHashMap<Key, Vgg19> MODELS = new ConcurrentHashMap<>();

  private ExecutorModels() {}

  /** The cached model, loading it when this JVM has none for the key. */
  static Vgg19 get(ModelSpec spec, Device device, Configuration conf) {
    Key key = new Key(spec.weightsId(), device.toString(), spec.pooling());
    return MODELS.computeIfAbsent(key, k -> load(spec, device, conf));
  }

  /** Models loaded in this JVM, for tests and logs. */
  static int size() {
    return MODELS.size();
  }

  private static Vgg19 load(ModelSpec spec, Device device, Configuration conf) {
    long start = System.nanoTime();
    Vgg19 model;
    if (spec.weights() instanceof WeightsSource.Random random) {
      model = Vgg19.random(random.seed(), spec.pooling(), device);
    } else {
      String weights = spec.weights().spelling();
      Path path = new Path(weights);
      File shipped = shippedCopy(path.getName());
      if (shipped != null) {
        model = Vgg19.fromFile(shipped.toPath(), spec.pooling(), device);
      } else if ("file".equals(path.toUri().getScheme())) {
        model = Vgg19.fromFile(java.nio.file.Path.of(path.toUri()), spec.pooling(), device);
      } else {
        try (InputStream in = HadoopFiles.fileSystem(path, conf).open(path)) {
          model = Vgg19.fromStream(in, weights, spec.pooling(), device);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot read weights " + weights + ": " + e.getMessage(), e);
        }
      }
    }
    LOG.info(
        "loaded VGG-19 {} ({} pooling) on {} in {} ms",
        spec.weightsId(),
        spec.pooling().key(),
        device,
        (System.nanoTime() - start) / 1_000_000);
    return model;
  }

  /** The file the driver shipped with {@code addFile}, when this JVM has it. */
  private static File shippedCopy(String name) {
    try {
      File file = new File(SparkFiles.get(name));
      return file.isFile() ? file : null;
    } catch (RuntimeException e) {
      // No SparkEnv (outside a Spark task): nothing was shipped.
      return null;
    }
  }
}
