package org.stylesweep.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.feedforward.Checkpoint;
import org.stylesweep.feedforward.StyleTrainer;
import org.stylesweep.feedforward.Stylizer;
import org.stylesweep.feedforward.TrainingImages;
import org.stylesweep.feedforward.TransformerNet;
import org.stylesweep.image.ImageStore;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.StyleBlend;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.TransferResult;

/**
 * A {@code train_style} run inside a Spark task: trains a transformation network on the run's
 * training set (its content string lists every content) for its one style, writing under {@code
 * OUT/models/<run id>/}:
 *
 * <pre>
 * checkpoint-NNNNNN.safetensors  weights, Adam's moments, loss curve (the latest one is kept)
 * sample-NNNNNN.png              the first training image stylized at each checkpoint
 * model.safetensors              the final weights and loss curve: what {@code stylize} reads
 * </pre>
 *
 * A rerun or retried task resumes from the latest checkpoint. The result is a {@link
 * TransferResult} whose image is the final sample and whose loss history is the training curve, so
 * the record, the metrics table and the report treat it like any run.
 */
final class StyleTraining {
  private static final Logger LOG = LoggerFactory.getLogger(StyleTraining.class);

  /** Folder of trained networks, relative to the output folder. */
  static final String MODELS = "models";

  /** The final model file's name inside a run's model folder. */
  static final String MODEL_FILE = "model.safetensors";

  private StyleTraining() {}

  /** The model folder of a run. */
  static Path folder(String out, String runId) {
    return new Path(new Path(out, MODELS), runId);
  }

  /** The settings of a run's training, from its parameters. */
  static StyleTrainer.Settings settings(RunParams p) {
    int width = p.get(Params.TRAIN_WIDTH);
    return new StyleTrainer.Settings(
        new TransformerNet.Recipe(
            List.of(width, 2 * width, 4 * width),
            p.get(Params.TRAIN_RESIDUAL_BLOCKS),
            p.get(Params.TRAIN_KERNEL)),
        p.get(Params.STEPS),
        p.get(Params.TRAIN_LR),
        p.get(Params.CHECKPOINT_EVERY),
        p.get(Params.SEED),
        p.get(Params.TRAIN_CONTENT_LAYERS),
        p.get(Params.TRAIN_STYLE_LAYERS),
        p.get(Params.STYLE_LAYER_WEIGHTS),
        p.get(Params.CONTENT_WEIGHT),
        p.get(Params.STYLE_WEIGHT),
        p.get(Params.TV_WEIGHT),
        p.get(Params.GRAM_NORM),
        p.get(Params.CONTENT_LOSS));
  }

  static TransferResult run(
      RunSpec spec, Vgg19 vgg, String out, Configuration hadoop, ProgressListener progress)
      throws IOException {
    long start = System.nanoTime();
    RunParams p = spec.params();
    List<String> styles = StyleBlend.members(spec.style());
    if (styles.size() != 1) {
      throw new IllegalArgumentException(
          "train_style trains one network per style image; the style "
              + spec.style()
              + " blends "
              + styles.size()
              + " (list them as separate styles)");
    }
    List<String> contents = StyleBlend.members(spec.content());
    StyleTrainer.Settings settings = settings(p);
    int crop = p.get(Params.TRAIN_CROP);
    int side = p.get(Params.IMAGE_SIZE);
    int styleSide =
        (int) Math.min(Params.MAX_IMAGE_SIZE, Math.round(p.get(Params.STYLE_SCALE) * side));
    BufferedImage styleImage = ImageStore.read(styles.get(0), hadoop, 2 * styleSide);
    BufferedImage sample = ImageStore.read(contents.get(0), hadoop, 2 * side);
    TrainingImages data =
        new TrainingImages(
            contents.size(),
            TrainingImages.reader(contents, uri -> ImageStore.read(uri, hadoop, 4 * crop)),
            crop,
            p.get(Params.TRAIN_BATCH_SIZE),
            p.get(Params.SEED));
    Path folder = folder(out, spec.runId());
    try (NDManager manager = NDManager.newBaseManager(vgg.device())) {
      Checkpoint resume = latest(folder, hadoop, manager);
      if (resume != null) {
        LOG.info(
            "run {}: resuming the training from its checkpoint at step {}",
            spec.runId(),
            resume.step());
      }
      int[] size =
          ImageTensors.scaledSize(styleImage.getWidth(), styleImage.getHeight(), styleSide);
      NDArray style = ImageTensors.toTensor(styleImage, size[0], size[1], manager);
      long setup = (System.nanoTime() - start) / 1_000_000;
      long trainStart = System.nanoTime();
      int firstStep = resume == null ? 1 : resume.step() + 1;
      Checkpoint end =
          StyleTrainer.train(
              vgg,
              spec.model().normalization(),
              style,
              data,
              settings,
              resume,
              listener(
                  progress, checkpoint -> write(folder, checkpoint, sample, side, hadoop, manager)),
              manager);
      double msPerStep = msPerStep(trainStart, firstStep, end);
      Checkpoint model = writeModel(folder, end, hadoop);
      BufferedImage image;
      try (Stylizer stylizer = new Stylizer(model.encode(), MODEL_FILE, manager)) {
        image = stylizer.apply(sample, side);
      }
      return result(image, end, setup, start, msPerStep, vgg);
    }
  }

