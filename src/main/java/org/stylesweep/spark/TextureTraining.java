package org.stylesweep.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.feedforward.Checkpoint;
import org.stylesweep.feedforward.TextureNet;
import org.stylesweep.feedforward.TextureTrainer;
import org.stylesweep.image.ImageStore;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.TransferResult;

/**
 * A {@code train_texture} run inside a Spark task: trains Ulyanov et al.'s generator on the run's
 * style image, with the same files under {@code OUT/models/<run id>/} as {@link StyleTraining}
 * (samples are seed 0 at twice the training size). The run's image is that sample of the final
 * network; a rerun resumes from the latest checkpoint. At the end it also writes {@code
 * seed-<k>.png} for seeds 0 to {@value #SEEDS}−1 at twice the training size (what {@code generate
 * --seed k} draws at that size, up to a rounding step in a few pixels), which the report shows side
 * by side.
 */
final class TextureTraining {
  /** Seed samples the final network draws into its model folder, for the report. */
  static final int SEEDS = 4;

  private TextureTraining() {}

  /** The file of the final network's sample from {@code seed}, inside its model folder. */
  static String seedFile(int seed) {
    return "seed-" + seed + ".png";
  }

  static TransferResult run(
      RunSpec spec, Vgg19 vgg, String out, Configuration hadoop, ProgressListener progress)
      throws IOException {
    long start = System.nanoTime();
    RunParams p = spec.params();
    TextureNet.Recipe recipe =
        new TextureNet.Recipe(p.get(Params.TEXTURE_SCALES), p.get(Params.TEXTURE_CHANNELS));
    int multiple = recipe.sideMultiple();
    int side = Math.max(multiple, p.get(Params.IMAGE_SIZE) / multiple * multiple);
    TextureTrainer.Settings settings =
        new TextureTrainer.Settings(
            recipe,
            side,
            p.get(Params.TRAIN_BATCH_SIZE),
            p.get(Params.STEPS),
            p.get(Params.TRAIN_LR),
            p.get(Params.CHECKPOINT_EVERY),
            p.get(Params.SEED),
            p.get(Params.STYLE_LAYERS),
            p.get(Params.STYLE_LAYER_WEIGHTS),
            p.get(Params.STYLE_WEIGHT),
            p.get(Params.GRAM_NORM));
    int styleSide =
        (int) Math.min(Params.MAX_IMAGE_SIZE, Math.round(p.get(Params.STYLE_SCALE) * side));
    BufferedImage texture = ImageStore.read(spec.style(), hadoop, 2 * styleSide);
    Path folder = StyleTraining.folder(out, spec.runId());
    try (NDManager manager = NDManager.newBaseManager(vgg.device())) {
      Checkpoint resume = StyleTraining.latest(folder, hadoop, manager);
      int[] size = ImageTensors.scaledSize(texture.getWidth(), texture.getHeight(), styleSide);
      NDArray target = ImageTensors.toTensor(texture, size[0], size[1], manager);
      long setup = (System.nanoTime() - start) / 1_000_000;
      long trainStart = System.nanoTime();
      int firstStep = resume == null ? 1 : resume.step() + 1;
      Checkpoint end =
          TextureTrainer.train(
              vgg,
              spec.model().normalization(),
              target,
              settings,
              resume,
              StyleTraining.listener(
                  progress, c -> write(folder, c, recipe, 2 * side, hadoop, manager)),
              manager);
      double msPerStep = StyleTraining.msPerStep(trainStart, firstStep, end);
      StyleTraining.writeModel(folder, end, hadoop);
      BufferedImage image = sample(end, recipe, 2 * side, manager);
      // Several seeds side by side show what one network can draw; seed 0 is the run's image.
      ImageStore.writePng(image, new Path(folder, seedFile(0)).toString(), hadoop);
      for (int seed = 1; seed < SEEDS; seed++) {
        ImageStore.writePng(
            sample(end, recipe, 2 * side, seed, manager),
            new Path(folder, seedFile(seed)).toString(),
            hadoop);
      }
      return StyleTraining.result(image, end, setup, start, msPerStep, vgg);
    }
  }

  private static BufferedImage sample(
      Checkpoint c, TextureNet.Recipe recipe, int side, NDManager manager) {
    return sample(c, recipe, side, 0, manager);
  }

  private static BufferedImage sample(
      Checkpoint c, TextureNet.Recipe recipe, int side, long seed, NDManager manager) {
    try (NDManager scope = manager.newSubManager()) {
      return ImageTensors.toImage(
          TextureTrainer.generate(c.weights(), recipe, 1, side, side, seed, scope).get(0));
    }
  }

  private static void write(
      Path folder,
      Checkpoint c,
      TextureNet.Recipe recipe,
      int side,
      Configuration hadoop,
      NDManager manager) {
    String step = String.format("%06d", c.step());
    try {
      HadoopFiles.writeDurably(
          new Path(folder, "checkpoint-" + step + ".safetensors"), c.encode(), hadoop);
      ImageStore.writePng(
          sample(c, recipe, side, manager),
          new Path(folder, "sample-" + step + ".png").toString(),
          hadoop);
      FileSystem fs = HadoopFiles.fileSystem(folder, hadoop);
      for (FileStatus s : fs.listStatus(folder, f -> f.getName().startsWith("checkpoint-"))) {
        if (s.getPath().getName().compareTo("checkpoint-" + step) < 0) {
          fs.delete(s.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write a checkpoint under " + folder + ": " + e.getMessage(), e);
    }
  }
}
