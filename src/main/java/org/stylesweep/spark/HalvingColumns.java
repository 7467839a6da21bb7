package org.stylesweep.spark;

import java.util.List;

/**
 * The metrics columns of successive halving (null in a sweep without a {@code halving} block). The
 * driver writes them into the runs' records once a round is ranked (see {@link HalvingJob}).
 */
public final class HalvingColumns {
  private HalvingColumns() {}

  /** 1 … R for the screening rounds, R + 1 for the promoted runs at the sweep's own size. */
  public static final String ROUND = "halving_round";

  /** The run id of the same setting's run in the round before (null in round 1). */
  public static final String SCREENING_RUN_ID = "halving_screening_run_id";

  /**
   * The run's rank in its group in its round (1 = best; null when it was not ranked, a FAILED run);
   * for a promoted run at full size, the rank that promoted it (its screening run's).
   */
  public static final String RANK = "halving_rank";

  /** The objective beside {@link #RANK} (lower is better, 0 to 1 within its group). */
  public static final String OBJECTIVE = "halving_objective";

  /** Screening runs: true when it went on to the next round; null for the promoted runs. */
  public static final String PROMOTED = "halving_promoted";

  /** Every halving column, in table order. */
  public static final List<String> ALL =
      List.of(ROUND, SCREENING_RUN_ID, RANK, OBJECTIVE, PROMOTED);
}
