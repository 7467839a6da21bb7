package org.stylesweep.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes libtorch's intra-op thread pool from {@code spark.task.cpus}: a task that owns n cores
 * computes with n threads, so concurrent runs in one executor do not oversubscribe its cores. The
 * pool is per process; it is set when a task's share differs from the current size.
 */
final class EngineThreads {
  private static final Logger LOG = LoggerFactory.getLogger(EngineThreads.class);

  private EngineThreads() {}

  /** Threads for a task with {@code taskCpus} cores: at least 1. */
  static int forTask(int taskCpus) {
    return Math.max(1, taskCpus);
  }

  /** Sets the engine's intra-op threads for this task. */
  static synchronized void apply(int taskCpus) {
    int wanted = forTask(taskCpus);
    if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
      return;
    }
    if (JniUtils.getNumThreads() != wanted) {
      LOG.info(
          "libtorch intra-op threads: {} -> {} (spark.task.cpus)",
          JniUtils.getNumThreads(),
          wanted);
      JniUtils.setNumThreads(wanted);
    }
  }
}
