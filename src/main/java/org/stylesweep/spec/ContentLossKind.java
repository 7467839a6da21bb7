package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * Content loss reduction: mean (F.mse_loss, the tutorial) or sum (squared L2 norm, the assignment's
 * formula).
 */
public enum ContentLossKind {
  MEAN,
  SUM;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static ContentLossKind parse(String value) {
    return Choice.parse(ContentLossKind.class, value);
  }
}
