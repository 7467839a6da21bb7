package org.stylesweep.report;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.stylesweep.manifest.GridSpec;
import org.stylesweep.spec.Task;

/**
 * Derives grids from the sweep's axes. Per task, an axis "varies" when its runs hold more than one
 * value of it. Each grid shows one or two axes; its runs share the value of every other varying
 * axis, and there is one grid per such group:
 *
 * <ul>
 *   <li>grids the manifest names ({@code grids: [{rows: content, cols: style}]});
 *   <li>for transfer, styles across the top and contents down the left;
 *   <li>for each varying run parameter, a strip over its values with the target image(s) first
 *       (layer ablations, and the seed and init comparisons).
 * </ul>
 */
final class GridPlanner {
  private GridPlanner() {}

  /** Task order in the report: the building blocks first, then their combination. */
  static final List<String> TASK_ORDER =
      List.of(Task.RECONSTRUCT.key(), Task.TEXTURE.key(), Task.TRANSFER.key());

  /**
   * Plans every grid for the runs.
   *
   * @param runs the runs, any order
   * @param explicit grids named by the manifest
   */
  static List<GridPlan> plan(List<RunRow> runs, List<GridSpec> explicit) {
    Map<String, List<RunRow>> byTask = new TreeMap<>(GridPlanner::compareTasks);
    for (RunRow run : runs) {
      byTask.computeIfAbsent(run.task(), t -> new ArrayList<>()).add(run);
    }
    List<GridPlan> plans = new ArrayList<>();
    for (Map.Entry<String, List<RunRow>> entry : byTask.entrySet()) {
      plans.addAll(planTask(entry.getKey(), entry.getValue(), explicit));
    }
    return plans;
  }

  static int compareTasks(String a, String b) {
    int ia = TASK_ORDER.indexOf(a);
    int ib = TASK_ORDER.indexOf(b);
    ia = ia < 0 ? TASK_ORDER.size() : ia;
    ib = ib < 0 ? TASK_ORDER.size() : ib;
    return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
  }

  /** The inputs a task uses: content for reconstruct, style for texture, both for transfer. */
  static List<String> inputsOf(String task) {
    if (task.equals(Task.RECONSTRUCT.key())) {
      return List.of(Axes.CONTENT);
    }
    return task.equals(Task.TEXTURE.key())
        ? List.of(Axes.STYLE)
        : List.of(Axes.CONTENT, Axes.STYLE);
  }

  private record Layout(String rows, String cols, boolean targetsFirst) {}

  private static List<GridPlan> planTask(String task, List<RunRow> runs, List<GridSpec> explicit) {
    List<String> varying = new ArrayList<>();
    Map<String, List<Object>> values = new LinkedHashMap<>();
    for (String axis : Axes.ALL) {
      List<Object> distinct = distinctValues(axis, runs);
      values.put(axis, distinct);
      if (distinct.size() > 1) {
        varying.add(axis);
      }
    }
    List<String> varyingParameters = varying.stream().filter(a -> !Axes.isInput(a)).toList();
    List<String> inputs = inputsOf(task);

    Set<Layout> layouts = new LinkedHashSet<>();
    for (GridSpec grid : explicit) {
      if (applies(grid.rows(), inputs) && applies(grid.cols(), inputs)) {
        layouts.add(new Layout(grid.rows(), grid.cols(), grid.rows() == null));
      }
    }
    boolean inputsVary = inputs.stream().anyMatch(varying::contains);
    if (task.equals(Task.TRANSFER.key())) {
      if (inputsVary || varyingParameters.isEmpty()) {
        layouts.add(new Layout(Axes.CONTENT, Axes.STYLE, false));
      }
    } else if (varyingParameters.isEmpty()) {
      // Nothing swept but the inputs: one row per input, its target beside its result.
      layouts.add(new Layout(inputs.get(0), null, false));
    }
    for (String parameter : varyingParameters) {
      layouts.add(new Layout(null, parameter, true));
    }

    List<GridPlan> plans = new ArrayList<>();
    for (Layout layout : layouts) {
      plans.addAll(group(task, layout, runs, varying, values));
    }
    return plans;
  }

