package org.stylesweep.manifest;

/**
 * One thing wrong with a manifest.
 *
 * @param path the field, e.g. {@code defaults.steps} or {@code contents[1]}
 * @param value the offending value as written, or null when the field is missing
 * @param message what is wrong and what to do
 */
public record Problem(String path, String value, String message) {

  @Override
  public String toString() {
    return value == null ? path + ": " + message : path + " = " + value + ": " + message;
  }
}
