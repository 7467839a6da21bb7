package org.stylesweep.spark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The compute a halving sweep used, measured from its metrics rows, against what the full sweep
 * (every setting at the sweep's own size and steps) would have used: evaluations × result pixels.
 *
 * <p>A run's compute is its {@code evaluations} × {@code width} × {@code height} (a FAILED run
 * without a size counts {@code image_size}²). The full sweep's is, per setting (one round-1 run
 * each), the promoted runs' {@code steps} × the pixels of its pair's promoted run, or of its
 * round-1 run scaled to the full {@code image_size} where its pair promoted none.
 *
 * @param halving evaluations × pixels of every run of every round
 * @param full the same for the full sweep
 * @param runs runs of every round
 * @param settings settings of the sweep (runs of the full sweep)
 */
public record HalvingCompute(double halving, double full, long runs, long settings) {

  /** Halving's compute over the full sweep's. */
  public double ratio() {
    return full == 0 ? 0 : halving / full;
  }

  /** One line for a person. */
  public String describe() {
    return String.format(
        "%d runs in all (%d settings); %.3g pixel-evaluations = %.0f%% of the full sweep's %.3g",
        runs, settings, halving, 100 * ratio(), full);
  }

  /**
   * From the rows of one halving sweep (every round's); null when there are no promoted runs yet
   * (the full size and steps are read from them) or no halving rows.
   */
  public static HalvingCompute of(List<Row> rows) {
    Integer last = null;
    for (Row r : rows) {
      Integer round = r.getAs(HalvingColumns.ROUND);
      if (round != null && (last == null || round > last)) {
        last = round;
      }
    }
    if (last == null || last < 2) {
      return null;
    }
    Integer fullSize = null;
    Integer fullSteps = null;
    Map<String, Double> fullPixels = new HashMap<>();
    double used = 0;
    long runs = 0;
    for (Row r : rows) {
      Integer round = r.getAs(HalvingColumns.ROUND);
      if (round == null) {
        continue;
      }
      runs++;
      used += (int) r.getAs("evaluations") * pixels(r);
      if (round.equals(last)) {
        fullSize = r.getAs("image_size");
        fullSteps = r.getAs("steps");
        if (r.getAs("width") != null) {
          fullPixels.put(pair(r), pixels(r));
        }
      }
    }
    double full = 0;
    long settings = 0;
    for (Row r : rows) {
      Integer round = r.getAs(HalvingColumns.ROUND);
      if (round == null || round != 1) {
        continue;
      }
      settings++;
      double scale = (double) fullSize / (int) r.getAs("image_size");
      full += fullSteps * fullPixels.getOrDefault(pair(r), pixels(r) * scale * scale);
    }
    return new HalvingCompute(used, full, runs, settings);
  }

  private static String pair(Row r) {
    return r.getAs("content") + " x " + r.getAs("style");
  }

  private static double pixels(Row r) {
    Integer w = r.getAs("width");
    Integer h = r.getAs("height");
    if (w == null || h == null) {
      int side = r.getAs("image_size");
      return (double) side * side;
    }
    return (double) w * h;
  }
}
