package org.stylesweep.transfer;

import java.awt.image.BufferedImage;
import java.util.List;
import org.stylesweep.optim.StopReason;

/**
 * Outcome of one run. A failed run (non-finite loss, bad input) has {@code error != null}; its
 * image may be null and its histories hold what was computed before the failure.
 *
 * @param image the result in [0,1] as an RGB image
 * @param lossHistory total loss per evaluation
 * @param contentLossHistory weighted content loss per evaluation
 * @param styleLossHistory weighted style loss per evaluation
 * @param evaluations loss evaluations done
 * @param resultEvaluation the 1-based evaluation whose point {@code image} is: the one with the
 *     lowest finite loss (L-BFGS without a line search may end on an overshoot); 0 when none
 * @param stopReason why the optimizer stopped
 * @param setupMillis time to build targets and the initial image
 * @param totalMillis wall time of the whole run
 * @param msPerEvaluation optimization time divided by evaluations
 * @param device the DJL device, e.g. {@code cpu()} or {@code gpu(0)}
 * @param error null for a successful run, else what went wrong (names the evaluation index for NaN)
 * @param stages a multi-scale run's stages in order (the last one's image is {@code image}); empty
 *     for a single-scale run
 */
public record TransferResult(
    BufferedImage image,
    float[] lossHistory,
    float[] contentLossHistory,
    float[] styleLossHistory,
    int evaluations,
    int resultEvaluation,
    StopReason stopReason,
    long setupMillis,
    long totalMillis,
    double msPerEvaluation,
    String device,
    String error,
    List<StageOutcome> stages) {

  /** A single-scale result (no stages). */
  public TransferResult(
      BufferedImage image,
      float[] lossHistory,
      float[] contentLossHistory,
      float[] styleLossHistory,
      int evaluations,
      int resultEvaluation,
      StopReason stopReason,
      long setupMillis,
      long totalMillis,
      double msPerEvaluation,
      String device,
      String error) {
    this(
        image,
        lossHistory,
        contentLossHistory,
        styleLossHistory,
        evaluations,
        resultEvaluation,
        stopReason,
        setupMillis,
        totalMillis,
        msPerEvaluation,
        device,
        error,
        List.of());
  }

  /** The stages, never null. */
  public TransferResult {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }

  /** True when the run finished without error. */
  public boolean ok() {
    return error == null;
  }
}
