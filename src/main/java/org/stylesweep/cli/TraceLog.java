package org.stylesweep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where the stack trace of an unexpected failure goes instead of the terminal: a file under {@code
 * $STYLESWEEP_LOG_DIR}, else {@code <java.io.tmpdir>/stylesweep}, named by time and process id. The
 * user gets one line saying where it is (or how to see it with {@code --verbose}).
 */
final class TraceLog {
  private TraceLog() {}

  /** The folder of the trace files. */
  static Path folder() {
    String dir = System.getenv("STYLESWEEP_LOG_DIR");
    return dir != null && !dir.isBlank()
        ? Path.of(dir)
        : Path.of(System.getProperty("java.io.tmpdir"), "stylesweep");
  }

  /** Writes the trace; returns the line to print. */
  static String write(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    try {
      Path folder = Files.createDirectories(folder());
      Path file =
          folder.resolve(
              "error-"
                  + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                  + "-"
                  + ProcessHandle.current().pid()
                  + ".log");
      Files.writeString(
          file,
          trace.toString(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      return "The Java stack trace is in " + file + " (run again with --verbose to print it here).";
    } catch (IOException | RuntimeException failed) {
      return "Run again with --verbose to see the Java stack trace.";
    }
  }
}
