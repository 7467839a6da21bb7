package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * How a transfer treats colour (Gatys et al. 2017, "Controlling Perceptual Factors in Neural Style
 * Transfer", Sec. 5; neural-style's {@code -original_colors}). The colour space is YIQ (NTSC).
 *
 * <ul>
 *   <li>{@code none}: plain RGB transfer (default).
 *   <li>{@code luminance} (Sec. 5.1): the run optimises one luminance channel; the style's
 *       luminance is first matched to the content's mean and standard deviation; the result takes
 *       the content's I and Q.
 *   <li>{@code match_histogram} (Sec. 5.2): before the run, the style's colours are mapped so that
 *       their mean and covariance equal the content's ({@link ColorMatch}).
 *   <li>{@code original_colors} (neural-style): after the run, the result's Y with the content's I
 *       and Q.
 * </ul>
 */
public enum ColorControl {
  NONE,
  LUMINANCE,
  MATCH_HISTOGRAM,
  ORIGINAL_COLORS;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static ColorControl parse(String value) {
    return Choice.parse(ColorControl.class, value);
  }
}
