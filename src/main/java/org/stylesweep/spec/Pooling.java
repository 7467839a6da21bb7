package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * Pooling layers of VGG: max (the original) or avg (Gatys et al. found it gives smoother images).
 */
public enum Pooling {
  MAX,
  AVG;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static Pooling parse(String value) {
    return Choice.parse(Pooling.class, value);
  }
}
