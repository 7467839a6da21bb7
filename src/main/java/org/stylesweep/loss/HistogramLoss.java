package org.stylesweep.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The histogram loss of one layer (Risser, Wilmot and Barnes 2017, "Stable and Controllable Neural
 * Texture Synthesis and Style Transfer Using Histogram Losses", Sec. 4.3): {@code L = ‖O −
 * R(O)‖²_F}, where {@code R(O)} remaps each channel of the current activations O to the style's
 * histogram at the layer (exact histogram matching), and is held constant: the gradient is {@code 2
 * (O − R(O))}, as in the paper.
 *
 * <p>Exact matching by sorting, per channel: the element of O with rank k (0-based, of N) gets the
 * style's k-th quantile. With M style values per channel and M ≠ N the quantile is interpolated
 * linearly in the sorted style values at position {@code k (M − 1) / (N − 1)}; with M = N it is the
 * k-th sorted style value exactly. Everything runs on the engine (argsort, gather): the ranks are
 * the argsort of the argsort.
 */
public final class HistogramLoss {

  private final NDArray sortedStyle;
  private NDArray quantiles;
  private long quantilesFor = -1;

  /**
   * The histogram loss of one layer against the style's activations there.
   *
   * @param sortedStyle the style image's activations at the layer as sorted rows ({@link
   *     #sortedChannels}), no gradient; interpolated quantiles are kept in its manager
   */
  public HistogramLoss(NDArray sortedStyle) {
    this.sortedStyle = sortedStyle;
  }

  /**
   * The (N·C, H·W) activations with each row sorted ascending, attached to their manager.
   *
   * @throws IllegalArgumentException if the features are not 4-dimensional
   */
  public static NDArray sortedChannels(NDArray features) {
    return channelRows(features).sort(1);
  }

  /**
   * The loss {@code ‖O − R(O)‖²_F} as a scalar in the autograd graph of the features, with R held
   * constant.
   *
   * @param features the image's (N, C, H, W) activations at the layer
   */
  public NDArray apply(NDArray features) {
    return applyRows(channelRows(features));
  }

  /**
   * The loss over activations already laid out as (C, n) rows, for example the columns of one
   * spatial-control region ({@link #columns}); R held constant.
   */
  public NDArray applyRows(NDArray rows) {
    NDArray matched = remap(rows.stopGradient()).stopGradient();
    return rows.sub(matched).square().sum();
  }

  /**
   * The (N·C, n) activations at the given spatial positions (indices into H·W), in the autograd
   * graph of the features: a region's pixels for a per-region histogram.
   *
   * @param positions (n) int64 indices of the kept positions, row-major in (H, W)
   */
  public static NDArray columns(NDArray features, NDArray positions) {
    NDArray rows = channelRows(features);
    long channels = rows.getShape().get(0);
    return rows.gather(positions.broadcast(new Shape(channels, positions.size())), 1);
  }

  /**
   * R(O): the (N·C, H·W) rows remapped to the style's quantiles, outside the autograd graph.
   *
   * @param rows the current activations as (N·C, H·W) rows
   */
  public NDArray remap(NDArray rows) {
    NDArray targets = quantiles(rows.getShape().get(1));
    NDArray ranks = rows.argSort(1).argSort(1);
    return targets.gather(ranks, 1);
  }

  /**
   * The style's per-channel quantiles at n evenly spaced ranks: the sorted style values when n
   * equals their count, else linear interpolation between them; computed once per count.
   */
  private NDArray quantiles(long n) {
    if (n != quantilesFor) {
      if (quantiles != null && quantiles != sortedStyle) {
        quantiles.close();
      }
      quantiles = resample(sortedStyle, n);
      quantilesFor = n;
    }
    return quantiles;
  }

  /**
   * The quantiles of sorted rows (C, M) at n evenly spaced ranks, (C, n): {@code sorted} itself
   * when n = M, else linear interpolation at positions {@code k (M − 1) / (N − 1)}; attached to its
   * manager.
   */
  public static NDArray resample(NDArray sorted, long n) {
    long m = sorted.getShape().get(1);
    if (m == n) {
      return sorted;
    }
    NDManager manager = sorted.getManager();
    long channels = sorted.getShape().get(0);
    NDArray position =
        n == 1
            ? manager.zeros(new Shape(1), DataType.FLOAT64)
            : manager.arange(0, (int) n, 1, DataType.FLOAT64).mul((double) (m - 1) / (n - 1));
    NDArray lowIndex = position.floor().clip(0, m - 1);
    NDArray fraction = position.sub(lowIndex).toType(sorted.getDataType(), false);
    NDArray highIndex = lowIndex.add(1).clip(0, m - 1);
    NDArray low = lowIndex.toType(DataType.INT64, false).broadcast(new Shape(channels, n));
    NDArray high = highIndex.toType(DataType.INT64, false).broadcast(new Shape(channels, n));
    NDArray below = sorted.gather(low, 1);
    NDArray above = sorted.gather(high, 1);
    NDArray step = above.sub(below);
    NDArray result = below.add(step.mul(fraction));
    result.attach(manager);
    // Built once per run, but at conv1_1 these are C × H·W each: free them now.
    for (NDArray temporary :
        new NDArray[] {position, lowIndex, fraction, highIndex, low, high, below, above, step}) {
      temporary.close();
    }
    return result;
  }

  private static NDArray channelRows(NDArray features) {
    Shape shape = features.getShape();
    if (shape.dimension() != 4) {
      throw new IllegalArgumentException(
          "histogram loss needs (N, C, H, W) features, got shape " + shape);
    }
    return features.reshape(shape.get(0) * shape.get(1), shape.get(2) * shape.get(3));
  }
}
