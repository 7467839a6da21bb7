package org.stylesweep.bench;

import java.lang.management.ManagementFactory;

/**
 * Milliseconds per evaluation, by the wall clock (what a user waits) and by the CPU time of the
 * whole process, all threads (the work done). On a machine shared with other jobs the wall time
 * swings with their load, while the CPU time stays close to the work itself.
 *
 * @param wallMs wall milliseconds per evaluation
 * @param cpuMs process CPU milliseconds per evaluation
 * @param jitMs milliseconds per evaluation the JVM's JIT compiler threads worked (part of the CPU
 *     time; 0 for the PyTorch reference)
 */
record Timing(double wallMs, double cpuMs, double jitMs) {

  /** A point in time on both clocks, with the JIT compiler's total time so far. */
  record Mark(long wallNanos, long cpuNanos, long jitMillis) {}

  private static final java.lang.management.CompilationMXBean JIT =
      ManagementFactory.getCompilationMXBean();

  /** A timing from another process, which has no JIT figure. */
  static Timing of(double wallMs, double cpuMs) {
    return new Timing(wallMs, cpuMs, 0);
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Now, on both clocks. */
  static Mark now() {
    return new Mark(
        System.nanoTime(),
        OS.getProcessCpuTime(),
        JIT != null && JIT.isCompilationTimeMonitoringSupported()
            ? JIT.getTotalCompilationTime()
            : 0);
  }

  /** Per-interval times between two marks {@code intervals} evaluations apart. */
  static Timing between(Mark first, Mark last, int intervals) {
    return new Timing(
        (last.wallNanos() - first.wallNanos()) / 1e6 / intervals,
        (last.cpuNanos() - first.cpuNanos()) / 1e6 / intervals,
        (last.jitMillis() - first.jitMillis()) / (double) intervals);
  }
}
