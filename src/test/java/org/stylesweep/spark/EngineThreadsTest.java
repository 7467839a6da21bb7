package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The rule that sizes each run's libtorch threads, and the per-thread pool it relies on. */
class EngineThreadsTest {

  @Test
  void runsInFlightShareEveryLocalCore() {
    // one run on 2 cores: both cores, not spark.task.cpus = 1
    assertThat(EngineThreads.share(2, 2, 1)).isEqualTo(2);
    assertThat(EngineThreads.share(8, 8, 1)).isEqualTo(8);
    // as many runs as cores or more: one thread each
    assertThat(EngineThreads.share(2, 2, 2)).isEqualTo(1);
    assertThat(EngineThreads.share(2, 2, 5)).isEqualTo(1);
    // 3 runs on 8 cores: 2 threads each (8 / 3, rounded down: never oversubscribed)
    assertThat(EngineThreads.share(8, 8, 3)).isEqualTo(2);
    // spark.task.cpus 2 on local[8]: 4 slots, so 10 runs get 2 threads each and the last one 8
    assertThat(EngineThreads.share(8, 4, 10)).isEqualTo(2);
    assertThat(EngineThreads.share(8, 4, 1)).isEqualTo(8);
    // nothing left (a retried task after the count): still at least one thread
    assertThat(EngineThreads.share(2, 2, 0)).isEqualTo(2);
    assertThat(EngineThreads.share(1, 1, 7)).isEqualTo(1);
  }

  @Test
  void localCoresComeFromTheMasterUrlAndClustersKeepTaskCpus() {
    assertThat(EngineThreads.localCores("local")).isEqualTo(1);
    assertThat(EngineThreads.localCores("local[4]")).isEqualTo(4);
    assertThat(EngineThreads.localCores("local[3, 2]")).isEqualTo(3);
    assertThat(EngineThreads.localCores("local[*]"))
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(EngineThreads.localCores("local[*,4]"))
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(EngineThreads.localCores("spark://127.0.0.1:7077")).isEqualTo(-1);
    assertThat(EngineThreads.localCores("local-cluster[2,1,1024]")).isEqualTo(-1);
    assertThat(EngineThreads.localCores("yarn")).isEqualTo(-1);
    assertThat(EngineThreads.LocalShare.of("s", "k8s://https://host:443", 1, 5)).isNull();
  }

  @Test
  void theLastRunsOfALocalSweepGrowAsOthersFinish() {
    EngineThreads.LocalShare share =
        EngineThreads.LocalShare.of("tail-" + System.nanoTime(), "local[2]", 1, 3);
    try {
      assertThat(share.slots()).isEqualTo(2);
      assertThat(share.threadsNow()).isEqualTo(1); // 3 runs left, 2 in flight
      share.finished();
      assertThat(share.threadsNow()).isEqualTo(1); // 2 left, both running
      share.finished();
      assertThat(share.threadsNow()).isEqualTo(2); // the last one takes both cores
    } finally {
      share.forget();
    }
    assertThat(share.threadsNow()).isEqualTo(1); // forgotten: counts from the start again
  }

  @Test
  void eachTaskThreadKeepsItsOwnLibtorchThreadCount() throws Exception {
    assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    // Two task threads set different counts at the same time; each must read back its own,
    // which is what lets concurrent runs hold different shares.
    CyclicBarrier bothSet = new CyclicBarrier(2);
    AtomicIntegerArray seen = new AtomicIntegerArray(2);
    Thread[] threads = new Thread[2];
    for (int i = 0; i < 2; i++) {
      int index = i;
      threads[i] =
          new Thread(
              () -> {
                try {
                  EngineThreads.apply(index + 1);
                  bothSet.await();
                  seen.set(index, JniUtils.getNumThreads());
                } catch (Exception e) {
                  seen.set(index, -1);
                }
              });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(seen.get(0)).isEqualTo(1);
    assertThat(seen.get(1)).isEqualTo(2);
  }
}
