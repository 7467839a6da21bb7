package org.stylesweep.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.io.Serializable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes libtorch's intra-op thread pool for each run.
 *
 * <p>On a cluster a task that owns {@code spark.task.cpus} cores computes with that many threads,
 * so concurrent runs in one executor do not oversubscribe its cores. In local mode the driver knows
 * every core and every run, so the runs in flight share all the cores: {@code cores / min(runs
 * left, slots)} threads each, where slots is how many tasks Spark runs at once. A one-run sweep on
 * 8 cores gets 8 threads instead of {@code spark.task.cpus} = 1, and the last runs of a sweep grow
 * their pools as the others finish (a run checks its share after every evaluation).
 *
 * <p>libtorch keeps the OpenMP thread count per calling thread ({@code at::set_num_threads} sets
 * the calling thread's {@code omp_set_num_threads}), so each Spark task thread sizes its own pool
 * without touching the others'.
 */
final class EngineThreads {
  private static final Logger LOG = LoggerFactory.getLogger(EngineThreads.class);

  /** Runs finished so far per local sweep (keyed by {@link LocalShare#sweep()}), in this JVM. */
  private static final ConcurrentHashMap<String, AtomicInteger> FINISHED =
      new ConcurrentHashMap<>();

  private static final Pattern LOCAL =
      Pattern.compile("local(?:\\[(\\*|\\d+)(?:\\s*,\\s*\\d+)?])?");

  private EngineThreads() {}

  /** Threads for a task with {@code taskCpus} cores: at least 1. */
  static int forTask(int taskCpus) {
    return Math.max(1, taskCpus);
  }

  /**
   * Threads per run in local mode: the cores split evenly among the runs in flight, which are the
   * runs left or the task slots, whichever is fewer; at least 1.
   *
   * @param cores the cores of the local master ({@code local[N]}: N)
   * @param slots tasks Spark runs at once: {@code cores / spark.task.cpus}
   * @param runsLeft runs of the sweep not finished yet (running or waiting)
   */
  static int share(int cores, int slots, int runsLeft) {
    int inFlight = Math.max(1, Math.min(runsLeft, Math.max(1, slots)));
    return Math.max(1, cores / inFlight);
  }

  /**
   * The cores of a local master URL: {@code local} 1, {@code local[N]} and {@code local[N,F]} N,
   * {@code local[*]} the CPUs this JVM sees; -1 for a master that is not local mode (a cluster, or
   * {@code local-cluster[...]}, whose executors are separate JVMs).
   */
  static int localCores(String master) {
    Matcher m = LOCAL.matcher(master == null ? "" : master.trim());
    if (!m.matches()) {
      return -1;
    }
    if (m.group(1) == null) {
      return 1;
    }
    return "*".equals(m.group(1))
        ? Runtime.getRuntime().availableProcessors()
        : Math.max(1, Integer.parseInt(m.group(1)));
  }

  /**
   * How a local sweep shares its cores: built on the driver, read by each run (in local mode the
   * runs are threads of the driver's JVM, so they count finished runs in one place).
   *
   * @param sweep a key unique to this sweep's Spark job
   * @param cores the local master's cores
   * @param slots tasks Spark runs at once
   * @param runs runs this job computes
   */
  record LocalShare(String sweep, int cores, int slots, int runs) implements Serializable {

    /** The plan for a local master, or null on a cluster (keep {@code spark.task.cpus}). */
    static LocalShare of(String sweep, String master, int taskCpus, int runs) {
      int cores = localCores(master);
      if (cores < 1) {
        return null;
      }
      return new LocalShare(sweep, cores, Math.max(1, cores / Math.max(1, taskCpus)), runs);
    }

    /** Threads per run now, from the runs of this sweep not yet finished. */
    int threadsNow() {
      AtomicInteger finished = FINISHED.get(sweep);
      return share(cores, slots, runs - (finished == null ? 0 : finished.get()));
    }

    /** Counts one run of this sweep as finished, so that the runs still going may grow. */
    void finished() {
      FINISHED.computeIfAbsent(sweep, k -> new AtomicInteger()).incrementAndGet();
    }

    /** Forgets this sweep's count once its job is over. */
    void forget() {
      FINISHED.remove(sweep);
    }
  }

  /**
   * Sets the calling thread's intra-op threads to {@code wanted} when they differ; returns the
   * count now in force (the wanted one, or the current one where the engine is not PyTorch).
   */
  static synchronized int apply(int wanted) {
    wanted = Math.max(1, wanted);
    if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
      return wanted;
    }
    int current = JniUtils.getNumThreads();
    if (current != wanted) {
      LOG.debug("libtorch intra-op threads: {} -> {}", current, wanted);
      JniUtils.setNumThreads(wanted);
    }
    return wanted;
  }

  /** The calling thread's intra-op threads, or -1 where the engine is not PyTorch. */
  static int current() {
    return "PyTorch".equals(Engine.getInstance().getEngineName()) ? JniUtils.getNumThreads() : -1;
  }
}
