package org.stylesweep.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Scalars}' factors must outlive the Java objects that made them: autograd saves the factor
 * of a product for the backward pass. DJL's {@code mul(Number)} on the CPU wraps a Java direct
 * buffer without copying and lets the buffer go when the scalar's handle closes, so after a garbage
 * collection the backward pass read freed memory: runs jumped from a smooth loss to infinity at a
 * random evaluation (1 in ~24 runs, and once at evaluation 185 of a 128 px run).
 */
class ScalarsTest {

  /**
   * Frees unreachable direct buffers, then fills freshly allocated small ones with a poison value.
   */
  private static List<ByteBuffer> collectAndReuseFreedBuffers() {
    List<ByteBuffer> poison = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (int i = 0; i < 2000; i++) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
        buffer.putFloat(0, 1e30f);
        poison.add(buffer);
      }
    }
    return poison;
  }

  @Test
  void factorInTheAutogradGraphSurvivesAGarbageCollectionBeforeBackward() {
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int trial = 0; trial < 20; trial++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray x = scope.create(new float[] {1f, 2f}, new Shape(2));
          x.setRequiresGradient(true);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = Scalars.times(x.sum(), 3.0);
            List<ByteBuffer> poison = collectAndReuseFreedBuffers();
            collector.backward(loss);
            assertThat(poison).isNotEmpty();
          }
          assertThat(x.getGradient().toFloatArray()).as("trial %d", trial).containsExactly(3f, 3f);
        }
      }
    }
  }

  @Test
  void keepsTheArraysFloatType() {
    try (NDManager manager = NDManager.newBaseManager()) {
      assertThat(Scalars.times(manager.create(2f), 1e6).getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(Scalars.times(manager.create(2.0), 1e6).getDouble()).isEqualTo(2e6);
    }
  }
}
