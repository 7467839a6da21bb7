package org.stylesweep.cli;

import java.util.List;
import org.apache.spark.sql.Row;
import org.stylesweep.spark.HalvingColumns;
import org.stylesweep.spark.HalvingCompute;

/** How {@code show} spells the successive-halving columns of a run. */
final class HalvingText {
  private HalvingText() {}

  /** True when some row belongs to a halving sweep. */
  static boolean any(List<Row> rows) {
    return rows.stream().anyMatch(r -> r.getAs(HalvingColumns.ROUND) != null);
  }

  /** The last round of the rows: the promoted runs' (null when none). */
  static Integer finalRound(List<Row> rows) {
    Integer last = null;
    for (Row r : rows) {
      Integer round = r.getAs(HalvingColumns.ROUND);
      if (round != null && (last == null || round > last)) {
        last = round;
      }
    }
    return last;
  }

  /**
   * {@code r1 #2 0.134 promoted}, {@code r1 #9 0.710}, {@code r1 not ranked} or {@code final (r1 #2
   * 0.134)}; empty for a run outside a halving sweep.
   */
  static String cell(Row r, Integer finalRound) {
    Integer round = r.getAs(HalvingColumns.ROUND);
    if (round == null) {
      return "";
    }
    Integer rank = r.getAs(HalvingColumns.RANK);
    Double objective = r.getAs(HalvingColumns.OBJECTIVE);
    Boolean promoted = r.getAs(HalvingColumns.PROMOTED);
    String place = rank == null ? "not ranked" : String.format("#%d %.3f", rank, objective);
    if (promoted == null) {
      return "final (r" + (round - 1) + " " + place + ")";
    }
    return "r" + round + " " + place + (promoted ? " promoted" : "");
  }

  /** The compute line under the table, or null. */
  static String summary(List<Row> rows) {
    HalvingCompute compute = HalvingCompute.of(rows);
    return compute == null ? null : "successive halving: " + compute.describe();
  }
}
