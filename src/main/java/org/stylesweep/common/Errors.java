package org.stylesweep.common;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Error messages for people: an exception and its causes on one line. */
public final class Errors {
  private Errors() {}

  /** The longest {@link #summary} returned. */
  static final int MAX_SUMMARY = 600;

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

  /**
   * Like {@link #describe} but safe for a terminal: only the first line of each message (Spark puts
   * whole stack traces into its messages), repeated messages once, at most {@value #MAX_SUMMARY}
   * characters.
   */
  public static String summary(Throwable e) {
    List<String> parts = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message =
          t.getMessage() == null ? "" : t.getMessage().strip().lines().findFirst().orElse("");
      String part = t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
      if (parts.stream().noneMatch(p -> !message.isEmpty() && p.contains(message))) {
        parts.add(part);
      }
    }
    String text = String.join("; caused by ", parts);
    return text.length() <= MAX_SUMMARY ? text : text.substring(0, MAX_SUMMARY - 3) + "...";
  }

  /**
   * The paragraph for a failure the command line did not anticipate: what failed and, for the
   * causes people can fix (a full disk, a missing permission, a file where a folder must be), what
   * to do.
   */
  public static String explain(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      String lower = message.toLowerCase(Locale.ROOT);
      if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
        return "the disk is full ("
            + firstLine(message)
            + "). Free some space on that file system, or"
            + " pass an --out on another one, and run the same command again: finished runs are kept.";
      }
      if (t instanceof AccessDeniedException
          || t instanceof org.apache.hadoop.security.AccessControlException
          || lower.contains("permission denied")) {
        String path =
            t instanceof FileSystemException fs && fs.getFile() != null
                ? fs.getFile()
                : firstLine(message);
        return "permission denied: "
            + path
            + ". Make the folder writable for this user, or pass an --out"
            + " you may write to.";
      }
      if (t instanceof org.apache.hadoop.fs.ParentNotDirectoryException
          || t instanceof org.apache.hadoop.fs.FileAlreadyExistsException
          || (t instanceof IOException && lower.contains("not a directory"))) {
        return "a file stands where a folder must be: "
            + firstLine(message)
            + ". Pass an --out that is a"
            + " folder (or does not exist yet).";
      }
    }
    return summary(e);
  }

  private static String firstLine(String text) {
    return text.strip().lines().findFirst().orElse("");
  }
}
