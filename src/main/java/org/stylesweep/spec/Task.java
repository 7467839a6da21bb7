package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * What a run optimizes: transfer (content + style), reconstruct (content only) or texture (style
 * only).
 */
public enum Task {
  TRANSFER,
  RECONSTRUCT,
  TEXTURE;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static Task parse(String value) {
    return Choice.parse(Task.class, value);
  }
}
