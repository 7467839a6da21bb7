package org.stylesweep.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a weights file into the cache: with a progress bar, resuming a cut download with HTTP
 * Range, and renaming the file into place only after it passed its {@link WeightsCheck} and the
 * optional SHA-256.
 *
 * <p>The bytes go to {@code <cache>/<name>.part}. A cut connection keeps the part: the next attempt
 * (in this call, or a later run) asks for {@code Range: bytes=<size>-}. A server that answers
 * {@code 206} continues the file; one that answers {@code 200} sends the whole file again, so the
 * part starts over. A complete file that fails the check is deleted, since resuming it could only
 * give the same bytes. A lock file keeps two processes on one machine from writing the same part.
 * Only the driver downloads; executors get the finished file.
 */
public final class WeightsDownloader {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIABLE_RANGE = Pattern.compile("bytes \\*/(\\d+)");
  private static final int BUFFER_BYTES = 1 << 16;

  private final PrintStream log;
  private final boolean terminal;
  private final int maxAttempts;
  private final Duration retryDelay;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final LongSupplier nanoClock;

  private WeightsDownloader(Builder b) {
    this.log = b.log;
    this.terminal = b.terminal;
    this.maxAttempts = b.maxAttempts;
    this.retryDelay = b.retryDelay;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.nanoClock = b.nanoClock;
  }

  /** A builder with defaults for the command line: progress on stderr, 5 attempts. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A finished download.
   *
   * @param file the file in the cache
   * @param sha256 its SHA-256, lower-case hex
   * @param bytesTransferred bytes received over the network by this call (0 when it was cached)
   */
  public record Result(Path file, String sha256, long bytesTransferred) {}

  /**
   * Downloads {@code url} into {@code cacheDir} under {@link WeightsCache#fileNameFor(URI)}, unless
   * a file that passes the check is already there.
   *
   * @param expectedSha256 lower- or upper-case hex, or null to skip the hash check
   * @throws WeightsDownloadException when the download cannot happen (refused, offline, an HTTP
   *     error, cut more often than the attempts allow) or the file is invalid; the message says
   *     which and, for an invalid file, names the key
   */
  public Result fetch(URI url, Path cacheDir, String expectedSha256, WeightsCheck check)
      throws WeightsDownloadException {
    Objects.requireNonNull(check, "check");
    String name = WeightsCache.fileNameFor(url);
    Path target = cacheDir.resolve(name);
    Path part = cacheDir.resolve(name + ".part");
    try {
      Files.createDirectories(cacheDir);
    } catch (IOException e) {
      throw new WeightsDownloadException(
          url, "cannot create the cache folder " + cacheDir + ": " + e, e);
    }
    try (FileChannel lockChannel =
            FileChannel.open(
                cacheDir.resolve(name + ".lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = acquire(lockChannel, name)) {
      if (Files.isRegularFile(target)) {
        // Another process may have finished it while we waited, or an earlier run did.
        String sha = sha256(target);
        List<String> problems = problems(target, name, sha, expectedSha256, check);
        if (problems.isEmpty()) {
          return new Result(target, sha, 0);
        }
        log.println(
            "Cached "
                + target
                + " is not valid ("
                + String.join("; ", problems)
                + "); downloading it again.");
        Files.delete(target);
      }
      long transferred = transfer(url, part, name);
      String sha = sha256(part);
      List<String> problems = problems(part, name, sha, expectedSha256, check);
      if (!problems.isEmpty()) {
        Files.deleteIfExists(part);
        throw new WeightsDownloadException(
            url,
            "the file downloaded from "
                + url
                + " is not usable VGG-19 weights, so it was deleted: "
                + String.join("; ", problems));
      }
      moveIntoPlace(part, target);
      return new Result(target, sha, transferred);
    } catch (WeightsDownloadException e) {
      throw e;
    } catch (IOException e) {
      throw new WeightsDownloadException(
          url, "cannot download " + url + " into " + cacheDir + ": " + e, e);
    }
  }

  private FileLock acquire(FileChannel channel, String name) throws IOException {
    FileLock lock = channel.tryLock();
    if (lock == null) {
      log.println("Waiting for another process that is downloading " + name + " ...");
      lock = channel.lock();
    }
    return lock;
  }

  /** The check's problems, or the reason the file cannot be read, plus a SHA-256 mismatch. */
  private static List<String> problems(
      Path file, String name, String sha256, String expectedSha256, WeightsCheck check)
      throws IOException {
    List<String> problems = new ArrayList<>();
    try {
      problems.addAll(check.problems(file, name));
    } catch (IOException e) {
      problems.add(e.getMessage());
    }
    if (problems.isEmpty() && expectedSha256 != null && !expectedSha256.isBlank()) {
      if (!sha256.equalsIgnoreCase(expectedSha256.trim())) {
        problems.add(
            "sha256 is " + sha256 + " but weights_sha256 expects " + expectedSha256.trim());
      }
    }
    return problems;
  }

  /**
   * Fills {@code part} with the whole file, resuming what is there; retries a cut transfer.
   *
   * @return bytes received over the network
   */
  private long transfer(URI url, Path part, String name) throws IOException {
    long received = 0;
    IOException lastCut = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        log.println(
            "Download of "
                + name
                + " was cut ("
                + lastCut.getMessage()
                + "); resuming, attempt "
                + attempt
                + " of "
                + maxAttempts
                + ".");
        sleep(retryDelay.multipliedBy(attempt - 1));
      }
      Attempt result = attempt(url, part, name);
      received += result.received;
      if (result.cut == null) {
        return received;
      }
      lastCut = result.cut;
    }
    throw new WeightsDownloadException(
        url,
        "the download of "
            + url
            + " was cut and did not finish in "
            + maxAttempts
            + " attempts (last: "
            + lastCut.getMessage()
            + "); the partial file "
            + part
            + " is kept and the next run resumes it",
        lastCut);
  }

