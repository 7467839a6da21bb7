package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/** Optimizer of the image pixels: L-BFGS (default) or Adam. */
public enum OptimizerKind {
  LBFGS,
  ADAM;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static OptimizerKind parse(String value) {
    return Choice.parse(OptimizerKind.class, value);
  }
}
