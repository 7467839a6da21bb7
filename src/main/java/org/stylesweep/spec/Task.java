package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * What a run optimizes: transfer (content + style), reconstruct (content only), texture (style
 * only), or train_style (a feed-forward transformation network for one style, trained on all the
 * contents together), train_texture (a texture network per style, Ulyanov et al.), or stylize
 * (apply a trained network, named in {@code styles}, to each content).
 */
public enum Task {
  TRANSFER,
  RECONSTRUCT,
  TEXTURE,
  TRAIN_STYLE,
  STYLIZE,
  TRAIN_TEXTURE;

  /** Whether runs of this task read content images (texture and train_texture do not). */
  public boolean usesContent() {
    return this != TEXTURE && this != TRAIN_TEXTURE;
  }

  /**
   * Whether runs of this task train or apply a feed-forward network (train_style, train_texture,
   * stylize): they take one image (or model) per style, and none of the optimisation runs' extras
   * (blends, video, multi-scale stages, histogram loss, halving).
   */
  public boolean feedForward() {
    return this == TRAIN_STYLE || this == TRAIN_TEXTURE || this == STYLIZE;
  }

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static Task parse(String value) {
    return Choice.parse(Task.class, value);
  }
}
