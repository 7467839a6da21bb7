package org.stylesweep.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.RunParams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stylesweep bench}: ms per loss evaluation of a full run (a) against the floor, a raw
 * forward and backward pass of the truncated VGG (b), and against the PyTorch tutorial's code on
 * the same weights and images (c), interleaved in one process with medians over repetitions; then
 * peak RSS per run and RSS over many evaluations in fresh JVMs. It runs unchanged on a GPU ({@code
 * --device auto} picks GPU 0 when the engine sees one).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark one run (content conv4_2, style conv1_1..conv5_1, L-BFGS) against the raw VGG pass and the"
          + " PyTorch tutorial, and its memory. Figures and their meaning: BENCHMARKS.md."
    })
public final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "128,256",
      paramLabel = "PX",
      description = "Image sizes (longest side) for the speed table (default: ${DEFAULT-VALUE}).")
  List<Integer> sizes;

  @Option(
      names = "--reps",
      defaultValue = "5",
      description = "Repetitions per measurement (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(
      names = "--steps",
      defaultValue = "20",
      description = "Loss evaluations per measurement (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--threads",
      description =
          "Intra-op threads, the same for both engines (default: the CPUs this JVM sees).")
  Integer threads;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "auto (GPU 0 if the engine sees one, else CPU), cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @CommandLine.Mixin BenchInputs inputs;

  @Option(
      names = "--no-torch",
      description =
          "Skip the PyTorch reference (c); it is also skipped when --python cannot import torch.")
  boolean noTorch;

  @Option(names = "--no-speed", description = "Skip the speed table.")
  boolean noSpeed;

  @Option(names = "--no-memory", description = "Skip the memory runs.")
  boolean noMemory;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description =
          "Python with torch and numpy for (c) (default: ${DEFAULT-VALUE}, Debian's python3-torch).")
  String python;

  @Option(
      names = "--torch-script",
      defaultValue = "bench/torch_reference.py",
      description = "The PyTorch reference script (default: ${DEFAULT-VALUE}).")
  Path torchScript;

  @Option(
      names = "--torch-warmup",
      defaultValue = "3",
      description =
          "Untimed evaluations the reference runs first, as the JVM's warm-up round (default: ${DEFAULT-VALUE}).")
  int torchWarmup;

  @Option(
      names = "--warmup-evaluations",
      defaultValue = "100",
      description =
          "Evaluations of one untimed run at the smallest size before the reps, so that the JIT compiler"
              + " has settled: right after a short warm-up it still spent ~25 ms per evaluation of CPU time compiling"
              + " (default: ${DEFAULT-VALUE}; 0 skips it).")
  int warmupEvaluations;

  @Option(
      names = "--memory-sizes",
      split = ",",
      defaultValue = "64,128,256",
      paramLabel = "PX",
      description =
          "Sizes whose peak RSS is measured, one fresh JVM each (default: ${DEFAULT-VALUE}).")
  List<Integer> memorySizes;

  @Option(
      names = "--memory-steps",
      defaultValue = "110",
      description =
          "Evaluations per memory run; above 100 the L-BFGS history is full (default: ${DEFAULT-VALUE}).")
  int memorySteps;

  @Option(
      names = "--leak-size",
      defaultValue = "128",
      description = "Size of the long run whose RSS is sampled (default: ${DEFAULT-VALUE}).")
  int leakSize;

  @Option(
      names = "--leak-evaluations",
      defaultValue = "400",
      description = "Evaluations of the long run; 0 skips it (default: ${DEFAULT-VALUE}).")
  int leakEvaluations;

  @Option(
      names = "--sample-every",
      defaultValue = "25",
      description = "RSS sampling interval in evaluations (default: ${DEFAULT-VALUE}).")
  int sampleEvery;

  @Option(names = "--no-spark", description = "Skip the Spark overhead comparison.")
  boolean noSpark;

  @Option(
      names = "--spark-runs",
      defaultValue = "6",
      description = "Runs in the Spark overhead sweep (default: ${DEFAULT-VALUE}).")
  int sparkRuns;

  @Option(
      names = "--spark-size",
      defaultValue = "64",
      description = "Image size of the Spark overhead runs (default: ${DEFAULT-VALUE}).")
  int sparkSize;

  @Option(
      names = "--spark-steps",
      defaultValue = "20",
      description = "Evaluations per Spark overhead run (default: ${DEFAULT-VALUE}).")
  int sparkSteps;

  @Option(
      names = "--spark-slots",
      defaultValue = "2",
      description =
          "local[N] slots and direct threads for the Spark overhead (default: ${DEFAULT-VALUE}).")
  int sparkSlots;

  @Option(
      names = "--spark-reps",
      defaultValue = "3",
      description =
          "Repetitions of the Spark overhead comparison after a warm-up (default: ${DEFAULT-VALUE}).")
  int sparkReps;

  @Option(
      names = "--stages",
      paramLabel = "SCHEDULE",
      description =
          "Multi-scale mode (repeatable): run one single-scale run of --stages-baseline evaluations at"
              + " --stages-size, then each SCHEDULE (e.g. 256:150,512:60; the last size is"
              + " --stages-size), and print when each first reaches the single-scale final loss,"
              + " with the ratio of times. Runs nothing else.")
  List<String> stagesSchedules;

  @Option(
      names = "--stages-size",
      defaultValue = "512",
      description = "Image size of the multi-scale mode's runs (default: ${DEFAULT-VALUE}).")
  int stagesSize;

  @Option(
      names = "--stages-baseline",
      defaultValue = "300",
      description =
          "Evaluations of the single-scale run the schedules are measured against (default: ${DEFAULT-VALUE}).")
  int stagesBaseline;

  @Option(
      names = "--normalization",
      defaultValue = "imagenet",
      description =
          "Input normalization of the weights for the multi-scale and memory-plan modes: imagenet or"
              + " caffe (default: ${DEFAULT-VALUE}).")
  String normalization;

  @Option(
      names = "--run-set",
      paramLabel = "KEY=VALUE",
      description =
          "A run parameter of the multi-scale and memory-plan modes' runs, as in a manifest's"
              + " defaults (repeatable), e.g. --run-set style_weight=100 --run-set"
              + " line_search=strong_wolfe.")
  List<String> runSets;

  @Option(
      names = "--memory-plan",
      description =
          "Memory-plan mode: measure the peak of one run per --memory-sizes in a fresh JVM"
              + " (--memory-steps evaluations) and print it beside the memory plan's estimate"
              + " and their ratio. Runs nothing else.")
  boolean memoryPlan;

  @Option(
      names = "--throughput",
      description =
          "Also compare sweep throughput: 1-, 2- and 5-run sweeps with 1 libtorch thread per run"
              + " against the cores shared by the runs in flight, and --batch runs one at a time"
              + " against batched (spark.stylesweep.batchRuns); combine with --no-speed --no-memory"
              + " --no-spark for it alone.")
  boolean throughput;

  @Option(
      names = "--throughput-size",
      defaultValue = "128",
      description = "Image size of the throughput runs (default: ${DEFAULT-VALUE}).")
  int throughputSize;

  @Option(
      names = "--throughput-steps",
      defaultValue = "20",
      description = "Evaluations per throughput run (default: ${DEFAULT-VALUE}).")
  int throughputSteps;

  @Option(
      names = "--throughput-runs",
      split = ",",
      defaultValue = "1,2,5",
      paramLabel = "N",
      description = "Sweep sizes of the thread comparison (default: ${DEFAULT-VALUE}).")
  List<Integer> throughputRuns;

  @Option(
      names = "--batch",
      defaultValue = "4",
      description = "Runs of the batched comparison (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(
      names = "--throughput-reps",
      defaultValue = "3",
      description = "Repetitions of the throughput comparisons (default: ${DEFAULT-VALUE}).")
  int throughputReps;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrintStream out;

  /** A command printing to standard output. */
  public BenchCommand() {
    this(System.out);
  }

  BenchCommand(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs {@code bench} on its own: {@code java -cp ... org.stylesweep.bench.BenchCommand
   * [options]}.
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() {
    if (reps < 1
        || steps < 2
        || sparkRuns < 1
        || sparkSteps < 1
        || sparkSlots < 1
        || sparkReps < 1
        || memorySteps < 1
        || sampleEvery < 1
        || leakEvaluations < 0
        || warmupEvaluations < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--steps must be at least 2, --leak-evaluations and --warmup-evaluations at least 0, and --reps, --memory-steps, --sample-every"
              + " and the --spark-* counts at least 1; got --steps "
              + steps
              + ", --leak-evaluations "
              + leakEvaluations
              + ", --warmup-evaluations "
              + warmupEvaluations
              + ", --reps "
              + reps
              + ", --memory-steps "
              + memorySteps
              + ", --sample-every "
              + sampleEvery
              + ", --spark-runs "
              + sparkRuns
              + ", --spark-steps "
              + sparkSteps
              + ", --spark-slots "
              + sparkSlots
              + ", --spark-reps "
              + sparkReps);
    }
    for (List<Integer> list : List.of(sizes, memorySizes, List.of(leakSize, sparkSize))) {
      for (int size : list) {
        if (size < 16) {
          throw new CommandLine.ParameterException(
              spec.commandLine(),
              "sizes must be at least 16 px (VGG-19 pools four times before conv5_1), got " + size);
        }
      }
    }
    if (threads != null && threads < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--threads must be at least 1, got " + threads);
    }
    try {
      // Bad input fails here, before any measurement, naming the option.
      Workload.device(device);
      Workload.load(inputs.content, inputs.style, inputs.weights, ai.djl.Device.cpu())
          .checkWeights();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (stagesSchedules != null || memoryPlan) {
      return modes(threadCount);
    }
    Bench.Settings settings =
        new Bench.Settings(
            noSpeed ? List.of() : sizes,
            reps,
            steps,
            threadCount,
            device,
            warmupEvaluations,
            inputs.content,
            inputs.style,
            inputs.weights,
            !noTorch,
            python,
            torchScript,
            torchWarmup,
            noMemory ? List.of() : memorySizes,
            memorySteps,
            leakSize,
            leakEvaluations,
            sampleEvery,
            noSpark
                ? null
                : new SparkOverhead.Settings(
                    sparkRuns, sparkSize, sparkSteps, sparkSlots, sparkReps));
    if (throughput
        && (throughputSize < 16
            || throughputSteps < 2
            || batch < 2
            || throughputReps < 1
            || throughputRuns.stream().anyMatch(n -> n < 1))) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--throughput-size must be at least 16, --throughput-steps at least 2, --batch at least 2,"
              + " --throughput-reps and each --throughput-runs at least 1; got "
              + throughputSize
              + ", "
              + throughputSteps
              + ", "
              + batch
              + ", "
              + throughputReps
              + ", "
              + throughputRuns);
    }
    new Bench(settings, out).run();
    if (throughput) {
      new Throughput(
              new Throughput.Settings(
                  throughputSize, throughputSteps, throughputRuns, batch, throughputReps),
              out)
          .run(
              Workload.load(inputs.content, inputs.style, inputs.weights, Workload.device(device)));
      out.printf(
          java.util.Locale.ROOT,
          "load average after the throughput runs: %s%n",
          Machine.loadAverage());
    }
    return 0;
  }

  /** The multi-scale and memory-plan modes (issue 17), which run instead of the default bench. */
  private int modes(int threadCount) {
    Normalization norm;
    RunParams base;
    try {
      norm = org.stylesweep.common.Choice.parse(Normalization.class, normalization);
      base = RunSettings.apply(Workload.params(stagesSize, stagesBaseline), runSets);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Workload.setThreads(threadCount);
    Workload workload =
        Workload.load(inputs.content, inputs.style, inputs.weights, Workload.device(device));
    out.printf(java.util.Locale.ROOT, "machine: %s%n", Machine.describe());
    out.printf(
        java.util.Locale.ROOT,
        "threads: %d; load average at the start: %s%n",
        threadCount,
        Machine.loadAverage());
    if (stagesSchedules != null) {
      try {
        new StagesBench(workload, norm, base, out).run(stagesSchedules);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if (memoryPlan) {
      new MemoryPlanBench(
              workload, inputs.content, inputs.style, norm, base, threadCount, device, out)
          .run(memorySizes, memorySteps);
    }
    out.printf(java.util.Locale.ROOT, "load average at the end: %s%n", Machine.loadAverage());
    return 0;
  }
}