  /** One HTTP exchange's outcome: bytes received, and why it stopped early (null when complete). */
  private record Attempt(long received, IOException cut) {}

  private Attempt attempt(URI url, Path part, String name) throws IOException {
    long have = Files.isRegularFile(part) ? Files.size(part) : 0;
    HttpURLConnection http = open(url);
    try {
      if (have > 0) {
        http.setRequestProperty("Range", "bytes=" + have + "-");
      }
      int status;
      try {
        status = http.getResponseCode();
      } catch (IOException e) {
        // Refused, unknown host, connect timeout: fail at once, since retrying only delays the
        // fallback; a part from an earlier cut stays for the next run.
        throw new WeightsDownloadException(url, describeConnectFailure(url, e), e);
      }
      long start;
      long total;
      switch (status) {
        case HttpURLConnection.HTTP_PARTIAL -> {
          Matcher m =
              CONTENT_RANGE.matcher(Objects.toString(http.getHeaderField("Content-Range"), ""));
          if (!m.matches() || Long.parseLong(m.group(1)) != have) {
            // A range we did not ask for: start over rather than splice mismatched bytes.
            Files.deleteIfExists(part);
            return new Attempt(
                0,
                new IOException(
                    "server answered Range bytes="
                        + have
                        + "- with Content-Range "
                        + http.getHeaderField("Content-Range")));
          }
          start = have;
          total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
          log.println("Resuming " + name + " at " + have + " bytes.");
        }
        case HttpURLConnection.HTTP_OK -> {
          if (have > 0) {
            log.println("Server does not resume downloads; starting " + name + " over.");
          }
          start = 0;
          total = http.getContentLengthLong();
        }
        case 416 -> {
          // Range not satisfiable: the part is already whole when its size equals the total.
          Matcher m =
              UNSATISFIABLE_RANGE.matcher(
                  Objects.toString(http.getHeaderField("Content-Range"), ""));
          if (m.matches() && Long.parseLong(m.group(1)) == have) {
            return new Attempt(0, null);
          }
          Files.deleteIfExists(part);
          return new Attempt(0, new IOException("server refused to resume at " + have + " bytes"));
        }
        default -> {
          String reason = Objects.toString(http.getResponseMessage(), "");
          String message =
              "HTTP " + status + (reason.isEmpty() ? "" : " " + reason) + " from " + url;
          if (status >= 500) {
            return new Attempt(0, new IOException(message));
          }
          throw new WeightsDownloadException(url, message);
        }
      }
      return copyBody(http, part, name, start, total);
    } finally {
      http.disconnect();
    }
  }

