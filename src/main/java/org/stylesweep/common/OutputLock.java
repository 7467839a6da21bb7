package org.stylesweep.common;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock of an output folder: the file {@code OUT/_LOCK}, created only if absent, holding the
 * holder's host, process id, start time, a heartbeat time (rewritten every minute) and a random
 * token. Through Hadoop's {@link FileSystem}, so it works on local disk (an exclusive create,
 * atomic), HDFS (create without overwrite, atomic at the NameNode) and S3 (create without
 * overwrite: the existence check and the PUT are two requests, so two runs starting in the same
 * second can both win there; the lock still catches every run that starts while another is going).
 *
 * <p>A lock is stale, and taken over with a warning, when its heartbeat is older than {@link
 * #STALE_MINUTES_KEY} minutes (default {@value #DEFAULT_STALE_MINUTES}), or when it was taken on
 * this host by a process that no longer runs. Released in {@link #close()} and by a shutdown hook
 * (Ctrl-C, run before Hadoop closes its file systems); a kill -9 leaves it, and the stale rule
 * frees it.
 */
public final class OutputLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);

  /** The lock file's name in the output folder (Spark and Hadoop skip names starting with _). */
  public static final String NAME = "_LOCK";

  /**
   * Hadoop configuration key (also {@code --conf spark.hadoop.stylesweep.lock.stale.minutes=N}).
   */
  public static final String STALE_MINUTES_KEY = "stylesweep.lock.stale.minutes";

  public static final int DEFAULT_STALE_MINUTES = 10;

  /** How often the holder rewrites its heartbeat. */
  static final Duration HEARTBEAT = Duration.ofMinutes(1);

  private final FileSystem fs;
  private final Path file;
  private final Properties holder;
  private final ScheduledExecutorService heartbeat;
  private final Thread hook;
  private boolean closed;

  private OutputLock(FileSystem fs, Path file, Properties holder) {
    this.fs = fs;
    this.file = file;
    this.holder = holder;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "stylesweep-lock-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = HEARTBEAT.toSeconds();
    heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.SECONDS);
    this.hook = new Thread(this::release, "stylesweep-lock-release");
    // Hadoop's manager, ahead of the hook that closes the cached file systems.
    org.apache.hadoop.util.ShutdownHookManager.get()
        .addShutdownHook(hook, FileSystem.SHUTDOWN_HOOK_PRIORITY + 10);
  }

  /**
   * Takes the lock of {@code out} (which must exist).
   *
   * @throws UserError (bad input, exit 2) naming the holder when another live run holds it
   */
  public static OutputLock acquire(Path out, Configuration conf) throws IOException {
    FileSystem fs = HadoopFiles.fileSystem(out, conf);
    Path file = new Path(out, NAME);
    Duration stale = Duration.ofMinutes(conf.getInt(STALE_MINUTES_KEY, DEFAULT_STALE_MINUTES));
    Properties me = new Properties();
    me.setProperty("host", hostName());
    me.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    me.setProperty("started", Instant.now().toString());
    me.setProperty("token", UUID.randomUUID().toString());
    for (int attempt = 0; attempt < 2; attempt++) {
      me.setProperty("heartbeat", Instant.now().toString());
      if (createExclusive(fs, file, bytes(me))) {
        return new OutputLock(fs, file, me);
      }
      Properties other = read(fs, file);
      String why = other == null ? null : staleReason(other, stale, me.getProperty("host"));
      if (other != null && why == null) {
        throw new UserError(lockedMessage(out, file, other, stale), true);
      }
      LOG.warn("taking over the lock {} ({})", file, other == null ? "unreadable or gone" : why);
      fs.delete(file, false);
    }
    throw new UserError(
        "could not take the lock "
            + file
            + ": another run took it at the same moment."
            + " Run one stylesweep per output folder at a time.",
        true);
  }

  private static boolean createExclusive(FileSystem fs, Path file, byte[] content)
      throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      java.nio.file.Path local = java.nio.file.Path.of(file.toUri());
      try {
        Files.write(local, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      } catch (java.nio.file.FileSystemException e) {
        throw e; // names the file already (permission denied, read-only file system)
      } catch (IOException e) {
        // The file was made but its content did not fit (a full disk: the message names no file).
        try {
          Files.deleteIfExists(local);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
    if (fs.exists(file)) {
      return false;
    }
    try (FSDataOutputStream out = fs.create(file, false)) {
      out.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (org.apache.hadoop.fs.FSError e) {
      // A write that failed (a full local disk): no half-written lock stays behind.
      try {
        fs.delete(file, false);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw HadoopFiles.cannotWrite(file, e);
    }
  }

  /** Why the lock is stale, or null when its holder may still be running. */
  static String staleReason(Properties holder, Duration stale, String thisHost) {
    Instant beat;
    try {
      beat = Instant.parse(holder.getProperty("heartbeat", ""));
    } catch (RuntimeException e) {
      return "its heartbeat is unreadable";
    }
    Duration age = Duration.between(beat, Instant.now());
    if (age.compareTo(stale) > 0) {
      return "no heartbeat for "
          + age.toMinutes()
          + " min (the limit is "
          + stale.toMinutes()
          + " min)";
    }
    if (thisHost.equals(holder.getProperty("host"))) {
      try {
        long pid = Long.parseLong(holder.getProperty("pid", ""));
        if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
          return "process " + pid + " on this host is gone";
        }
      } catch (NumberFormatException e) {
        return "its pid is unreadable";
      }
    }
    return null;
  }

  private static String lockedMessage(Path out, Path file, Properties other, Duration stale) {
    return out
        + " is in use by another stylesweep run (host "
        + other.getProperty("host", "?")
        + ", pid "
        + other.getProperty("pid", "?")
        + ", since "
        + other.getProperty("started", "?")
        + ", last heartbeat "
        + other.getProperty("heartbeat", "?")
        + "). Wait for it to finish, or pass"
        + " another --out. If that run is dead (e.g. its machine is gone), delete "
        + file
        + " and run again; a lock without a heartbeat for "
        + stale.toMinutes()
        + " minutes is taken over automatically.";
  }

  private static Properties read(FileSystem fs, Path file) {
    try (var in = fs.open(file)) {
      Properties p = new Properties();
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
      return p;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] bytes(Properties p) {
    StringBuilder s =
        new StringBuilder("# stylesweep output folder lock; delete it only if that run is dead\n");
    for (String key : new String[] {"host", "pid", "started", "heartbeat", "token"}) {
      s.append(key).append('=').append(p.getProperty(key)).append('\n');
    }
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "unknown";
    }
  }

  private synchronized void beat() {
    if (closed) {
      return;
    }
    try {
      Properties now = read(fs, file);
      if (now == null || !holder.getProperty("token").equals(now.getProperty("token"))) {
        LOG.warn("the lock {} is no longer this run's (taken over or deleted)", file);
        return;
      }
      holder.setProperty("heartbeat", Instant.now().toString());
      try (OutputStream out = fs.create(file, true)) {
        out.write(bytes(holder));
      }
    } catch (IOException | RuntimeException | org.apache.hadoop.fs.FSError e) {
      LOG.warn("could not refresh the lock {}: {}", file, e.toString());
    }
  }

  private synchronized void release() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.shutdownNow();
    try {
      Properties now = read(fs, file);
      if (now != null && holder.getProperty("token").equals(now.getProperty("token"))) {
        fs.delete(file, false);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not delete the lock {}: {}; delete it by hand", file, e.toString());
    }
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    release();
    try {
      org.apache.hadoop.util.ShutdownHookManager.get().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run.
    }
  }
}