  private static boolean applies(String axis, List<String> inputs) {
    return axis == null || !Axes.isInput(axis) || inputs.contains(axis);
  }

  private static List<GridPlan> group(
      String task,
      Layout layout,
      List<RunRow> runs,
      List<String> varying,
      Map<String, List<Object>> values) {
    List<String> groupAxes =
        varying.stream().filter(a -> !a.equals(layout.rows()) && !a.equals(layout.cols())).toList();
    // Groups keyed by the canonical values of the group axes, ordered by those values.
    Map<List<String>, List<RunRow>> groups = new LinkedHashMap<>();
    List<RunRow> ordered = new ArrayList<>(runs);
    ordered.sort(runOrder(groupAxes, layout));
    for (RunRow run : ordered) {
      List<String> key = groupAxes.stream().map(a -> Axes.canonical(a, run.axis(a))).toList();
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(run);
    }
    List<Object> rowValues = layout.rows() == null ? nullList() : values.get(layout.rows());
    List<Object> colValues = layout.cols() == null ? nullList() : values.get(layout.cols());

    List<GridPlan> plans = new ArrayList<>();
    for (List<RunRow> members : groups.values()) {
      RunRow first = members.get(0);
      List<Map.Entry<String, Object>> fixed = new ArrayList<>();
      for (String axis : groupAxes) {
        fixed.add(new AbstractMap.SimpleImmutableEntry<>(axis, first.axis(axis)));
      }
      Map<String, RunRow> cells = new LinkedHashMap<>();
      for (RunRow run : members) {
        String key =
            GridPlan.cellKey(
                layout.rows(), layout.rows() == null ? null : run.axis(layout.rows()),
                layout.cols(), layout.cols() == null ? null : run.axis(layout.cols()));
        // Two runs in one cell only happen when inputs changed bytes between sweeps (new run_id,
        // same parameters): show a finished one, the earliest run_id first for determinism.
        cells.merge(key, run, (kept, other) -> !kept.ok() && other.ok() ? other : kept);
      }
      plans.add(
          new GridPlan(
              task,
              layout.rows(),
              layout.cols(),
              layout.targetsFirst(),
              List.copyOf(fixed),
              rowValues,
              colValues,
              cells,
              List.copyOf(members)));
    }
    return plans;
  }

  private static List<Object> nullList() {
    List<Object> one = new ArrayList<>();
    one.add(null);
    return one;
  }

  /** Sorts by the group axes, then the grid's own axes, then run_id, so every order is stable. */
  private static Comparator<RunRow> runOrder(List<String> groupAxes, Layout layout) {
    List<String> keys = new ArrayList<>(groupAxes);
    if (layout.rows() != null) {
      keys.add(layout.rows());
    }
    if (layout.cols() != null) {
      keys.add(layout.cols());
    }
    Comparator<RunRow> order = (a, b) -> 0;
    for (String axis : keys) {
      Comparator<Object> values = Axes.valueOrder(axis);
      order = order.thenComparing((a, b) -> values.compare(a.axis(axis), b.axis(axis)));
    }
    return order.thenComparing(RunRow::runId);
  }

  /** The distinct values of an axis among the runs, ordered for display. */
  static List<Object> distinctValues(String axis, List<RunRow> runs) {
    Map<String, Object> byCanonical = new LinkedHashMap<>();
    for (RunRow run : runs) {
      byCanonical.putIfAbsent(Axes.canonical(axis, run.axis(axis)), run.axis(axis));
    }
    List<Object> distinct = new ArrayList<>(byCanonical.values());
    distinct.sort(Axes.valueOrder(axis));
    return distinct;
  }
}
