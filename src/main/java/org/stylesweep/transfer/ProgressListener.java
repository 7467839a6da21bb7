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

  /** How often {@link #onProgress} is called, in evaluations. */
  default int every() {
    return 50;
  }
}
