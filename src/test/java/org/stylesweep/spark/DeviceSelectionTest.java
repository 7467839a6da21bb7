package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.DeviceChoice;

class DeviceSelectionTest {
  static final Map<String, List<String>> NONE = Map.of();

  static Map<String, List<String>> gpus(String... addresses) {
    return Map.of("gpu", List.of(addresses));
  }

  @Test
  void taskWithAGpuAddressUsesThatGpu() {
    assertThat(DeviceSelection.choose(DeviceChoice.AUTO, gpus("1"), 2).device())
        .isEqualTo(Device.gpu(1));
    assertThat(DeviceSelection.choose(DeviceChoice.GPU, gpus("0"), 1).device())
        .isEqualTo(Device.gpu(0));
  }

  @Test
  void cpuIsCpuWhateverSparkAssigned() {
    assertThat(DeviceSelection.choose(DeviceChoice.CPU, gpus("0"), 1).device())
        .isEqualTo(Device.cpu());
  }

  @Test
  void withoutAGpuResourceTheFirstVisibleGpuIsUsedElseTheCpu() {
    assertThat(DeviceSelection.choose(DeviceChoice.AUTO, NONE, 1).device())
        .isEqualTo(Device.gpu(0));
    assertThat(DeviceSelection.choose(DeviceChoice.GPU, NONE, 4).device()).isEqualTo(Device.gpu(0));
    DeviceSelection.Selection cpu =
        DeviceSelection.choose(DeviceChoice.AUTO, Map.of("fpga", List.of("0")), 0);
    assertThat(cpu.device()).isEqualTo(Device.cpu());
    assertThat(cpu.note()).isNull();
  }

  @Test
  void gpuRequestedWithoutCudaFailsFastWithAClearMessage() {
    assertThatThrownBy(() -> DeviceSelection.choose(DeviceChoice.GPU, NONE, 0))
        .isInstanceOf(DeviceSelection.DeviceUnavailableException.class)
        .hasMessageContaining("model.device is gpu, but this task has no GPU")
        .hasMessageContaining("--set model.device=cpu");
    assertThatThrownBy(() -> DeviceSelection.choose(DeviceChoice.GPU, gpus("0"), 0))
        .hasMessageContaining(
            "Spark assigned GPU 0 to this task, but the engine sees no CUDA device");
  }

  @Test
  void autoWithAnAssignedGpuTheEngineCannotSeeFallsBackToCpuWithANote() {
    DeviceSelection.Selection s = DeviceSelection.choose(DeviceChoice.AUTO, gpus("3"), 1);
    assertThat(s.device()).isEqualTo(Device.cpu());
    assertThat(s.note()).contains("Spark assigned GPU 3").contains("sees only 1 CUDA device(s)");
  }

  @Test
  void nonNumericAddressIsRejected() {
    assertThatThrownBy(() -> DeviceSelection.choose(DeviceChoice.AUTO, gpus("GPU-9f2c"), 1))
        .hasMessageContaining("Spark assigned GPU address 'GPU-9f2c'");
  }
}
