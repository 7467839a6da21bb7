package org.stylesweep.manifest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stylesweep.spec.Halving;

/** The {@code halving} block as the effective manifest spells it, every field explicit. */
final class HalvingYaml {
  private HalvingYaml() {}

  static void write(Halving halving, ObjectNode node) {
    ArrayNode rounds = node.putArray("rounds");
    for (Halving.Round round : halving.rounds()) {
      ObjectNode r = rounds.addObject();
      r.put("image_size", round.imageSize());
      r.put("steps", round.steps());
      if (round.promoteCount() > 0) {
        r.put("promote", round.promoteCount());
      } else {
        r.put("promote", round.promoteFraction());
      }
    }
    ObjectNode objective = node.putObject("objective");
    halving.objective().forEach(objective::put);
    node.put("rank_within", halving.within().key());
  }
}
