package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/** {@code model.device}: where runs compute. */
public enum DeviceChoice {
  /** The task's GPU when one is assigned or visible, else the CPU. */
  AUTO,
  /** Always the CPU. */
  CPU,
  /** A GPU; a task that cannot see CUDA fails at once instead of running 100× slower on the CPU. */
  GPU;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static DeviceChoice parse(String value) {
    return Choice.parse(DeviceChoice.class, value);
  }
}
