package org.stylesweep.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.stylesweep.common.UserError;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.Spatial;
import org.stylesweep.spec.Task;

/**
 * Groups a sweep's runs into batches that one Spark task evaluates together (see {@link
 * org.stylesweep.transfer.EvaluationBatch}), when {@value #CONF} is above 1.
 *
 * <p>Runs go into one batch only when their network passes can be one: the same model (weights,
 * normalization, pooling, device), task, content image and {@code image_size} (so the same result
 * shape), the same content, style and histogram layers, and the same {@code color_control} (RGB or
 * luminance). Spatial-control runs are never batched. Groups keep the sweep's order and are cut at
 * the batch size.
 */
final class RunBatches {
  /** The Spark setting: how many runs one task evaluates together (1, the default: no batching). */
  static final String CONF = "spark.stylesweep.batchRuns";

  private RunBatches() {}

  /** The batch size {@link #CONF} asks for; exit 2 naming the key for a value that is not 1-64. */
  static int size(SparkConf conf) {
    String value = conf.get(CONF, "1").trim();
    int size;
    try {
      size = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      size = -1;
    }
    if (size < 1 || size > 64) {
      throw new UserError(
          CONF
              + " is '"
              + value
              + "'; it must be a whole number from 1 (each run alone, the default) to 64, the runs"
              + " one task evaluates together. Pass e.g. --conf "
              + CONF
              + "=4; nothing was run.",
          true);
    }
    return size;
  }

  /** The runs in batches of at most {@code size} runs that can share a network pass. */
  static List<List<RunSpec>> group(List<RunSpec> runs, int size) {
    List<List<RunSpec>> batches = new ArrayList<>();
    if (size <= 1) {
      runs.forEach(r -> batches.add(List.of(r)));
      return batches;
    }
    Map<List<Object>, List<RunSpec>> open = new LinkedHashMap<>();
    for (RunSpec run : runs) {
      List<Object> key = key(run);
      if (key == null) {
        batches.add(List.of(run));
        continue;
      }
      List<RunSpec> batch = open.computeIfAbsent(key, k -> new ArrayList<>());
      batch.add(run);
      if (batch.size() == size) {
        batches.add(List.copyOf(batch));
        open.remove(key);
      }
    }
    open.values().forEach(b -> batches.add(List.copyOf(b)));
    return batches;
  }

  /** What runs of one batch share, or null for a run that is never batched. */
  private static List<Object> key(RunSpec run) {
    if (run.style() != null && Spatial.isRegionStyle(run.style())) {
      return null;
    }
    if (run.task() != Task.TRANSFER
        && run.task() != Task.RECONSTRUCT
        && run.task() != Task.TEXTURE) {
      return null; // training and stylize runs are not pixel optimizations
    }
    if (!run.params().get(Params.STAGES).isEmpty()) {
      return null; // each stage has its own size: a multi-scale run is never batched
    }
    boolean histogram =
        run.task() != Task.RECONSTRUCT && run.params().get(Params.HISTOGRAM_WEIGHT) > 0;
    List<Object> key = new ArrayList<>();
    key.add(run.model());
    key.add(run.task());
    key.add(String.valueOf(run.content()));
    key.add(run.params().get(Params.IMAGE_SIZE));
    key.add(run.task() == Task.TEXTURE ? List.of() : run.params().get(Params.CONTENT_LAYERS));
    key.add(run.task() == Task.RECONSTRUCT ? List.of() : run.params().get(Params.STYLE_LAYERS));
    key.add(histogram ? run.params().get(Params.HISTOGRAM_LAYERS) : List.of());
    key.add(run.params().get(Params.COLOR_CONTROL) == org.stylesweep.spec.ColorControl.LUMINANCE);
    return key;
  }
}
