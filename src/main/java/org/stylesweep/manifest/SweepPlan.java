package org.stylesweep.manifest;

import java.util.List;
import java.util.Map;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.RunSpec;

/**
 * A manifest expanded into its runs, ready for Spark.
 *
 * @param manifest the validated manifest
 * @param model the network with its weights resolved
 * @param runs every run, contents outermost, then styles, then the sweep axes in manifest order
 * @param inputSha256 SHA-256 of each input image's bytes, by URI
 */
public record SweepPlan(
    Manifest manifest, ModelSpec model, List<RunSpec> runs, Map<String, String> inputSha256) {

  /** Defensive copies. */
  public SweepPlan {
    runs = List.copyOf(runs);
    inputSha256 = Map.copyOf(inputSha256);
  }
}