  /**
   * A training's listener: progress every {@link ProgressListener#every()} steps and at the last,
   * each checkpoint to {@code onCheckpoint} (style and texture trainings alike).
   */
  static StyleTrainer.Listener listener(
      ProgressListener progress, java.util.function.Consumer<Checkpoint> onCheckpoint) {
    return new StyleTrainer.Listener() {
      @Override
      public void onStep(int step, int steps, double total, double content, double style) {
        if (step % progress.every() == 0 || step == steps) {
          progress.onProgress(step, steps, total, content, style);
        }
      }

      @Override
      public void onCheckpoint(Checkpoint checkpoint) {
        onCheckpoint.accept(checkpoint);
      }
    };
  }

  /** Milliseconds per step trained in this attempt (steps from firstStep to end's), or NaN. */
  static double msPerStep(long trainStartNanos, int firstStep, Checkpoint end) {
    int trained = end.step() - firstStep + 1;
    return trained > 0 ? (System.nanoTime() - trainStartNanos) / 1e6 / trained : Double.NaN;
  }

  /** Writes the trained network (weights only, no optimiser state) as MODEL_FILE; returns it. */
  static Checkpoint writeModel(Path folder, Checkpoint end, Configuration hadoop)
      throws java.io.IOException {
    Checkpoint model =
        new Checkpoint(end.weights(), Map.of(), Map.of(), end.total(), end.content(), end.style());
    HadoopFiles.writeDurably(new Path(folder, MODEL_FILE), model.encode(), hadoop);
    return model;
  }

  /** A training's run result: its sample image and its final losses, one "evaluation" a step. */
  static TransferResult result(
      BufferedImage image,
      Checkpoint end,
      long setupMillis,
      long startNanos,
      double msPerStep,
      Vgg19 vgg) {
    return new TransferResult(
        image,
        end.total(),
        end.content(),
        end.style(),
        end.step(),
        end.step(),
        StopReason.MAX_EVALUATIONS,
        setupMillis,
        (System.nanoTime() - startNanos) / 1_000_000,
        msPerStep,
        vgg.device().toString(),
        null);
  }

  /** Writes a checkpoint and its sample, then removes older checkpoints. */
  private static void write(
      Path folder,
      Checkpoint checkpoint,
      BufferedImage sample,
      int side,
      Configuration hadoop,
      NDManager manager) {
    String step = String.format("%06d", checkpoint.step());
    try {
      byte[] bytes = checkpoint.encode();
      HadoopFiles.writeDurably(
          new Path(folder, "checkpoint-" + step + ".safetensors"), bytes, hadoop);
      try (Stylizer stylizer = new Stylizer(bytes, "checkpoint", manager)) {
        ImageStore.writePng(
            stylizer.apply(sample, side),
            new Path(folder, "sample-" + step + ".png").toString(),
            hadoop);
      }
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

  /** The latest checkpoint under {@code folder}, or null when there is none. */
  static Checkpoint latest(Path folder, Configuration hadoop, NDManager manager)
      throws IOException {
    if (!HadoopFiles.exists(folder, hadoop)) {
      return null;
    }
    FileSystem fs = HadoopFiles.fileSystem(folder, hadoop);
    Path best = null;
    for (FileStatus s :
        fs.listStatus(
            folder,
            f -> f.getName().startsWith("checkpoint-") && f.getName().endsWith(".safetensors"))) {
      if (best == null || s.getPath().getName().compareTo(best.getName()) > 0) {
        best = s.getPath();
      }
    }
    return best == null
        ? null
        : Checkpoint.decode(HadoopFiles.readAll(best, hadoop), best.toString(), manager);
  }
}
