package org.stylesweep.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Stages;
import org.stylesweep.spec.Task;

/**
 * A multi-scale run, coarse to fine (neural-style's multires scripts, Gatys et al. 2017 Sec. 5):
 * each stage of {@code stages} is an ordinary run at its size and steps, and stage k starts from
 * stage k−1's result (the optimized pixels clamped to [0, 1], as the scripts' saved PNG) upsampled
 * bicubically (antialiased Keys kernel, {@link ImageTensors#resize}) to its size. The coarse stages
 * settle the large structures cheaply; the fine ones only sharpen them.
 *
 * <p>The combined result has the last stage's image, the stages' loss histories one after the other
 * (so {@code evaluations} is their total and the chart shows each jump in resolution), the summed
 * times, and one {@link StageOutcome} per stage. A stage that fails ends the run with its error,
 * prefixed by the stage.
 */
final class MultiScale {
  private MultiScale() {}

  /**
   * Runs the stages of {@code params}.
   *
   * @param stageRun makes the run of one stage from its parameters and progress listener
   */
  static TransferResult run(
      Task task,
      RunParams params,
      ProgressListener listener,
      BiFunction<RunParams, ProgressListener, TransferRun> stageRun) {
    List<String> problems = StyleTransfer.problems(task, params);
    List<Stages.Stage> stages = Stages.of(params);
    if (!problems.isEmpty() || stages.isEmpty()) {
      // a bad schedule, or none: the plain run reports the problems in its usual way
      return stageRun.apply(params, listener).execute();
    }
    int total = Stages.totalSteps(params);
    List<StageOutcome> outcomes = new ArrayList<>();
    Histories histories = new Histories();
    float[] carried = null;
    int[] carriedSize = null;
    long setupMillis = 0;
    long totalMillis = 0;
    double optimizeMillis = 0;
    TransferResult last = null;
    for (int k = 0; k < stages.size(); k++) {
      Stages.Stage stage = stages.get(k);
      TransferRun run =
          stageRun.apply(stage.apply(params), offset(listener, histories.size(), total));
      int[] size = run.resultSize();
      if (carried != null) {
        run.startingFrom(upsample(carried, carriedSize, size));
      }
      last = run.execute();
      histories.append(last);
      setupMillis += last.setupMillis();
      totalMillis += last.totalMillis();
      optimizeMillis += last.msPerEvaluation() * last.evaluations();
      outcomes.add(
          new StageOutcome(
              stage.spelling(),
              size[0],
              size[1],
              last.evaluations(),
              last.ok() ? finalLoss(last) : null,
              last.totalMillis() / 1000.0,
              last.image()));
      if (!last.ok()) {
        String error =
            "stage " + (k + 1) + " of " + stages.size() + " (" + stage.spelling() + "): ";
        return histories.result(
            null,
            0,
            last.stopReason(),
            setupMillis,
            totalMillis,
            optimizeMillis,
            last.device(),
            error + last.error(),
            outcomes);
      }
      carried = run.resultPixels();
      carriedSize = size;
    }
    int before = histories.size() - last.evaluations();
    return histories.result(
        last.image(),
        before + last.resultEvaluation(),
        last.stopReason(),
        setupMillis,
        totalMillis,
        optimizeMillis,
        last.device(),
        null,
        outcomes);
  }

  /**
   * Planar pixels (1 or 3 planes) from one size to another, bicubic, clamped to [0, 1] (the Keys
   * kernel overshoots at edges).
   */
  static float[] upsample(float[] pixels, int[] from, int[] to) {
    int plane = from[0] * from[1];
    int channels = pixels.length / plane;
    float[] rgb = pixels;
    if (channels == 1) {
      rgb = new float[3 * plane];
      for (int c = 0; c < 3; c++) {
        System.arraycopy(pixels, 0, rgb, c * plane, plane);
      }
    }
    float[] resized =
        ImageTensors.resize(new ImageTensors.Planar(from[0], from[1], rgb), to[0], to[1]).data();
    float[] out = new float[channels * to[0] * to[1]];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(1f, Math.max(0f, resized[i]));
    }
    return out;
  }

  private static Double finalLoss(TransferResult r) {
    int at = r.resultEvaluation() > 0 ? r.resultEvaluation() : r.evaluations();
    return at >= 1 && at <= r.lossHistory().length ? (double) r.lossHistory()[at - 1] : null;
  }

  /** Progress of a stage, counted over the whole schedule. */
  private static ProgressListener offset(ProgressListener listener, int before, int total) {
    return new ProgressListener() {
      @Override
      public void onProgress(
          int evaluation, int steps, double loss, double contentLoss, double styleLoss) {
        listener.onProgress(before + evaluation, total, loss, contentLoss, styleLoss);
      }

      @Override
      public int every() {
        return listener.every();
      }
    };
  }

  /** The stages' loss histories, one after the other. */
  private static final class Histories {
    private final List<float[]> total = new ArrayList<>();
    private final List<float[]> content = new ArrayList<>();
    private final List<float[]> style = new ArrayList<>();
    private int size;

    int size() {
      return size;
    }

    void append(TransferResult r) {
      total.add(r.lossHistory());
      content.add(r.contentLossHistory());
      style.add(r.styleLossHistory());
      size += r.lossHistory().length;
    }

    TransferResult result(
        java.awt.image.BufferedImage image,
        int resultEvaluation,
        StopReason stopReason,
        long setupMillis,
        long totalMillis,
        double optimizeMillis,
        String device,
        String error,
        List<StageOutcome> outcomes) {
      return new TransferResult(
          image,
          concat(total),
          concat(content),
          concat(style),
          size,
          resultEvaluation,
          stopReason,
          setupMillis,
          totalMillis,
          size == 0 ? 0 : optimizeMillis / size,
          device,
          error,
          outcomes);
    }

    private static float[] concat(List<float[]> parts) {
      int n = parts.stream().mapToInt(a -> a.length).sum();
      float[] out = new float[n];
      int at = 0;
      for (float[] a : parts) {
        System.arraycopy(a, 0, out, at, a.length);
        at += a.length;
      }
      return out;
    }
  }
}
