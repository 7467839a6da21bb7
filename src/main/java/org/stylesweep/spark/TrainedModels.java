package org.stylesweep.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;

/**
 * Finds a trained transformation network by what a user names: a model file (any safetensors with
 * the network's keys, a checkpoint included), a run's model folder, or an output folder of a {@code
 * train_style} sweep with a run id (optional when it holds one network).
 */
public final class TrainedModels {
  private TrainedModels() {}

  /**
   * The model file.
   *
   * @param model a file, a model folder or an output folder
   * @param runId the run id inside an output folder, or null
   * @throws IllegalArgumentException saying what was found and what to give instead
   */
  public static Path resolve(String model, String runId, Configuration conf) throws IOException {
    Path path = HadoopFiles.qualify(new Path(model), conf);
    FileSystem fs = HadoopFiles.fileSystem(path, conf);
    if (!fs.exists(path)) {
      throw new IllegalArgumentException("no such model file or output folder: " + model);
    }
    if (fs.getFileStatus(path).isFile()) {
      return path;
    }
    Path own = new Path(path, StyleTraining.MODEL_FILE);
    if (runId == null && fs.exists(own)) {
      return own;
    }
    Path models = new Path(path, StyleTraining.MODELS);
    List<String> ids = new ArrayList<>();
    if (fs.exists(models)) {
      for (FileStatus s : fs.listStatus(models)) {
        if (s.isDirectory() && fs.exists(new Path(s.getPath(), StyleTraining.MODEL_FILE))) {
          ids.add(s.getPath().getName());
        }
      }
    }
    ids.sort(null);
    if (runId != null) {
      if (!ids.contains(runId)) {
        throw new IllegalArgumentException(
            model + " has no trained network of run " + runId + "; it has " + describe(ids));
      }
      return new Path(new Path(models, runId), StyleTraining.MODEL_FILE);
    }
    if (ids.size() == 1) {
      return new Path(new Path(models, ids.get(0)), StyleTraining.MODEL_FILE);
    }
    throw new IllegalArgumentException(
        ids.isEmpty()
            ? model
                + " holds no trained network (no models/<run id>/model.safetensors); train one with"
                + " task: train_style, or name a .safetensors file"
            : model
                + " holds "
                + ids.size()
                + " trained networks; choose one with --run ("
                + describe(ids)
                + ")");
  }

  private static String describe(List<String> ids) {
    return ids.isEmpty() ? "none" : "runs " + String.join(", ", ids);
  }
}
