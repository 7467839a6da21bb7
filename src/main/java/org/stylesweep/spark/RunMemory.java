package org.stylesweep.spark;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import org.stylesweep.common.ResidentMemory;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.transfer.MemoryPlan;

/**
 * A run's memory on its executor: the GPU check before it starts (only the executor knows its GPU's
 * free memory) and the measured peak: resident bytes above the run's start on a CPU ({@link
 * ResidentMemory}), and on a GPU the growth of the device's used memory, which libtorch's caching
 * allocator keeps at its peak reservation until the cache is emptied.
 */
final class RunMemory {
  private final ResidentMemory.Watch cpu;
  private final Device gpu;
  private final long gpuUsedBefore;

  private RunMemory(ResidentMemory.Watch cpu, Device gpu, long gpuUsedBefore) {
    this.cpu = cpu;
    this.gpu = gpu;
    this.gpuUsedBefore = gpuUsedBefore;
  }

  /** A run refused for memory: its error says why and what would fit. */
  static final class TooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message);
    }
  }

  /**
   * The plan's estimate of a run's peak, or null when its parameters are bad (the run then fails
   * with their problems).
   */
  static Long estimate(RunSpec spec) {
    try {
      return MemoryPlan.estimate(spec.task(), spec.params(), MemoryBudget.BYTES).total();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Starts measuring a run on {@code device}. */
  static RunMemory watch(Device device) {
    if (device.isGpu()) {
      MemoryUsage usage = gpuUsage(device);
      return new RunMemory(null, device, usage == null ? -1 : usage.getUsed());
    }
    return new RunMemory(ResidentMemory.watch(), null, -1);
  }

  /** Stops measuring; the run's peak in bytes, or null when it cannot be measured here. */
  Long close() {
    if (cpu != null) {
      Long peak = cpu.peakAboveStart();
      cpu.close();
      return peak;
    }
    MemoryUsage usage = gpuUsage(gpu);
    return usage == null || gpuUsedBefore < 0 ? null : Math.max(0, usage.getUsed() - gpuUsedBefore);
  }

  /**
   * Why a run cannot fit on its GPU (its estimate against the device's free memory), or null when
   * it fits or the device is a CPU (the driver checked those where it could).
   */
  static String refusal(RunSpec spec, Device device, Long estimate) {
    if (!device.isGpu() || estimate == null) {
      return null;
    }
    MemoryUsage usage = gpuUsage(device);
    if (usage == null) {
      return null;
    }
    long free = usage.getMax() - usage.getUsed();
    return refusal(spec, free, estimate, device.toString());
  }

  /** The refusal for a known free memory, or null when the estimate fits. */
  static String refusal(RunSpec spec, long free, long estimate, String device) {
    if (estimate <= free) {
      return null;
    }
    return "run "
        + spec.runId()
        + " (image_size "
        + spec.params().get(org.stylesweep.spec.Params.IMAGE_SIZE)
        + ") "
        + MemoryPlan.refusal(
            spec.task(),
            spec.params(),
            MemoryBudget.BYTES,
            free,
            "GPU " + device + ": " + MemoryPlan.mib(free) + " free now");
  }

  private static MemoryUsage gpuUsage(Device device) {
    try {
      return CudaUtils.hasCuda() ? CudaUtils.getGpuMemory(device) : null;
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }
}
