package org.stylesweep.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-API server on loopback for tests: S3Proxy (org.gaul:s3proxy, filesystem backend)
 * started as a child JVM with signature checking on, plus one fresh bucket, and the s3a settings
 * that point Hadoop's S3AFileSystem (and Spark, through {@code spark.hadoop.*}) at it.
 *
 * <p>Register it as a static field to share one server by the test class, or as an instance field
 * for one server per test:
 *
 * <pre>{@code
 * @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();
 * ... FileSystem fs = FileSystem.get(URI.create(S3.uri("in/a.png")), S3.hadoopConfiguration());
 * }</pre>
 *
 * <p>The bucket name is unique per server: Hadoop caches FileSystem instances by scheme and bucket,
 * and a cached S3AFileSystem would keep talking to an earlier server's port.
 *
 * <p>The S3Proxy jar is copied to {@code target/test-tools/s3proxy.jar} by the pom's
 * maven-dependency-plugin ({@code generate-test-resources}); it runs in its own JVM so that its
 * bundled Jetty, Guava and jclouds never meet Spark's on one classpath.
 */
public final class S3ProxyExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  /** S3A and the AWS SDK want a region even for a custom endpoint. */
  public static final String REGION = "us-east-1";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  private final String accessKey;
  private final String secretKey;
  private final String bucket;

  private Process process;
  private Path workDir;
  private Path logFile;
  private int port;
  private boolean startedForWholeClass;
  private Thread shutdownHook;

  /** A server with test credentials of its own. */
  public S3ProxyExtension() {
    this("stylesweep-test-identity", "stylesweep-test-credential-" + shortId());
  }

  /**
   * A server that accepts only these credentials (the leak test uses distinctive ones to grep for).
   */
  public S3ProxyExtension(String accessKey, String secretKey) {
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.bucket = "stylesweep-" + shortId();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
    startedForWholeClass = true;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (startedForWholeClass) {
      stop();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (process == null) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!startedForWholeClass) {
      stop();
    }
  }

  /** The bucket every test of this server writes into. */
  public String bucket() {
    return bucket;
  }

  /** {@code s3a://<bucket>/<key>}. */
  public String uri(String key) {
    return "s3a://" + bucket + "/" + (key.startsWith("/") ? key.substring(1) : key);
  }

  /** The access key the server accepts. */
  public String accessKey() {
    return accessKey;
  }

  /** The secret key the server accepts. */
  public String secretKey() {
    return secretKey;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    requireStarted();
    return "http://127.0.0.1:" + port;
  }

  /** The server's own log (stdout and stderr), for diagnosing a failed request. */
  public Path logFile() {
    return logFile;
  }

  /**
   * The s3a settings for this server, keys without the {@code spark.hadoop.} prefix. Exactly what a
   * user sets for an S3-compatible store on a private network: endpoint, path-style addressing,
   * plain HTTP, region, and static keys.
   */
  public Map<String, String> s3aSettings() {
    requireStarted();
    Map<String, String> s = new LinkedHashMap<>();
    s.put("fs.s3a.endpoint", endpoint());
    s.put("fs.s3a.endpoint.region", REGION);
    s.put("fs.s3a.path.style.access", "true");
    s.put("fs.s3a.connection.ssl.enabled", "false");
    // Static keys only: without this S3A would go on to environment variables and the EC2
    // instance-metadata service, which on a developer machine means a slow timeout.
    s.put(
        "fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    s.put("fs.s3a.access.key", accessKey);
    s.put("fs.s3a.secret.key", secretKey);
    // Fail fast in tests instead of S3A's minutes of retries when something is wrong.
    s.put("fs.s3a.attempts.maximum", "2");
    s.put("fs.s3a.retry.limit", "2");
    s.put("fs.s3a.connection.establish.timeout", "15s");
    return s;
  }

  /** The same settings with Spark's {@code spark.hadoop.} prefix, for a SparkConf. */
  public Map<String, String> sparkSettings() {
    return LocalSpark.hadoopSettings(s3aSettings());
  }

  /**
   * {@link #sparkSettings()} without the keys and without the provider that pins S3A to them: for a
   * driver that must find its keys the way a cluster often hands them out, through S3A's default
   * credential chain (for example {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} in
   * its environment).
   */
  public Map<String, String> sparkSettingsWithoutKeys() {
    Map<String, String> s = new LinkedHashMap<>(s3aSettings());
    s.remove("fs.s3a.access.key");
    s.remove("fs.s3a.secret.key");
    s.remove("fs.s3a.aws.credentials.provider");
    return LocalSpark.hadoopSettings(s);
  }

  /** A fresh Hadoop configuration with {@link #s3aSettings()} applied. */
  public Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    s3aSettings().forEach(conf::set);
    return conf;
  }

  /** An AWS SDK client for this server, for checks below the Hadoop layer. */
  public S3Client newS3Client() {
    requireStarted();
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.of(REGION))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .build();
  }

  /** Starts the server, waits until it answers, and creates the bucket. */
  public void start() throws IOException, InterruptedException {
    if (process != null) {
      return;
    }
    Path jar = s3ProxyJar();
    workDir = Files.createTempDirectory("s3proxy-");
    Path data = Files.createDirectories(workDir.resolve("data"));
    logFile = workDir.resolve("s3proxy.log");
    IOException lastFailure = null;
    for (int attempt = 1; attempt <= START_ATTEMPTS && process == null; attempt++) {
      port = freePort();
      Path properties = workDir.resolve("s3proxy.properties");
      Files.writeString(properties, properties(data), StandardCharsets.UTF_8);
      Process started =
          new ProcessBuilder(
                  javaExecutable(),
                  "-Xmx256m",
                  "-XX:+UseSerialGC",
                  "-XX:TieredStopAtLevel=1",
                  "-jar",
                  jar.toString(),
                  "--properties",
                  properties.toString())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      try {
        awaitListening(started);
        process = started;
      } catch (IOException e) {
        // Most likely another process took the port between freePort() and the bind.
        started.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        lastFailure = e;
      }
    }
    if (process == null) {
      deleteWorkDir();
      throw lastFailure;
    }
    shutdownHook = new Thread(process::destroyForcibly, "s3proxy-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    try (S3Client s3 = newS3Client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** Stops the server and removes its data. */
  public void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      process = null;
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The JVM is exiting; the hook runs anyway.
      }
      deleteWorkDir();
    }
  }

  private String properties(Path data) {
    return String.join(
        "\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + accessKey,
        "s3proxy.credential=" + secretKey,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + data,
        "");
  }

  private void awaitListening(Process started) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        throw new IOException(
            "S3Proxy exited with status "
                + started.exitValue()
                + " on port "
                + port
                + ":\n"
                + logTail());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IOException(
        "S3Proxy did not listen on 127.0.0.1:"
            + port
            + " within "
            + START_TIMEOUT
            + ":\n"
            + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void deleteWorkDir() {
    if (workDir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(workDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temp dir is harmless; the test result is what matters.
    }
  }

  private void requireStarted() {
    if (process == null) {
      throw new IllegalStateException(
          "S3Proxy is not running: register S3ProxyExtension with @RegisterExtension");
    }
  }

  private static Path s3ProxyJar() {
    Path jar = Paths.get(System.getProperty("s3proxy.jar", "target/test-tools/s3proxy.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "S3Proxy jar not found at "
              + jar.toAbsolutePath()
              + ": run the tests through Maven (its generate-test-resources phase copies "
              + "org.gaul:s3proxy:2.6.0:jar-with-dependencies there), or set -Ds3proxy.jar=PATH");
    }
    return jar;
  }

  private static String javaExecutable() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String shortId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
  }
}
