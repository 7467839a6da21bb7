package org.stylesweep.testing;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.spark.TaskContext;

/**
 * The local file system under the scheme {@code faulty:}, with two faults a test can arm: the
 * rename that publishes a given file succeeds and then throws, as if the executor died right after
 * making that file durable and before its task reported success; and a full disk, on which files
 * can be created but every write fails as Hadoop's local file system fails on ENOSPC (an {@link
 * FSError} wrapping {@code IOException: No space left on device}). It also counts, per file name,
 * how often Spark tasks opened a file, so a test can tell a run computed twice from a run computed
 * once.
 *
 * <p>Register with {@code spark.hadoop.fs.faulty.impl=}{@link FaultyLocalFileSystem} and {@code
 * spark.hadoop.fs.AbstractFileSystem.faulty.impl=}{@link FaultyFs}. State is static: local-mode
 * executors run in the test's JVM.
 */
public final class FaultyLocalFileSystem extends RawLocalFileSystem {

  /** The scheme this file system serves. */
  public static final String SCHEME = "faulty";

  private static final URI NAME = URI.create(SCHEME + ":///");
  private static final AtomicReference<Predicate<Path>> armed = new AtomicReference<>();
  private static final AtomicReference<Path> firedOn = new AtomicReference<>();
  private static final AtomicReference<String> publishedContent = new AtomicReference<>();
  private static final Map<String, AtomicInteger> taskOpens = new ConcurrentHashMap<>();
  private static final AtomicReference<Predicate<Path>> diskFull = new AtomicReference<>();

  /** Hadoop settings that make {@code faulty:} paths resolve to this class. */
  public static Map<String, String> hadoopSettings() {
    return Map.of(
        "fs." + SCHEME + ".impl", FaultyLocalFileSystem.class.getName(),
        "fs.AbstractFileSystem." + SCHEME + ".impl", FaultyFs.class.getName(),
        "fs." + SCHEME + ".impl.disable.cache", "false");
  }

  /**
   * Arms the fault: the next rename whose target is named {@code fileName} completes, then throws.
   * Fires once.
   */
  public static void failOnceAfterPublishing(String fileName) {
    failOnceAfterPublishing(target -> target.getName().equals(fileName));
  }

  /** Arms the fault for the first rename whose target matches. Fires once. */
  public static void failOnceAfterPublishing(Predicate<Path> target) {
    firedOn.set(null);
    publishedContent.set(null);
    armed.set(target);
  }

  /**
   * Fills the disk for the files that match: they can still be created, but every write to them (or
   * the flush at close) throws what {@link RawLocalFileSystem} throws when the disk is full. Lasts
   * until {@link #reset}.
   */
  public static void diskFullFor(Predicate<Path> file) {
    diskFull.set(file);
  }

  /** The file whose publication the fault followed, or null when it has not fired. */
  public static Path firedOn() {
    return firedOn.get();
  }

  /** The content of the file when the armed fault fired, or null when it has not fired. */
  public static String contentWhenFaultFired() {
    return publishedContent.get();
  }

  /** How often code running inside a Spark task opened a file of this name. */
  public static int opensInTasks(String fileName) {
    AtomicInteger n = taskOpens.get(fileName);
    return n == null ? 0 : n.get();
  }

  /** Forgets the armed fault and the counts. */
  public static void reset() {
    armed.set(null);
    firedOn.set(null);
    publishedContent.set(null);
    taskOpens.clear();
    diskFull.set(null);
  }

  /** Converts {@code faulty:/x} to the local path {@code /x}. */
  public static String localPath(Path path) {
    return path.toUri().getPath();
  }

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    super.initialize(NAME, conf);
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    if (TaskContext.get() != null) {
      taskOpens.computeIfAbsent(f.getName(), k -> new AtomicInteger()).incrementAndGet();
    }
    return super.open(f, bufferSize);
  }

  @Override
  protected OutputStream createOutputStreamWithMode(Path f, boolean append, FsPermission permission)
      throws IOException {
    OutputStream real = super.createOutputStreamWithMode(f, append, permission);
    Predicate<Path> full = diskFull.get();
    if (full == null || !full.test(f)) {
      return real;
    }
    return new FilterOutputStream(real) {
      @Override
      public void write(int b) {
        throw noSpace();
      }

      @Override
      public void write(byte[] b, int off, int len) {
        throw noSpace();
      }
    };
  }

  /**
   * What RawLocalFileSystem's stream throws for an IOException of the disk (FSError's constructor
   * is package-private).
   */
  private static FSError noSpace() {
    try {
      Constructor<FSError> make = FSError.class.getDeclaredConstructor(Throwable.class);
      make.setAccessible(true);
      return make.newInstance(new IOException("No space left on device"));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make an FSError", e);
    }
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    boolean renamed = super.rename(src, dst);
    Predicate<Path> fault = armed.get();
    if (renamed && fault != null && fault.test(dst) && armed.compareAndSet(fault, null)) {
      firedOn.set(dst);
      publishedContent.set(
          new String(Files.readAllBytes(Paths.get(localPath(dst))), StandardCharsets.UTF_8));
      throw new IOException(
          "simulated executor loss: "
              + dst
              + " was published, then the task died before"
              + " reporting success");
    }
    return renamed;
  }
}
