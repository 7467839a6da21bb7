package org.stylesweep.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on loopback for tests: a Master and one Worker, each a child JVM
 * started from the Spark jars on the test classpath, so that executors are separate JVMs as on a
 * real cluster (every other Spark test runs in one JVM on {@code local[...]}).
 *
 * <p>The Worker launches executors from a {@code SPARK_HOME}: this class makes one in the given
 * folder, an empty {@code RELEASE} file (without it Spark looks for a source build's {@code
 * assembly/} folder) and {@code jars/} holding a link to every jar of the test classpath. Executors
 * get no project classes from it: a driver passes {@code target/classes} with {@link
 * #executorSettings()}. Master, Worker and executor logs go to {@code logs/} and {@code work/}.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start(home, 2, "2g")) {
 *   ... "--conf", "spark.master=" + cluster.masterUrl() ...
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops the Worker (and its executors) and the Master, forcibly if they do not
 * exit, and is safe to call after a failed start.
 */
public final class StandaloneCluster implements AutoCloseable {
  /** The executor JVM's main class, as it appears on its command line. */
  public static final String EXECUTOR_MAIN = "CoarseGrainedExecutorBackend";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Path home;
  private final int masterPort;
  private final int masterUiPort;
  private final List<Process> processes = new ArrayList<>();

  private StandaloneCluster(Path home, int masterPort, int masterUiPort) {
    this.home = home;
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
  }

  /**
   * Starts a Master and a Worker offering {@code cores} cores and {@code memory} (e.g. {@code
   * "2g"}) to executors, and waits until the Worker has registered.
   *
   * @param home an empty folder for SPARK_HOME, logs and the Worker's work folder
   */
  public static StandaloneCluster start(Path home, int cores, String memory)
      throws IOException, InterruptedException {
    sparkHome(home);
    StandaloneCluster cluster = new StandaloneCluster(home, freePort(), freePort());
    try {
      cluster.launch(
          "master",
          "org.apache.spark.deploy.master.Master",
          "--host",
          "127.0.0.1",
          "--port",
          Integer.toString(cluster.masterPort),
          "--webui-port",
          Integer.toString(cluster.masterUiPort));
      cluster.launch(
          "worker",
          "org.apache.spark.deploy.worker.Worker",
          cluster.masterUrl(),
          "--host",
          "127.0.0.1",
          "--cores",
          Integer.toString(cores),
          "--memory",
          memory,
          "--webui-port",
          Integer.toString(freePort()),
          "--work-dir",
          cluster.workDir().toString());
      cluster.awaitAliveWorkers(1);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /**
   * The Worker's work folder: {@code <app-id>/<executor-id>/} with each executor's stdout and
   * stderr.
   */
  public Path workDir() {
    return home.resolve("work");
  }

  /**
   * The driver settings executors need here: the project's classes (not among SPARK_HOME's jars),
   * the JVM flags of conf/jvm-options, DJL offline, and the test JVM's environment for libtorch.
   */
  public static Map<String, String> executorSettings() throws IOException {
    // The client compiler only: an executor here lives for a few short runs (the work is in
    // libtorch), and C2 compiling Spark's code competes with them for the machine's cores.
    String flags =
        String.join(" ", jvmOptions()) + " -Dai.djl.offline=true -XX:TieredStopAtLevel=1";
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    settings.put(
        "spark.executor.extraClassPath", Path.of("target/classes").toAbsolutePath().toString());
    settings.put("spark.executor.extraJavaOptions", flags);
    settings.put("spark.executorEnv.OMP_NUM_THREADS", "1");
    String cache = System.getenv("STYLESWEEP_CACHE");
    if (cache != null) {
      settings.put("spark.executorEnv.STYLESWEEP_CACHE", cache);
    }
    return settings;
  }

  /** The JVM flags of conf/jvm-options (one per line; comment and blank lines skipped). */
  public static List<String> jvmOptions() throws IOException {
    return Files.readAllLines(Path.of("conf/jvm-options")).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }

  /** The executor JVMs the Worker runs now. */
  public List<ProcessHandle> executors() {
    Process worker = processes.size() > 1 ? processes.get(1) : null;
    if (worker == null) {
      return List.of();
    }
    return worker
        .toHandle()
        .descendants()
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(cmd -> cmd.contains(EXECUTOR_MAIN)).orElse(false))
        .toList();
  }

  /**
   * The executor folders the Worker made, {@code work/<app-id>/<executor-id>}: one per executor
   * launched.
   */
  public List<Path> executorDirs() throws IOException {
    if (!Files.isDirectory(workDir())) {
      return List.of();
    }
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> apps = Files.list(workDir())) {
      for (Path app : apps.filter(Files::isDirectory).toList()) {
        try (Stream<Path> executors = Files.list(app)) {
          executors.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
      }
    }
    return dirs;
  }

  /** The Master's status ({@code /json/} of its web UI): workers, cores, applications. */
  public JsonNode masterState() throws IOException {
    HttpURLConnection http =
        (HttpURLConnection)
            URI.create("http://127.0.0.1:" + masterUiPort + "/json/").toURL().openConnection();
    http.setConnectTimeout(2000);
    http.setReadTimeout(5000);
    try (InputStream in = http.getInputStream()) {
      return new ObjectMapper().readTree(in);
    } finally {
      http.disconnect();
    }
  }

  /** Stops the Worker, its executors and the Master; forcibly after a few seconds. */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>();
    for (int i = processes.size() - 1; i >= 0; i--) {
      ProcessHandle p = processes.get(i).toHandle();
      all.addAll(p.descendants().toList());
      all.add(p);
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle p : all) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        p.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception timedOut) {
        p.destroyForcibly();
      }
    }
    processes.clear();
  }

  private void launch(String name, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions());
    // Short-lived JVMs on a small machine: the client compiler only, one GC thread.
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.add("-cp");
    command.add(home.resolve("jars").toString() + File.separator + "*");
    command.add(mainClass);
    command.addAll(List.of(args));
    Path logs = Files.createDirectories(home.resolve("logs"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + ".log").toFile());
    builder.environment().put("SPARK_HOME", home.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.13");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("OMP_NUM_THREADS", "1");
    processes.add(builder.start());
  }

  private void awaitAliveWorkers(int count) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a cluster JVM exited with " + p.exitValue() + "; logs:\n" + logs());
        }
      }
      try {
        JsonNode state = masterState();
        last = state.toString();
        if (state.path("aliveworkers").asInt() >= count) {
          return;
        }
      } catch (IOException notYet) {
        last = notYet.toString();
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "no "
            + count
            + " alive workers after "
            + START_TIMEOUT
            + ": "
            + last
            + "; logs:\n"
            + logs());
  }

  /** The Master's and Worker's logs, for failure messages. */
  public String logs() {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("master", "worker")) {
      Path log = home.resolve("logs").resolve(name + ".log");
      try {
        text.append("--- ")
            .append(name)
            .append('\n')
            .append(Files.isRegularFile(log) ? Files.readString(log) : "");
      } catch (IOException e) {
        text.append(e).append('\n');
      }
    }
    return text.toString();
  }

  /** SPARK_HOME: an empty RELEASE file and jars/ linking every jar of the test classpath. */
  private static void sparkHome(Path home) throws IOException {
    Files.createDirectories(home);
    Files.writeString(home.resolve("RELEASE"), "");
    Path jars = Files.createDirectories(home.resolve("jars"));
    Set<String> names = new LinkedHashSet<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path jar = Path.of(entry).toAbsolutePath();
      String name = jar.getFileName().toString();
      if (name.endsWith(".jar")
          && Files.isRegularFile(jar)
          && !name.startsWith("surefire")
          && names.add(name)) {
        Files.createSymbolicLink(jars.resolve(name), jar);
      }
    }
    Optional<String> spark = names.stream().filter(n -> n.startsWith("spark-core_")).findFirst();
    if (spark.isEmpty()) {
      throw new UncheckedIOException(
          new IOException("no spark-core jar on the test classpath: " + names.size() + " jars"));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
