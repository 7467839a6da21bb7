package org.stylesweep.transfer;

/**
 * Receives progress of one run, so that printing and logging stay out of the maths. Called on the
 * optimizing thread; keep it cheap.
 */
public interface ProgressListener {

  /** A listener that ignores everything. */
  ProgressListener NONE = (evaluation, steps, loss, contentLoss, styleLoss) -> {};

  /**
   * Called every {@link #every()} evaluations and after the last one.
   *
   * @param evaluation 1-based index of the evaluation just done
   * @param steps the evaluation budget
   */
  void onProgress(int evaluation, int steps, double loss, double contentLoss, double styleLoss);

  /**
   * Called after every evaluation, on the optimizing thread, before any {@link #onProgress} of that
   * evaluation: a hook for per-evaluation work outside the maths (the Spark task resizes its
   * libtorch thread pool here as other runs finish). Nothing by default.
   *
   * @param evaluation 1-based index of the evaluation just done
   */
  default void onEvaluation(int evaluation) {}

  /** How often {@link #onProgress} is called, in evaluations. */
  default int every() {
    return 50;
  }
}
