package org.stylesweep.spec;

import java.io.Serializable;

/**
 * One video run: a clip's selected frames styled with one style and one parameter combination.
 *
 * @param runId deterministic id (as {@link RunSpec#runId()}, over the clip's bytes and selection)
 * @param sweep the manifest's name
 * @param video the clip and its frame selection
 * @param framesId id of the clip's frames at this run's size, shared by the runs that differ only
 *     in style or optimization (their frames and flows are computed once)
 * @param style URI of the style image
 * @param model the network
 * @param params every run parameter ({@code temporal} says frame by frame or chained)
 */
public record VideoRunSpec(
    String runId,
    String sweep,
    VideoInput video,
    String framesId,
    String style,
    ModelSpec model,
    RunParams params)
    implements Serializable {

  /** The single-image run of frame {@code index} of this run (frame by frame it is exactly it). */
  public RunSpec frameRun(int index, String frameUri) {
    return new RunSpec(runId + "-" + index, sweep, Task.TRANSFER, frameUri, style, model, params);
  }
}
