package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * When the image is clamped to [0,1]: once at the end (default), or at the start of every
 * evaluation (the tutorial's closure).
 */
public enum Clamp {
  END,
  CLOSURE;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static Clamp parse(String value) {
    return Choice.parse(Clamp.class, value);
  }
}
