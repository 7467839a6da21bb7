package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/** Line search of L-BFGS: none (fixed step, torch's default) or strong_wolfe. */
public enum LineSearch {
  NONE,
  STRONG_WOLFE;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static LineSearch parse(String value) {
    return Choice.parse(LineSearch.class, value);
  }
}
