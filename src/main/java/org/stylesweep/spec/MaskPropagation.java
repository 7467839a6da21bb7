package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * How a region's mask is brought to each layer's resolution for guided Gram matrices (Gatys et al.
 * 2017, Sec. 4.1): {@code simple} resizes it (2×2 averaging at each pooling), {@code inside} keeps
 * only positions whose 3×3 neighbourhood at every convolution is inside (erosion; 2×2 minimum at
 * each pooling), {@code all} every position that sees the region at all (dilation; 2×2 maximum).
 */
public enum MaskPropagation {
  SIMPLE,
  INSIDE,
  ALL;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static MaskPropagation parse(String value) {
    return Choice.parse(MaskPropagation.class, value);
  }
}
