package org.stylesweep.spark;

import ai.djl.Device;
import java.util.List;
import java.util.Map;
import org.stylesweep.spec.DeviceChoice;

/**
 * Which device a run computes on, from {@code model.device}, the GPU addresses Spark assigned to
 * the task, and the number of CUDA devices the engine sees. Pure, so every case is a unit test:
 *
 * <ul>
 *   <li>{@code cpu}: the CPU.
 *   <li>a task with a {@code gpu} resource: {@code Device.gpu(address)}.
 *   <li>no GPU resource (local mode schedules none): GPU 0 when the engine sees one.
 *   <li>{@code gpu} when CUDA is not visible: fail at once, since the CPU would be ~100× slower.
 *   <li>{@code auto} when CUDA is not visible: the CPU, with a note when a GPU had been assigned.
 * </ul>
 */
public final class DeviceSelection {
  private DeviceSelection() {}

  /** Spark's resource name for GPUs. */
  public static final String GPU_RESOURCE = "gpu";

  /**
   * The device chosen and, when worth a log line, why.
   *
   * @param device the DJL device to compute on
   * @param note null, or a warning for the executor log
   */
  public record Selection(Device device, String note) {}

  /**
   * The task cannot use the device the manifest insists on. Fails the task, never becomes a row.
   */
  public static final class DeviceUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DeviceUnavailableException(String message) {
      super(message);
    }
  }

  /**
   * @param requested {@code model.device}
   * @param taskResources the task's resources, name to addresses (Spark's {@code
   *     TaskContext.resourcesJMap()}), empty when none were assigned
   * @param visibleGpus CUDA devices the engine sees (0 with the CPU-only libtorch)
   * @throws DeviceUnavailableException when {@code gpu} is requested and cannot be honoured
   */
  public static Selection choose(
      DeviceChoice requested, Map<String, List<String>> taskResources, int visibleGpus) {
    if (requested == DeviceChoice.CPU) {
      return new Selection(Device.cpu(), null);
    }
    List<String> assigned = taskResources.getOrDefault(GPU_RESOURCE, List.of());
    if (!assigned.isEmpty()) {
      int address = parseAddress(assigned.get(0));
      if (visibleGpus > address) {
        return new Selection(Device.gpu(address), null);
      }
      String why =
          visibleGpus == 0
              ? "the engine sees no CUDA device (the CPU-only libtorch is on the classpath, or CUDA is"
                  + " missing; build with -P cluster and set PYTORCH_LIBRARY_PATH or let DJL download the"
                  + " CUDA build)"
              : "the engine sees only "
                  + visibleGpus
                  + " CUDA device(s) (CUDA_VISIBLE_DEVICES may renumber"
                  + " them; make the discovery script report the indices the process sees)";
      if (requested == DeviceChoice.GPU) {
        throw new DeviceUnavailableException(
            "model.device is gpu and Spark assigned GPU " + address + " to this task, but " + why);
      }
      return new Selection(
          Device.cpu(),
          "Spark assigned GPU " + address + " to this task, but " + why + "; running on the CPU");
    }
    if (visibleGpus > 0) {
      return new Selection(Device.gpu(0), null);
    }
    if (requested == DeviceChoice.GPU) {
      throw new DeviceUnavailableException(
          "model.device is gpu, but this task has no GPU: Spark assigned none and the engine sees no"
              + " CUDA device. Run on a GPU node with the cluster build (docs/gpu-cluster.md),"
              + " or set model.device to auto or cpu (--set model.device=cpu).");
    }
    return new Selection(Device.cpu(), null);
  }

  private static int parseAddress(String address) {
    try {
      return Integer.parseInt(address.trim());
    } catch (NumberFormatException e) {
      throw new DeviceUnavailableException(
          "Spark assigned GPU address '" + address + "'; expected a CUDA device index such as 0");
    }
  }
}
