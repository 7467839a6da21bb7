package org.stylesweep.spec;

import java.io.Serializable;

/**
 * One run of a sweep: what Spark ships to a task.
 *
 * @param runId deterministic id; changes when any parameter, the weights id or an input's bytes
 *     change
 * @param sweep the manifest's name
 * @param task transfer, reconstruct or texture
 * @param content URI of the content image, or null for texture
 * @param style URI of the style image, or null for reconstruct
 * @param model the network
 * @param params every run parameter
 */
public record RunSpec(
    String runId,
    String sweep,
    Task task,
    String content,
    String style,
    ModelSpec model,
    RunParams params)
    implements Serializable {}
