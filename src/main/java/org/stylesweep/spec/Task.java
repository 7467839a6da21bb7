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

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static Task parse(String value) {
    return Choice.parse(Task.class, value);
  }
}
