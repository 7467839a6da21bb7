package org.stylesweep.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.Pooling;
import org.stylesweep.testing.TestSafetensors;

/**
 * A model read from a file keeps its weights after the garbage collector ran: the executors cache
 * one model per JVM and reuse it for every run. (Before the weights were deep-copied, they viewed
 * the decoder's buffer; after a GC the second run of a sweep computed NaN.)
 */
class FileWeightsLifetimeTest {
  @TempDir Path dir;

  @Test
  void weightsReadFromAFileSurviveGarbageCollection() throws Exception {
    Path file = dir.resolve("w.safetensors");
    Files.write(file, TestSafetensors.vggUpToConv2_1().bytes(5));
    try (Vgg19 vgg = Vgg19.fromFile(file, Pooling.MAX, Device.cpu())) {
      float before = conv1_1Sum(vgg);
      for (int i = 0; i < 3; i++) {
        // Pressure and a collection: a freed decoder buffer would be reused or unmapped by now.
        byte[][] garbage = new byte[20][];
        for (int j = 0; j < garbage.length; j++) {
          garbage[j] = new byte[2_000_000];
        }
        System.gc();
        Thread.sleep(100);
        assertThat(conv1_1Sum(vgg)).as("after collection %d", i + 1).isEqualTo(before);
      }
    }
  }

  private static float conv1_1Sum(Vgg19 vgg) {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      return vgg.forward(m.ones(new Shape(1, 3, 8, 8)), List.of(VggLayers.resolve("conv1_1")))
          .get("conv1_1")
          .sum()
          .getFloat();
    }
  }
}
