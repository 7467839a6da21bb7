package org.stylesweep.cli;

/** Exit codes of the {@code stylesweep} command. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Every run OK (or, for other commands, success). */
  public static final int OK = 0;

  /** Anything else: the Spark job failed, an output folder could not be written, a bug. */
  public static final int ERROR = 1;

  /** Bad input (manifest, arguments, missing output folder); nothing was run. */
  public static final int BAD_INPUT = 2;

  /** Some runs FAILED while the others finished. */
  public static final int RUNS_FAILED = 3;
}
