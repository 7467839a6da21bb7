package org.stylesweep.manifest;

import java.io.Serializable;
import java.util.List;
import org.stylesweep.loss.ContentLossKind;
import org.stylesweep.loss.GramNorm;
import org.stylesweep.optim.LineSearch;
import org.stylesweep.optim.OptimizerKind;
import org.stylesweep.transfer.Clamp;
import org.stylesweep.transfer.Init;

/**
 * Every parameter of one run: the manifest's {@code defaults} block after sweep expansion.
 * Field names are the camelCase of the manifest's snake_case keys.
 *
 * @param imageSize longest side of the result, in pixels
 * @param styleScale the style image is resized to {@code styleScale * imageSize}
 * @param steps number of loss evaluations (the tutorial's counter)
 * @param optimizer lbfgs or adam
 * @param lineSearch L-BFGS line search
 * @param lr learning rate (L-BFGS default 1, Adam e.g. 0.02)
 * @param contentLayers layers whose features the content loss matches
 * @param styleLayers layers whose Gram matrices the style loss matches
 * @param styleLayerWeights one weight per style layer; empty means 1 each
 * @param contentWeight weight of the summed content loss
 * @param styleWeight weight of the summed style loss
 * @param tvWeight weight of the total variation loss
 * @param gramNorm normalization of the Gram matrices
 * @param contentLoss mean or sum
 * @param init initial image
 * @param clamp when the image is clamped to [0,1]
 * @param seed seed of the noise init
 */
public record RunParams(
    int imageSize,
    double styleScale,
    int steps,
    OptimizerKind optimizer,
    LineSearch lineSearch,
    double lr,
    List<String> contentLayers,
    List<String> styleLayers,
    List<Double> styleLayerWeights,
    double contentWeight,
    double styleWeight,
    double tvWeight,
    GramNorm gramNorm,
    ContentLossKind contentLoss,
    Init init,
    Clamp clamp,
    long seed)
    implements Serializable {

  /** The manifest's documented defaults (content conv4_2, style conv1_1..conv5_1, 300 L-BFGS steps). */
  public static RunParams defaults() {
    return new RunParams(
        256, 1.0, 300, OptimizerKind.LBFGS, LineSearch.NONE, 1.0,
        List.of("conv4_2"),
        List.of("conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"),
        List.of(), 1.0, 1.0e6, 0.0, GramNorm.CHW, ContentLossKind.MEAN,
        Init.CONTENT, Clamp.END, 0L);
  }
}
