package org.stylesweep.spec;

import java.io.Serializable;

/**
 * The network every run of a sweep uses, after the driver resolved its weights.
 *
 * @param weights {@link WeightsSource.Random} or a {@link WeightsSource.File} (file, s3a, hdfs) of
 *     a .safetensors/.npz file that executors can read
 * @param weightsId short name of the weights: a file name plus a content hash, or {@code
 *     random:<seed>}
 * @param normalization input normalization the weights expect
 * @param pooling max or avg pooling
 * @param device auto, cpu or gpu
 */
public record ModelSpec(
    WeightsSource weights,
    String weightsId,
    Normalization normalization,
    Pooling pooling,
    DeviceChoice device)
    implements Serializable {}
