package org.stylesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.Pooling;

class Vgg19Test {

  @Test
  void randomInitIsDeterministicPerSeedWithKaimingFanOutStd() {
    try (Vgg19 a = Vgg19.random(7, Pooling.MAX, Device.cpu());
        Vgg19 b = Vgg19.random(7, Pooling.MAX, Device.cpu());
        Vgg19 c = Vgg19.random(8, Pooling.MAX, Device.cpu())) {
      assertThat(a.layerCount()).isEqualTo(16);
      assertThat(a.source()).isEqualTo("random:7");
      for (int conv : new int[] {0, 4, 15}) {
        assertThat(a.weight(conv).toFloatArray()).isEqualTo(b.weight(conv).toFloatArray());
        assertThat(a.weight(conv).toFloatArray()).isNotEqualTo(c.weight(conv).toFloatArray());
      }
      for (int conv = 0; conv < 16; conv++) {
        float[] w = a.weight(conv).toFloatArray();
        double mean = 0;
        double square = 0;
        for (float v : w) {
          mean += v;
          square += (double) v * v;
        }
        mean /= w.length;
        double std = Math.sqrt(square / w.length - mean * mean);
        double expected = Math.sqrt(2.0 / (VggLayers.convOutChannels(conv) * 9));
        // 1728 draws for conv1_1 give a sampling error of ~1.7% on the std; the others far less.
        assertThat(std).as("std of conv %d", conv).isCloseTo(expected, within(expected * 0.06));
        assertThat(mean).isCloseTo(0, within(expected * 0.1));
        assertThat(a.bias(conv).abs().max().getFloat()).isZero();
      }
    }
  }

  @Test
  void forwardReturnsTapsWithVggShapesAndStopsAtDeepest() {
    try (Vgg19 model = Vgg19.random(0, Pooling.MAX, Device.cpu());
        NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray input = manager.randomUniform(0, 1, new Shape(1, 3, 32, 48));
      Map<String, NDArray> taps =
          model.forward(
              input,
              VggLayers.resolveAll(List.of("conv1_1", "relu1_1", "pool1", "conv3_1", "conv_5")));
      assertThat(taps.keySet()).containsExactlyInAnyOrder("conv1_1", "relu1_1", "pool1", "conv3_1");
      assertThat(taps.get("conv1_1").getShape()).isEqualTo(new Shape(1, 64, 32, 48));
      assertThat(taps.get("pool1").getShape()).isEqualTo(new Shape(1, 64, 16, 24));
      assertThat(taps.get("conv3_1").getShape()).isEqualTo(new Shape(1, 256, 8, 12));
      // conv outputs are taken before ReLU: they have negative entries, the ReLU output has none
      assertThat(taps.get("conv1_1").min().getFloat()).isNegative();
      assertThat(taps.get("relu1_1").min().getFloat()).isZero();
      // with nothing past conv3_1 requested, nothing past it is computed: one array per layer
      // of features[0..10]
      long before = manager.getManagedArrays().size();
      model.forward(input, VggLayers.resolveAll(List.of("conv3_1")));
      long created = manager.getManagedArrays().size() - before;
      assertThat(created).isEqualTo(VggLayers.resolve("conv3_1").featureIndex() + 1);
    }
  }
}
