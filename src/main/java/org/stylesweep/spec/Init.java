package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * Initial image: the content image, uniform noise in [0,1) from the run's seed, or the style image.
 */
public enum Init {
  CONTENT,
  NOISE,
  STYLE;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static Init parse(String value) {
    return Choice.parse(Init.class, value);
  }
}
