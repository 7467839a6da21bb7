package org.stylesweep.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.feedforward.Checkpoint;
import org.stylesweep.feedforward.TextureNet;
import org.stylesweep.feedforward.TextureTrainer;
import org.stylesweep.image.ImageStore;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.spark.TrainedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code generate MODEL --count N --size PX --out DIR}: texture samples from a trained network. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description =
        "Draw texture samples from a network trained by task: train_texture, one per seed, at any"
            + " size. Writes DIR/sample-<seed>.png.")
final class GenerateCommand implements Callable<Integer> {

  @ParentCommand StyleSweep root;

  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      description =
          "A model file, a run's model folder, or the output folder of a train_texture sweep"
              + " (with --run when it holds several).")
  String model;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  String out;

  @Option(names = "--run", paramLabel = "RUN_ID", description = "The run inside an OUT folder.")
  String runId;

  @Option(
      names = "--count",
      defaultValue = "8",
      description = "Samples (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--size",
      defaultValue = "256",
      description =
          "Side in px, rounded down to the network's multiple (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed of the first sample; the others take the next seeds (default: 0).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (count < 1
        || count > 10_000
        || size < 1
        || size > org.stylesweep.spec.Params.MAX_IMAGE_SIZE) {
      throw new StyleSweep.BadInputException(
          "--count must be 1..10000 and --size 1..4096; got --count " + count + ", --size " + size);
    }
    Configuration conf = HadoopFiles.configurationFromSystemProperties();
    Path file;
    try {
      file = TrainedModels.resolve(model, runId, conf);
    } catch (IllegalArgumentException e) {
      throw new StyleSweep.BadInputException(e.getMessage());
    }
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Checkpoint c;
      TextureNet.Recipe recipe;
      try {
        c = Checkpoint.decode(HadoopFiles.readAll(file, conf), file.toString(), manager);
        recipe = TextureNet.Recipe.of(c.weights(), file.toString());
      } catch (IllegalArgumentException e) {
        throw new StyleSweep.BadInputException(e.getMessage());
      }
      int side =
          Math.max(recipe.sideMultiple(), size / recipe.sideMultiple() * recipe.sideMultiple());
      for (int i = 0; i < count; i++) {
        long start = System.nanoTime();
        List<NDArray> one =
            TextureTrainer.generate(c.weights(), recipe, 1, side, side, seed + i, manager);
        String name = "sample-" + (seed + i) + ".png";
        ImageStore.writePng(ImageTensors.toImage(one.get(0)), new Path(out, name).toString(), conf);
        one.get(0).close();
        root.out.printf(
            Locale.ROOT,
            "[%d/%d] %s %dx%d %.0f ms%n",
            i + 1,
            count,
            name,
            side,
            side,
            (System.nanoTime() - start) / 1e6);
      }
    }
    root.out.println("samples in " + out);
    return ExitCodes.OK;
  }
}
