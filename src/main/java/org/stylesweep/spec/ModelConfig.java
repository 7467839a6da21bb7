package org.stylesweep.spec;

import java.io.Serializable;

/**
 * The manifest's {@code model} block as written, before the driver resolves the weights.
 *
 * @param weights {@code auto}, {@code random:<seed>}, or a path/URI already resolved against the
 *     manifest's location
 * @param weightsUrl where {@code auto} downloads from when nothing is cached
 * @param weightsSha256 expected SHA-256 of the downloaded file (lower-case hex), or null
 * @param normalization input normalization the weights expect
 * @param pooling max or avg
 * @param device auto, cpu or gpu
 */
public record ModelConfig(
    WeightsSource weights,
    String weightsUrl,
    String weightsSha256,
    Normalization normalization,
    Pooling pooling,
    DeviceChoice device)
    implements Serializable {

  /** timm's {@code vgg19.tv_in1k}: torchvision's ImageNet VGG-19 as safetensors. */
  public static final String DEFAULT_WEIGHTS_URL =
      "https://huggingface.co/timm/vgg19.tv_in1k/resolve/main/model.safetensors";

  /** The defaults of the manifest reference. */
  public static ModelConfig defaults() {
    return new ModelConfig(
        new WeightsSource.Auto(),
        DEFAULT_WEIGHTS_URL,
        null,
        Normalization.IMAGENET,
        Pooling.MAX,
        DeviceChoice.AUTO);
  }
}
