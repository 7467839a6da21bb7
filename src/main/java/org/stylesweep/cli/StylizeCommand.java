package org.stylesweep.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.feedforward.Stylizer;
import org.stylesweep.image.ImageStore;
import org.stylesweep.manifest.InputExpander;
import org.stylesweep.spark.TrainedModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stylize MODEL IMAGES... --out DIR}: applies a trained transformation network to images on
 * this machine (no Spark), one forward pass each, and writes the results with a per-image timing
 * table.
 */
@Command(
    name = "stylize",
    mixinStandardHelpOptions = true,
    description =
        "Apply a trained style network (task: train_style) to images on this machine. Writes"
            + " DIR/<name>.png per image and DIR/timings.csv.")
final class StylizeCommand implements Callable<Integer> {

  @ParentCommand StyleSweep root;

  @Parameters(
      index = "0",
      paramLabel = "MODEL",
      description =
          "A model file (.safetensors), a run's model folder, or the output folder of a"
              + " train_style sweep (with --run when it holds several networks).")
  String model;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "IMAGES",
      description = "Image files, folders or globs (local, s3a, hdfs).")
  List<String> images = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  String out;

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description = "The run whose network to use, inside an output folder.")
  String runId;

  @Option(
      names = "--size",
      paramLabel = "PX",
      defaultValue = "0",
      description = "Longest side of the results; 0 (default) keeps each image's size.")
  int size;

  @Override
  public Integer call() throws Exception {
    if (size < 0 || size > org.stylesweep.spec.Params.MAX_IMAGE_SIZE) {
      throw new StyleSweep.BadInputException(
          "--size " + size + " is out of range; give 0 (keep) to 4096");
    }
    Configuration conf = HadoopFiles.configurationFromSystemProperties();
    Path modelFile;
    try {
      modelFile = TrainedModels.resolve(model, runId, conf);
    } catch (IllegalArgumentException e) {
      throw new StyleSweep.BadInputException(e.getMessage());
    }
    List<String> files = new ArrayList<>();
    InputExpander expander = new InputExpander(conf);
    for (String entry : images) {
      InputExpander.Expansion e = expander.expand(new Path(entry));
      if (!e.exists()) {
        throw new StyleSweep.BadInputException("no such image, folder or glob: " + entry);
      }
      if (e.files().isEmpty()) {
        throw new StyleSweep.BadInputException(entry + " holds no image (png, jpg, bmp, gif)");
      }
      files.addAll(e.files());
    }
    byte[] bytes = HadoopFiles.readAll(modelFile, conf);
    StringBuilder csv = new StringBuilder("image,width,height,ms\n");
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        Stylizer stylizer = newStylizer(bytes, modelFile, manager)) {
      root.out.printf(
          Locale.ROOT, "model %s (%s), %d images%n", modelFile, stylizer.recipe(), files.size());
      int i = 0;
      for (String file : files) {
        i++;
        BufferedImage input = ImageStore.read(file, conf, size > 0 ? 2 * size : 0);
        long start = System.nanoTime();
        BufferedImage result = stylizer.apply(input, size);
        double ms = (System.nanoTime() - start) / 1e6;
        String name = new Path(file).getName().replaceFirst("\\.[^.]*$", "") + ".png";
        ImageStore.writePng(result, new Path(out, name).toString(), conf);
        csv.append(
            String.format(
                Locale.ROOT, "%s,%d,%d,%.1f%n", file, result.getWidth(), result.getHeight(), ms));
        root.out.printf(
            Locale.ROOT,
            "[%d/%d] %s %dx%d %.0f ms%n",
            i,
            files.size(),
            name,
            result.getWidth(),
            result.getHeight(),
            ms);
      }
    }
    HadoopFiles.writeDurably(
        new Path(out, "timings.csv"), csv.toString().getBytes(StandardCharsets.UTF_8), conf);
    root.out.println("results in " + out);
    return ExitCodes.OK;
  }

  private static Stylizer newStylizer(byte[] bytes, Path file, NDManager manager) {
    try {
      return new Stylizer(bytes, file.toString(), manager);
    } catch (IllegalArgumentException e) {
      throw new StyleSweep.BadInputException(e.getMessage());
    }
  }
}