  private Attempt copyBody(HttpURLConnection http, Path part, String name, long start, long total)
      throws IOException {
    DownloadProgress progress =
        new DownloadProgress(log, terminal, "Downloading " + name, total, start, nanoClock);
    long bytes = start;
    StandardOpenOption mode =
        start > 0 ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    try (InputStream in = http.getInputStream();
        OutputStream out =
            Files.newOutputStream(
                part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
      byte[] buffer = new byte[BUFFER_BYTES];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        bytes += n;
        progress.update(bytes);
      }
    } catch (IOException e) {
      endLine();
      return new Attempt(bytes - start, e);
    }
    if (total >= 0 && bytes != total) {
      endLine();
      return new Attempt(
          bytes - start,
          new IOException("connection closed after " + bytes + " of " + total + " bytes"));
    }
    progress.finish();
    return new Attempt(bytes - start, null);
  }

  /** Ends a progress line left open on a terminal, so the next message starts on its own line. */
  private void endLine() {
    if (terminal) {
      log.println();
    }
  }

  private HttpURLConnection open(URI url) throws IOException {
    URLConnection connection = url.toURL().openConnection();
    if (!(connection instanceof HttpURLConnection http)) {
      throw new WeightsDownloadException(url, "weights_url must be http or https, got " + url);
    }
    http.setConnectTimeout((int) connectTimeout.toMillis());
    // A read timeout (not just a connect timeout) so a stalled transfer counts as cut and resumes.
    http.setReadTimeout((int) readTimeout.toMillis());
    http.setInstanceFollowRedirects(true);
    http.setRequestProperty("User-Agent", "stylesweep");
    // Identity encoding keeps byte offsets meaningful for Range.
    http.setRequestProperty("Accept-Encoding", "identity");
    return http;
  }

  private static String describeConnectFailure(URI url, IOException e) {
    return "cannot reach "
        + url
        + " ("
        + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + e.getMessage())
        + ")";
  }

  private static void moveIntoPlace(Path part, Path target) throws IOException {
    try {
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The SHA-256 of a file as lower-case hex. */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void sleep(Duration delay) throws IOException {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting to resume the download", e);
    }
  }

  /** Options of a {@link WeightsDownloader}. */
  public static final class Builder {
    private PrintStream log = System.err;
    private boolean terminal = System.console() != null;
    private int maxAttempts = 5;
    private Duration retryDelay = Duration.ofSeconds(2);
    private Duration connectTimeout = Duration.ofSeconds(20);
    private Duration readTimeout = Duration.ofSeconds(60);
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    /** Where progress and messages go (stderr by default). */
    public Builder log(PrintStream log) {
      this.log = Objects.requireNonNull(log);
      return this;
    }

    /** Whether the log is a terminal: redraw one progress line, else print a line every 5 s. */
    public Builder terminal(boolean terminal) {
      this.terminal = terminal;
      return this;
    }

    /** Attempts for one download, counting the first; a cut transfer resumes on the next one. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Pause before the second attempt; it grows linearly with the attempt number. */
    public Builder retryDelay(Duration retryDelay) {
      this.retryDelay = Objects.requireNonNull(retryDelay);
      return this;
    }

    /** Time allowed to open the connection. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout);
      return this;
    }

    /** Time allowed between two reads before the transfer counts as cut. */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = Objects.requireNonNull(readTimeout);
      return this;
    }

    /** The clock for rate and ETA ({@code System::nanoTime}). */
    Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = Objects.requireNonNull(nanoClock);
      return this;
    }

    /** The downloader. */
    public WeightsDownloader build() {
      return new WeightsDownloader(this);
    }
  }
}
