package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * How the frames of a video run are tied together (Ruder et al. 2016): {@code none} styles each
 * frame on its own (frame by frame, independent tasks), {@code short} adds the short-term temporal
 * loss against the previous stylised frame warped by the optical flow and starts each frame from
 * it, {@code long} adds the long-term loss against frames 1, 2 and 4 back.
 */
public enum Temporal {
  NONE,
  SHORT,
  LONG;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static Temporal parse(String value) {
    return Choice.parse(Temporal.class, value);
  }
}
