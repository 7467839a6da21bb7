package org.stylesweep.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stylesweep.feedforward.Checkpoint;
import org.stylesweep.feedforward.Stylizer;
import org.stylesweep.feedforward.TransformerNet;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TransferResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stylesweep bench-stylize}: the time to stylize one image with a feed-forward network of
 * Johnson et al.'s shape against one pixel optimisation of the same image size (the manifest's
 * defaults: L-BFGS, {@code --steps} evaluations), in one process, with the ratio. The network's
 * weights are a fresh initialisation: a forward pass costs the same whatever the values.
 */
@Command(
    name = "bench-stylize",
    mixinStandardHelpOptions = true,
    description =
        "Time stylizing one image with a feed-forward network (Johnson et al.'s shape) against a"
            + " pixel optimisation of the same size; prints both and the ratio.")
public final class StylizeBench implements Callable<Integer> {

  @Option(
      names = "--size",
      defaultValue = "256",
      description = "Longest side in px (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(
      names = "--steps",
      defaultValue = "300",
      description = "Evaluations of the optimisation (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--reps",
      defaultValue = "5",
      description = "Timed stylizations after one warm-up (default: ${DEFAULT-VALUE}).")
  int reps;

  @Option(names = "--threads", description = "Intra-op threads (default: the CPUs this JVM sees).")
  Integer threads;

  @CommandLine.Mixin BenchInputs inputs;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrintStream out;

  /** A command printing to standard output. */
  public StylizeBench() {
    this(System.out);
  }

  StylizeBench(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() {
    if (size < 16 || steps < 1 || reps < 1 || (threads != null && threads < 1)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--size must be at least 16, --steps, --reps and --threads at least 1; got --size "
              + size
              + ", --steps "
              + steps
              + ", --reps "
              + reps
              + ", --threads "
              + threads);
    }
    Workload workload;
    try {
      workload = Workload.load(inputs.content, inputs.style, inputs.weights, Device.cpu());
      workload.checkWeights();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    int threadCount = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    Workload.setThreads(threadCount);
    TransformerNet.Recipe recipe = TransformerNet.Recipe.JOHNSON;
    List<Double> ms = new ArrayList<>();
    int[] resultSize;
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Checkpoint fresh =
          new Checkpoint(
              TransformerNet.initialWeights(recipe, 0, manager),
              Map.of(),
              Map.of(),
              new float[0],
              new float[0],
              new float[0]);
      try (Stylizer stylizer = new Stylizer(fresh.encode(), "bench", manager)) {
        java.awt.image.BufferedImage warm = stylizer.apply(workload.content(), size);
        resultSize = new int[] {warm.getWidth(), warm.getHeight()};
        for (int i = 0; i < reps; i++) {
          long start = System.nanoTime();
          stylizer.apply(workload.content(), size);
          ms.add((System.nanoTime() - start) / 1e6);
        }
      }
    }
    ms.sort(null);
    double stylizeMs = ms.get(ms.size() / 2);
    out.printf(
        Locale.ROOT,
        "stylize: %s network %s, %dx%d px, %d threads: median %.1f ms per image (min %.1f, max"
            + " %.1f, %d reps after a warm-up)%n",
        "Johnson et al.",
        recipe,
        resultSize[0],
        resultSize[1],
        threadCount,
        stylizeMs,
        ms.get(0),
        ms.get(ms.size() - 1),
        reps);
    double optimiseMs;
    try (Vgg19 model = workload.model()) {
      long start = System.nanoTime();
      TransferResult r =
          StyleTransfer.run(
              model,
              Normalization.IMAGENET,
              Task.TRANSFER,
              workload.content(),
              workload.style(),
              Workload.params(size, steps),
              ProgressListener.NONE);
      optimiseMs = (System.nanoTime() - start) / 1e6;
      out.printf(
          Locale.ROOT,
          "optimise: L-BFGS, %d evaluations at %d px (%s, %s, VGG-19 %s): %.1f s (%.1f ms per"
              + " evaluation)%n",
          r.evaluations(),
          size,
          workload.contentName(),
          workload.styleName(),
          inputs.weights,
          optimiseMs / 1000,
          r.msPerEvaluation());
    }
    out.printf(
        Locale.ROOT,
        "ratio: one stylization is %.0fx faster than one %d-evaluation optimisation%n",
        optimiseMs / stylizeMs,
        steps);
    return 0;
  }
}
