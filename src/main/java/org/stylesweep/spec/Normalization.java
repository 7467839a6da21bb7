package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * Input normalization expected by the weights: imagenet (torchvision: RGB, mean/std) or caffe (BGR,
 * 0-255, mean subtracted).
 */
public enum Normalization {
  IMAGENET,
  CAFFE;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static Normalization parse(String value) {
    return Choice.parse(Normalization.class, value);
  }
}
