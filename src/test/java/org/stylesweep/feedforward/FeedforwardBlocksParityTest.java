package org.stylesweep.feedforward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.transfer.Autograd;

/**
 * Instance norm, reflection padding, nearest upsampling and a whole transformation network against
 * PyTorch 1.13, forward and backward; fixtures from {@code
 * tools/parity/make_feedforward_fixtures.py}.
 */
class FeedforwardBlocksParityTest {
  private static NDManager manager;
  private static NDList blocks;
  private static NDList net;

  @BeforeAll
  static void load() throws IOException {
    manager = NDManager.newBaseManager(Device.cpu());
    blocks = read("/fixtures/feedforward_blocks.safetensors");
    net = read("/fixtures/feedforward_net.safetensors");
  }

  private static NDList read(String resource) throws IOException {
    try (InputStream in = FeedforwardBlocksParityTest.class.getResourceAsStream(resource)) {
      return NDList.decode(manager, in);
    }
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static float maxDiff(NDArray a, NDArray b) {
    assertThat(a.getShape()).isEqualTo(b.getShape());
    return a.sub(b).abs().max().getFloat();
  }

  /**
   * Runs {@code block} on leaf copies of {@code inputs}, backpropagates sum(out · upstream), and
   * returns the output followed by each input's gradient.
   */
  private static List<NDArray> forwardBackward(
      Function<List<NDArray>, NDArray> block, NDArray upstream, NDArray... inputs) {
    return Autograd.withGradMode(
        true,
        () -> {
          List<NDArray> leaves = new java.util.ArrayList<>();
          for (NDArray input : inputs) {
            NDArray leaf = input.duplicate();
            leaf.setRequiresGradient(true);
            leaves.add(leaf);
          }
          NDArray out = block.apply(leaves);
          Autograd.backward(out.mul(upstream).sum());
          List<NDArray> result = new java.util.ArrayList<>();
          result.add(out.stopGradient());
          leaves.forEach(l -> result.add(l.getGradient().duplicate()));
          return result;
        });
  }

  @Test
  void instanceNormMatchesTorchForwardAndBackward() {
    List<NDArray> r =
        forwardBackward(
            l -> Blocks.instanceNorm(l.get(0), l.get(1), l.get(2)),
            blocks.get("instance_norm.upstream"),
            blocks.get("instance_norm.x"),
            blocks.get("instance_norm.gamma"),
            blocks.get("instance_norm.beta"));

    assertThat(maxDiff(r.get(0), blocks.get("instance_norm.out"))).isLessThan(1e-5f);
    assertThat(maxDiff(r.get(1), blocks.get("instance_norm.grad_x"))).isLessThan(1e-5f);
    assertThat(maxDiff(r.get(2), blocks.get("instance_norm.grad_gamma"))).isLessThan(1e-5f);
    assertThat(maxDiff(r.get(3), blocks.get("instance_norm.grad_beta"))).isLessThan(1e-5f);
  }

  @Test
  void reflectionPadMatchesTorchForwardAndBackward() {
    List<NDArray> r =
        forwardBackward(
            l -> Blocks.reflectionPad(l.get(0), 2),
            blocks.get("reflection_pad.upstream"),
            blocks.get("reflection_pad.x"));

    assertThat(maxDiff(r.get(0), blocks.get("reflection_pad.out"))).isLessThan(1e-5f);
    assertThat(maxDiff(r.get(1), blocks.get("reflection_pad.grad_x"))).isLessThan(1e-5f);
  }

  @Test
  void reflectionPadAsWideAsTheImageIsRefusedWithTheSizes() {
    NDArray x = manager.zeros(new ai.djl.ndarray.types.Shape(1, 1, 2, 2));
    assertThatThrownBy(() -> Blocks.reflectionPad(x, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2×2");
  }

  @Test
  void nearestUpsamplingMatchesTorchForwardAndBackward() {
    List<NDArray> r =
        forwardBackward(
            l -> Blocks.upsampleNearest(l.get(0), 2),
            blocks.get("upsample.upstream"),
            blocks.get("upsample.x"));

    assertThat(maxDiff(r.get(0), blocks.get("upsample.out"))).isLessThan(1e-5f);
    assertThat(maxDiff(r.get(1), blocks.get("upsample.grad_x"))).isLessThan(1e-5f);
  }

  @Test
  void transformationNetWithTorchWeightsGivesTorchsOutput() {
    Map<String, NDArray> weights = new LinkedHashMap<>();
    for (NDArray a : net) {
      if (!a.getName().startsWith("net.")) {
        weights.put(a.getName(), a);
      }
    }
    TransformerNet.Recipe recipe = TransformerNet.Recipe.of(weights, "fixture");

    NDArray out = TransformerNet.forward(weights, recipe, net.get("net.input"));

    assertThat(recipe).isEqualTo(new TransformerNet.Recipe(List.of(4, 8, 8), 2, 9));
    // Outputs reach ~10 after a 9x9 convolution over 4 channels; relative to that, 1e-5.
    float scale = net.get("net.output").abs().max().getFloat();
    assertThat(maxDiff(out, net.get("net.output")) / scale).isLessThan(1e-5f);
  }
}
