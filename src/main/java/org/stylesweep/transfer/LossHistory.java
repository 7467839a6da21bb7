package org.stylesweep.transfer;

import java.util.Arrays;

/**
 * Per-evaluation losses of one run (total, weighted content, weighted style), growing as
 * evaluations happen. Stored as float, the precision of the metrics table.
 */
final class LossHistory {
  private float[] total = new float[64];
  private float[] content = new float[64];
  private float[] style = new float[64];
  private int size;
  private int firstNonFinite = -1;

  /** Records one evaluation and returns its 1-based index. */
  int record(double totalLoss, double contentLoss, double styleLoss) {
    if (size == total.length) {
      total = Arrays.copyOf(total, size * 2);
      content = Arrays.copyOf(content, size * 2);
      style = Arrays.copyOf(style, size * 2);
    }
    total[size] = (float) totalLoss;
    content[size] = (float) contentLoss;
    style[size] = (float) styleLoss;
    size++;
    if (firstNonFinite < 0 && !Double.isFinite(totalLoss)) {
      firstNonFinite = size;
    }
    return size;
  }

  int size() {
    return size;
  }

  /** 1-based index of the first evaluation whose total loss was NaN or infinite, or -1. */
  int firstNonFinite() {
    return firstNonFinite;
  }

  double lastTotal() {
    return size == 0 ? Double.NaN : total[size - 1];
  }

  double lastContent() {
    return size == 0 ? Double.NaN : content[size - 1];
  }

  double lastStyle() {
    return size == 0 ? Double.NaN : style[size - 1];
  }

  float[] total() {
    return Arrays.copyOf(total, size);
  }

  float[] content() {
    return Arrays.copyOf(content, size);
  }

  float[] style() {
    return Arrays.copyOf(style, size);
  }
}
