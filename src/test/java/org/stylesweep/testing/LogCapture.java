package org.stylesweep.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures everything the process logs through Log4j 2 (Spark's, Hadoop's and stylesweep's loggers
 * all end there) at the configured levels, with stack traces, plus everything written to {@code
 * System.out} and {@code System.err}, while still passing the console output through. For tests
 * that search all output for something that must never appear.
 */
public final class LogCapture implements AutoCloseable {

  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final PrintStream originalOut = System.out;
  private final PrintStream originalErr = System.err;
  private final CapturingAppender appender = new CapturingAppender();
  private final List<LoggerConfig> attachedTo = new ArrayList<>();

  private LogCapture() {}

  /** Starts capturing. */
  public static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.attach();
    return capture;
  }

  private void attach() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    appender.start();
    // Every logger config, not just the root: a non-additive logger would bypass the root.
    attachedTo.add(config.getRootLogger());
    attachedTo.addAll(config.getLoggers().values());
    for (LoggerConfig logger : attachedTo) {
      logger.addAppender(appender, Level.ALL, null);
    }
    context.updateLoggers();
    System.setOut(new PrintStream(new Tee(originalOut, console), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(originalErr, console), true, StandardCharsets.UTF_8));
  }

  /** All log lines (message and stack trace) and console text captured so far. */
  public String text() {
    StringBuilder all = new StringBuilder();
    synchronized (lines) {
      lines.forEach(line -> all.append(line).append('\n'));
    }
    synchronized (console) {
      all.append(console.toString(StandardCharsets.UTF_8));
    }
    return all.toString();
  }

  /** How many log events were captured (a test asserting absence should also see presence). */
  public int logEventCount() {
    return lines.size();
  }

  @Override
  public void close() {
    System.setOut(originalOut);
    System.setErr(originalErr);
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    for (LoggerConfig logger : attachedTo) {
      logger.removeAppender(appender.getName());
    }
    context.updateLoggers();
    appender.stop();
  }

  private final class CapturingAppender extends AbstractAppender {
    CapturingAppender() {
      super("stylesweep-test-capture", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      StringBuilder line =
          new StringBuilder()
              .append(event.getLevel())
              .append(' ')
              .append(event.getLoggerName())
              .append(": ")
              .append(event.getMessage().getFormattedMessage());
      if (event.getThrown() != null) {
        StringWriter trace = new StringWriter();
        event.getThrown().printStackTrace(new PrintWriter(trace));
        line.append('\n').append(trace);
      }
      lines.add(line.toString());
    }
  }

  /** Writes to the real console and to the capture buffer. */
  private final class Tee extends java.io.OutputStream {
    private final PrintStream passThrough;
    private final ByteArrayOutputStream copy;

    Tee(PrintStream passThrough, ByteArrayOutputStream copy) {
      this.passThrough = passThrough;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      passThrough.write(b);
      synchronized (console) {
        copy.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      passThrough.write(b, off, len);
      synchronized (console) {
        copy.write(b, off, len);
      }
    }

    @Override
    public void flush() {
      passThrough.flush();
    }
  }
}
