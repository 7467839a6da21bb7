package org.stylesweep.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.spec.Halving;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Task;

/**
 * Reads and checks the manifest's {@code halving} block ({@link Halving}); every problem goes to
 * the parser's list with its field path, so a user fixes the block in one pass.
 */
final class HalvingParser {
  private HalvingParser() {}

  static final List<String> KEYS = List.of("rounds", "objective", "rank_within");
  static final List<String> ROUND_KEYS = List.of("image_size", "steps", "promote");

  /** Where problems go: the parser's own {@code problem(path, value, message)}. */
  interface Problems {
    void add(String path, JsonNode value, String message);
  }

  /**
   * The block, or null when the manifest has none or it has problems (reported to {@code
   * problems}).
   *
   * @param defaults the manifest's run parameters (the full size and steps come from there)
   * @param sweep the sweep axes
   */
  static Halving parse(
      JsonNode node,
      Task task,
      Map<String, Object> defaults,
      Map<String, List<Object>> sweep,
      Problems problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(
          "halving",
          node,
          "expected a mapping such as {rounds: [{image_size: 64, steps: 30, promote: 4}]}");
      return null;
    }
    // Counts this block's problems (the parser's list is not ours to read).
    int[] added = {0};
    Problems counted =
        (path, value, message) -> {
          added[0]++;
          problems.add(path, value, message);
        };
    unknownKeys(node, "halving.", KEYS, counted);
    for (String axis : List.of(Params.IMAGE_SIZE.key(), Params.STEPS.key())) {
      if (sweep.containsKey(axis)) {
        counted.add(
            "sweep." + axis,
            null,
            "a halving sweep screens every setting at the rounds' "
                + axis
                + ", so settings that differ only in "
                + axis
                + " would screen as one; remove the axis, or the halving block");
      }
    }
    int fullSize = (Integer) defaults.get(Params.IMAGE_SIZE.key());
    int fullSteps = (Integer) defaults.get(Params.STEPS.key());
    List<Halving.Round> rounds = rounds(node.get("rounds"), fullSize, fullSteps, counted);
    Map<String, Double> objective = objective(node.get("objective"), task, counted);
    Halving.Scope within = Halving.Scope.PAIR;
    JsonNode scope = node.get("rank_within");
    if (scope != null && !scope.isNull()) {
      try {
        if (!scope.isTextual()) {
          throw new IllegalArgumentException("expected pair or sweep");
        }
        within = Halving.Scope.parse(scope.asText());
      } catch (IllegalArgumentException e) {
        counted.add(
            "halving.rank_within",
            scope,
            e.getMessage()
                + " (pair: each content x style pair promotes its own best; sweep: the best of all"
                + " runs)");
      }
    }
    if (added[0] > 0 || rounds == null || objective == null) {
      return null;
    }
    Halving halving = new Halving(rounds, objective, within);
    long settings = 1;
    for (List<Object> values : sweep.values()) {
      settings *= values.size();
    }
    if (within == Halving.Scope.PAIR && settings < 2) {
      counted.add(
          "halving",
          null,
          "with rank_within: pair each content x style pair has one setting only (the sweep block has"
              + " no axis), so there is nothing to screen out; add sweep axes, set rank_within:"
              + " sweep, or remove the halving block");
      return null;
    }
    Halving.Round first = rounds.get(0);
    if (within == Halving.Scope.PAIR
        && first.keep((int) Math.min(settings, 1_000_000)) >= settings) {
      counted.add(
          "halving.rounds[0].promote",
          null,
          "promotes every one of the "
              + settings
              + " settings of each pair, so nothing is screened out; promote fewer (such as "
              + Math.max(1, settings / 4)
              + ")");
      return null;
    }
    return halving;
  }

  private static List<Halving.Round> rounds(
      JsonNode node, int fullSize, int fullSteps, Problems problems) {
    if (node == null || node.isNull()) {
      problems.add(
          "halving.rounds",
          null,
          "required: a list of screening rounds, e.g. [{image_size: 64, steps: 30, promote: 4}]");
      return null;
    }
    if (!node.isArray() || node.isEmpty()) {
      problems.add(
          "halving.rounds",
          node,
          "expected a non-empty list of rounds, e.g. [{image_size: 64, steps: 30, promote: 4}]");
      return null;
    }
    List<Halving.Round> rounds = new ArrayList<>();
    boolean ok = true;
    long previousCost = -1;
    for (int i = 0; i < node.size(); i++) {
      String path = "halving.rounds[" + i + "]";
      JsonNode round = node.get(i);
      if (!round.isObject()) {
        problems.add(path, round, "expected {image_size: <px>, steps: <n>, promote: <k or 0..1>}");
        ok = false;
        continue;
      }
      unknownKeys(round, path + ".", ROUND_KEYS, problems);
      Integer size = intValue(round, path, "image_size", problems);
      Integer steps = intValue(round, path, "steps", problems);
      if (size != null && size > fullSize) {
        problems.add(
            path + ".image_size",
            round.get("image_size"),
            "is larger than the sweep's own image_size "
                + fullSize
                + "; a screening round runs smaller (or equal)");
        size = null;
      }
      if (steps != null && steps > fullSteps) {
        problems.add(
            path + ".steps",
            round.get("steps"),
            "is more than the sweep's own steps "
                + fullSteps
                + "; a screening round runs shorter (or equal)");
        steps = null;
      }
      if (size != null && steps != null) {
        long cost = (long) size * size * steps;
        if (size == fullSize && steps == fullSteps) {
          problems.add(
              path,
              round,
              "screens at the sweep's own image_size and steps, which saves nothing; make it smaller"
                  + " or shorter");
          size = null;
        } else if (cost < previousCost) {
          problems.add(
              path,
              round,
              "costs less than the round before it (image_size² × steps); list rounds from the"
                  + " cheapest to the dearest");
          size = null;
        }
        previousCost = cost;
      }
      JsonNode promote = round.get("promote");
      int count = 0;
      double fraction = 0;
      if (promote == null || promote.isNull()) {
        problems.add(
            path + ".promote",
            null,
            "required: how many runs go on (an integer such as 4) or what fraction (such as 0.25)");
        ok = false;
      } else if (promote.isIntegralNumber() && promote.asLong() >= 1) {
        count = (int) Math.min(Integer.MAX_VALUE, promote.asLong());
      } else if (promote.isNumber()
          && !promote.isIntegralNumber()
          && promote.asDouble() > 0
          && promote.asDouble() < 1) {
        fraction = promote.asDouble();
      } else {
        problems.add(
            path + ".promote",
            promote,
            "expected a whole number of runs (at least 1, such as 4) or a fraction between 0 and 1"
                + " (such as 0.25)");
        ok = false;
      }
      if (size == null || steps == null) {
        ok = false;
      } else if (ok) {
        rounds.add(new Halving.Round(size, steps, count, fraction));
      }
    }
    return ok ? rounds : null;
  }

  private static Integer intValue(JsonNode round, String path, String key, Problems problems) {
    JsonNode value = round.get(key);
    if (value == null || value.isNull()) {
      problems.add(path + "." + key, null, "required");
      return null;
    }
    try {
      Object parsed =
          key.equals("image_size") ? Params.IMAGE_SIZE.parse(value) : Params.STEPS.parse(value);
      return (Integer) parsed;
    } catch (IllegalArgumentException e) {
      problems.add(path + "." + key, value, e.getMessage());
      return null;
    }
  }

  private static Map<String, Double> objective(JsonNode node, Task task, Problems problems) {
    if (node == null || node.isNull()) {
      return Halving.defaultObjective(task);
    }
    List<String> valid = Halving.columnsOf(task);
    if (!node.isObject() || node.isEmpty()) {
      problems.add(
          "halving.objective",
          node,
          "expected a mapping of quality columns to weights, e.g. {quality_content_feature: 1,"
              + " quality_style_gram: 1}; for this task: "
              + String.join(", ", valid));
      return null;
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    boolean ok = true;
    double total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = "halving.objective." + e.getKey();
      if (!valid.contains(e.getKey())) {
        String why =
            Halving.COLUMNS.contains(e.getKey())
                ? task.key() + " runs have no " + e.getKey()
                : "unknown quality column '" + e.getKey() + "'";
        problems.add(path, null, why + "; expected one of " + String.join(", ", valid));
        ok = false;
        continue;
      }
      JsonNode w = e.getValue();
      if (!w.isNumber() || !Double.isFinite(w.asDouble()) || w.asDouble() < 0) {
        problems.add(path, w, "expected a weight of 0 or more, such as 1");
        ok = false;
        continue;
      }
      weights.put(e.getKey(), w.asDouble());
      total += w.asDouble();
    }
    if (ok && total <= 0) {
      problems.add(
          "halving.objective",
          node,
          "every weight is 0; give at least one column a weight above 0");
      ok = false;
    }
    return ok ? weights : null;
  }

  private static void unknownKeys(
      JsonNode node, String prefix, List<String> valid, Problems problems) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!valid.contains(key)) {
        String hint =
            Suggestions.closest(key, valid)
                .map(s -> "did you mean '" + s + "'?")
                .orElse("expected one of " + String.join(", ", valid));
        problems.add(prefix + key, null, "unknown key '" + key + "'; " + hint);
      }
    }
  }
}
