package org.stylesweep.manifest;

import java.io.Serializable;
import org.stylesweep.model.Normalization;
import org.stylesweep.model.Pooling;

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
    String weights,
    String weightsUrl,
    String weightsSha256,
    Normalization normalization,
    Pooling pooling,
    DeviceChoice device)
    implements Serializable {

  /** The value of {@code model.weights} that asks for the cached or downloaded ImageNet weights. */
  public static final String AUTO = "auto";

  /** timm's {@code vgg19.tv_in1k}: torchvision's ImageNet VGG-19 as safetensors. */
  public static final String DEFAULT_WEIGHTS_URL =
      "https://huggingface.co/timm/vgg19.tv_in1k/resolve/main/model.safetensors";

  /** The defaults of the manifest reference. */
  public static ModelConfig defaults() {
    return new ModelConfig(
        AUTO, DEFAULT_WEIGHTS_URL, null, Normalization.IMAGENET, Pooling.MAX, DeviceChoice.AUTO);
  }
}
