package org.stylesweep.manifest;

/** The layer names a manifest may use; validation passes every name of a layer list through it. */
@FunctionalInterface
public interface LayerNames {

  /**
   * The canonical name of a layer or alias (e.g. {@code conv_4} gives {@code conv2_2}).
   *
   * @throws IllegalArgumentException naming the value and the valid names
   */
  String canonical(String name);
}
