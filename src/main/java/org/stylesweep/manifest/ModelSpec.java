package org.stylesweep.manifest;

import java.io.Serializable;
import org.stylesweep.model.Normalization;
import org.stylesweep.model.Pooling;

/**
 * The network every run of a sweep uses, after the driver resolved its weights.
 *
 * @param weights {@code random:<seed>}, or a path or URI (file, s3a, hdfs) of a .safetensors/.npz
 *     file that executors can read
 * @param weightsId short name of the weights: a file name plus a content hash, or {@code random:<seed>}
 * @param normalization input normalization the weights expect
 * @param pooling max or avg pooling
 * @param device auto, cpu or gpu
 */
public record ModelSpec(
    String weights, String weightsId, Normalization normalization, Pooling pooling, String device)
    implements Serializable {}
