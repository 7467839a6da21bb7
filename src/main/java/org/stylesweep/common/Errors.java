package org.stylesweep.common;

/** Error messages for people: an exception and its causes on one line. */
public final class Errors {
  private Errors() {}

  /** {@code IllegalStateException: x; caused by IOException: y}. */
  public static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (text.length() > 0) {
        text.append("; caused by ");
      }
      text.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    }
    return text.toString();
  }
}
