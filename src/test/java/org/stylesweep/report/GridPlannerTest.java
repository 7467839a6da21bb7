package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stylesweep.manifest.GridSpec;

class GridPlannerTest {
  private int counter;

  @Test
  void transferSweepGivesAContentByStyleGridPerInitAndAnInitStripPerPair() {
    List<RunRow> runs = new ArrayList<>();
    for (String content : List.of("file:/in/cat.png", "file:/in/coffee.png")) {
      for (String style : List.of("file:/in/swirl.png", "file:/in/mosaic.png")) {
        for (String init : List.of("noise", "content")) {
          runs.add(run("transfer", content, style, Map.of("init", init)));
        }
      }
    }
    List<GridPlan> plans = GridPlanner.plan(runs, List.of());
    List<String> titles = plans.stream().map(GridPlan::title).toList();
    assertThat(titles)
        .containsExactly(
            "transfer: content \u00d7 style (init=content)",
            "transfer: content \u00d7 style (init=noise)",
            "transfer: init (content=cat.png, style=mosaic.png)",
            "transfer: init (content=cat.png, style=swirl.png)",
            "transfer: init (content=coffee.png, style=mosaic.png)",
            "transfer: init (content=coffee.png, style=swirl.png)");
    GridPlan grid = plans.get(0);
    assertThat(grid.rowValues()).containsExactly("file:/in/cat.png", "file:/in/coffee.png");
    assertThat(grid.colValues()).containsExactly("file:/in/mosaic.png", "file:/in/swirl.png");
    assertThat(grid.at("file:/in/coffee.png", "file:/in/swirl.png").axis("init"))
        .isEqualTo("content");
    assertThat(plans.get(2).targetsFirst()).isTrue();
    assertThat(plans.get(2).comparesStart()).isTrue();
    assertThat(grid.comparesStart()).isFalse();
  }

  @Test
  void layerAblationStripsAreOrderedByDepthAndSplitBySeed() {
    List<RunRow> runs = new ArrayList<>();
    for (String layer : List.of("conv5_1", "conv1_1", "conv10_1", "conv2_1")) {
      for (long seed : List.of(1L, 0L)) {
        runs.add(
            run(
                "reconstruct",
                "file:/in/cat.png",
                null,
                Map.of("content_layers", List.of(layer), "seed", seed)));
      }
    }
    List<GridPlan> plans = GridPlanner.plan(runs, List.of());
    List<GridPlan> layerStrips =
        plans.stream().filter(p -> "content_layers".equals(p.colAxis())).toList();
    List<GridPlan> seedStrips = plans.stream().filter(p -> "seed".equals(p.colAxis())).toList();
    assertThat(layerStrips).hasSize(2);
    assertThat(seedStrips).hasSize(4);
    assertThat(layerStrips.get(0).colValues())
        .containsExactly(
            List.of("conv1_1"), List.of("conv2_1"), List.of("conv5_1"), List.of("conv10_1"));
    assertThat(layerStrips.get(0).fixedLabel()).isEqualTo("seed=0");
    assertThat(layerStrips.get(1).fixedLabel()).isEqualTo("seed=1");
    assertThat(layerStrips.get(0).runs()).hasSize(4);
    assertThat(seedStrips.get(0).fixedLabel()).isEqualTo("content_layers=[conv1_1]");
  }

  @Test
  void manifestGridReplacesNothingAndAddsItsLayout() {
    List<RunRow> runs = new ArrayList<>();
    for (long seed : List.of(0L, 1L, 2L)) {
      for (String init : List.of("noise", "content")) {
        runs.add(
            run(
                "transfer",
                "file:/in/cat.png",
                "file:/in/swirl.png",
                Map.of("init", init, "seed", seed)));
      }
    }
    List<GridPlan> plans = GridPlanner.plan(runs, List.of(new GridSpec("seed", "init")));
    assertThat(plans.get(0).title()).isEqualTo("transfer: seed \u00d7 init");
    assertThat(plans.get(0).rowValues()).containsExactly(0L, 1L, 2L);
    assertThat(plans.get(0).cells()).hasSize(6);
    assertThat(plans.stream().map(GridPlan::title))
        .contains("transfer: init (seed=0)", "transfer: seed (init=noise)");
  }

  @Test
  void missingCombinationIsAnEmptyCellNotASkippedColumn() {
    List<RunRow> runs = new ArrayList<>();
    runs.add(run("transfer", "file:/in/a.png", "file:/in/x.png", Map.of()));
    runs.add(run("transfer", "file:/in/a.png", "file:/in/y.png", Map.of()));
    runs.add(run("transfer", "file:/in/b.png", "file:/in/x.png", Map.of()));
    GridPlan grid = GridPlanner.plan(runs, List.of()).get(0);
    assertThat(grid.colValues()).hasSize(2);
    assertThat(grid.at("file:/in/b.png", "file:/in/y.png")).isNull();
    assertThat(grid.at("file:/in/b.png", "file:/in/x.png")).isNotNull();
  }

  @Test
  void sameFileNameInTwoFoldersStaysTwoValues() {
    List<RunRow> runs =
        List.of(
            run("reconstruct", "file:/a/cat.png", null, Map.of()),
            run("reconstruct", "file:/b/cat.png", null, Map.of()));
    GridPlan plan = GridPlanner.plan(runs, List.of()).get(0);
    assertThat(plan.rowAxis()).isEqualTo("content");
    assertThat(plan.rowValues()).hasSize(2);
  }

  @Test
  void fileStemsAreSafeAndDistinguishLookAlikeNames() {
    GridPlan a =
        GridPlanner.plan(
                List.of(
                    run("reconstruct", "file:/in/c<b>at.png", null, Map.of("seed", 0L)),
                    run("reconstruct", "file:/in/c<b>at.png", null, Map.of("seed", 1L)),
                    run("reconstruct", "file:/in/c-b-at.png", null, Map.of("seed", 0L)),
                    run("reconstruct", "file:/in/c-b-at.png", null, Map.of("seed", 1L))),
                List.of())
            .get(0);
    GridPlan b =
        GridPlanner.plan(
                List.of(
                    run("reconstruct", "file:/in/c-b-at.png", null, Map.of("seed", 0L)),
                    run("reconstruct", "file:/in/c-b-at.png", null, Map.of("seed", 1L)),
                    run("reconstruct", "file:/in/c<b>at.png", null, Map.of("seed", 0L)),
                    run("reconstruct", "file:/in/c<b>at.png", null, Map.of("seed", 1L))),
                List.of())
            .get(1);
    assertThat(a.fileStem()).matches("[a-z0-9._-]+").isNotEqualTo(b.fileStem());
    assertThat(a.fileStem()).startsWith("reconstruct-seed-content-c-b-at.png-");
  }

  private RunRow run(String task, String content, String style, Map<String, Object> overrides) {
    Map<String, Object> axes = new LinkedHashMap<>();
    axes.put("content", content);
    axes.put("style", style);
    axes.putAll(SyntheticSweep.defaultParameters());
    axes.putAll(overrides);
    assertThat(axes.keySet()).containsExactlyElementsOf(Axes.ALL);
    counter++;
    return new RunRow(
        "run" + counter,
        "s",
        task,
        axes,
        "random:0",
        "OK",
        null,
        "max_evaluations",
        10,
        1.0,
        1.0,
        1.0,
        new float[] {3f, 2f, 1f},
        1.0,
        10.0,
        "cpu",
        null,
        "images/run" + counter + ".png",
        32,
        32,
        Map.of());
  }
}
