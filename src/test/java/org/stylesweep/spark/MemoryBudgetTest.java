package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.Task;
import org.stylesweep.spec.WeightsSource;

class MemoryBudgetTest {
  private static final long GIB = 1L << 30;

  @Test
  void localModeSharesTheAvailableMemoryBetweenTheRunsInFlight() {
    SparkConf conf = new SparkConf(false).set("spark.master", "local[4]");
    MemoryBudget.Budget one = MemoryBudget.of(conf, 1, 16 * GIB);
    MemoryBudget.Budget many = MemoryBudget.of(conf, 10, 16 * GIB);
    assertThat(one.sharedBy()).isEqualTo(1);
    assertThat(many.sharedBy()).isEqualTo(4);
    assertThat(many.bytes()).isEqualTo(one.bytes() / 4);
    assertThat(many.where()).contains("local mode", "16384 MiB available", "4 runs at once");
    conf.set("spark.task.cpus", "2");
    assertThat(MemoryBudget.of(conf, 10, 16 * GIB).sharedBy()).isEqualTo(2);
    assertThat(MemoryBudget.of(conf, 10, -1)).isNull();
  }

  @Test
  void cpuExecutorsOnYarnOrKubernetesGetTheirMemoryOverhead() {
    SparkConf conf =
        new SparkConf(false)
            .set("spark.master", "yarn")
            .set("spark.executor.memory", "8g")
            .set("spark.executor.cores", "4");
    MemoryBudget.Budget defaults = MemoryBudget.of(conf, 100, -1);
    // Spark's default overhead: max(384 MiB, 0.1 x 8 GiB) shared by 4 runs
    assertThat(defaults.bytes()).isEqualTo((long) (0.1 * 8 * GIB) / 4);
    assertThat(defaults.where()).contains("raise spark.executor.memoryOverhead");
    conf.set("spark.executor.memoryOverhead", "12g").set("spark.master", "k8s://https://k:443");
    assertThat(MemoryBudget.of(conf, 100, -1).bytes()).isEqualTo(3 * GIB);
  }

  @Test
  void standaloneAndGpuExecutorsAreLeftToTheExecutor() {
    assertThat(MemoryBudget.of(new SparkConf(false).set("spark.master", "spark://h:7077"), 4, -1))
        .isNull();
    SparkConf gpu =
        new SparkConf(false)
            .set("spark.master", "yarn")
            .set("spark.executor.resource.gpu.amount", "1");
    assertThat(MemoryBudget.of(gpu, 4, -1)).isNull();
  }

  @Test
  void aRunOverTheBudgetIsNamedWithItsEstimateAndTheSizeThatFits() {
    RunSpec small = spec(128);
    RunSpec huge = spec(2048);
    MemoryBudget.Budget budget = new MemoryBudget.Budget(2 * GIB, 1, "a test budget");
    assertThat(MemoryBudget.problem(small, budget)).isNull();
    assertThat(MemoryBudget.problem(huge, budget))
        .startsWith("run " + huge.runId() + " (image_size 2048) needs about")
        .contains("(a test budget)")
        .containsPattern("the largest image_size that fits is \\d+ px");
  }

  @Test
  void onAGpuTheRunFailsWithTheSameSentenceNamingTheFreeMemory() {
    RunSpec huge = spec(2048);
    assertThat(RunMemory.refusal(huge, 64 * GIB, 1024, "gpu(0)")).isNull();
    assertThat(RunMemory.refusal(huge, GIB, 2 * GIB, "gpu(0)"))
        .startsWith("run " + huge.runId() + " (image_size 2048) needs about")
        .contains("GPU gpu(0): 1024 MiB free now")
        .containsPattern("the largest image_size that fits is \\d+ px");
  }

  private static RunSpec spec(int size) {
    RunParams p = RunParams.defaults().with(Params.IMAGE_SIZE, size);
    ModelSpec model =
        new ModelSpec(
            new WeightsSource.Random(0),
            "random:0",
            Normalization.IMAGENET,
            Pooling.MAX,
            DeviceChoice.AUTO);
    return new RunSpec("id" + size, "sweep", Task.TRANSFER, "c.png", "s.png", model, p);
  }
}
