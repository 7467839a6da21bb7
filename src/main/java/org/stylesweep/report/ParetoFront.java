package org.stylesweep.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runs on the Pareto front of content distance against style distance (both lower is better),
 * per content × style pair: a run is on the front when no run of its pair is at least as close in
 * both and closer in one. Runs without both distances are on no front.
 */
public final class ParetoFront {
  private ParetoFront() {}

  /**
   * One run's place.
   *
   * @param runId the run
   * @param pair the group it competes in (content × style)
   * @param content its content distance, or null
   * @param style its style distance, or null
   */
  public record Point(String runId, String pair, Double content, Double style) {}

  /** The run ids on the front of their pair, sorted. */
  public static Set<String> of(List<Point> points) {
    Map<String, List<Point>> byPair = new LinkedHashMap<>();
    for (Point p : points) {
      if (p.content() != null && p.style() != null) {
        byPair.computeIfAbsent(p.pair(), k -> new ArrayList<>()).add(p);
      }
    }
    Set<String> front = new TreeSet<>();
    for (List<Point> pair : byPair.values()) {
      for (Point p : pair) {
        boolean dominated =
            pair.stream()
                .anyMatch(
                    q ->
                        q.content() <= p.content()
                            && q.style() <= p.style()
                            && (q.content() < p.content() || q.style() < p.style()));
        if (!dominated) {
          front.add(p.runId());
        }
      }
    }
    return front;
  }
}
