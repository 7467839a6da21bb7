package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A synthetic table whose front is known: exactly those runs are on it. */
class ParetoFrontTest {

  @Test
  void exactlyTheUndominatedRunsOfEachPairAreOnTheFront() {
    List<ParetoFront.Point> points =
        List.of(
            // pair a: front a1 (0.1, 0.9), a2 (0.5, 0.5), a3 (0.9, 0.1); a4 dominated by a2;
            // a5 ties a2 in content and is worse in style; a6 lacks the style distance
            new ParetoFront.Point("a1", "a", 0.1, 0.9),
            new ParetoFront.Point("a2", "a", 0.5, 0.5),
            new ParetoFront.Point("a3", "a", 0.9, 0.1),
            new ParetoFront.Point("a4", "a", 0.6, 0.6),
            new ParetoFront.Point("a5", "a", 0.5, 0.7),
            new ParetoFront.Point("a6", "a", 0.0, null),
            // pair b competes only within itself: b2 would be dominated by a2, not by b1
            new ParetoFront.Point("b1", "b", 0.2, 0.8),
            new ParetoFront.Point("b2", "b", 0.7, 0.7),
            new ParetoFront.Point("b3", "b", 0.3, 0.9),
            // equal points are both on the front
            new ParetoFront.Point("c1", "c", 0.4, 0.4),
            new ParetoFront.Point("c2", "c", 0.4, 0.4));
    assertThat(ParetoFront.of(points)).containsExactly("a1", "a2", "a3", "b1", "b2", "c1", "c2");
  }
}
