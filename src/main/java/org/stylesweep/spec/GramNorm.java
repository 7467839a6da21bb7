package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * Normalization of the Gram matrix G = F F^T / n: chw (n = C*H*W, the PyTorch tutorial), hw (n =
 * H*W) or none (n = 1).
 */
public enum GramNorm {
  CHW,
  HW,
  NONE;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static GramNorm parse(String value) {
    return Choice.parse(GramNorm.class, value);
  }
}
