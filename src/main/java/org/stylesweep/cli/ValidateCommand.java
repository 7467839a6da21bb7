package org.stylesweep.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.stylesweep.manifest.Manifest;
import org.stylesweep.manifest.SweepPlan;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code validate MANIFEST}: checks everything and prints the plan; runs nothing, starts no Spark.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check a manifest and print the plan (run count, axes, inputs). Runs nothing.")
final class ValidateCommand implements Callable<Integer> {

  @ParentCommand StyleSweep root;

  @Parameters(
      index = "0",
      paramLabel = "MANIFEST",
      description = "YAML manifest: path or URI (file, s3a, hdfs).")
  String manifest;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override a manifest key, e.g. defaults.steps=20 or defaults.style_layers=[conv1_1] (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder to show in the plan (default out/<name>).")
  String out;

  @Override
  public Integer call() throws Exception {
    StyleSweep.Planned planned = root.plan(manifest, overrides, false);
    String outDir = StyleSweep.outDir(out, planned.plan().manifest());
    root.out.print(describe(planned, outDir, root.statuses(planned.plan(), outDir)));
    root.out.flush();
    return ExitCodes.OK;
  }

  /** The plan as a person reads it. */
  static String describe(StyleSweep.Planned planned, String outDir) {
    return describe(planned, outDir, Map.of());
  }

  /**
   * The plan as a person reads it, with per input how many of its runs are new (no record in the
   * output folder), FAILED before (run again) and already OK, from {@code statuses} (run id to
   * status, see {@link org.stylesweep.spark.RecordStatuses}).
   */
  static String describe(StyleSweep.Planned planned, String outDir, Map<String, String> statuses) {
    SweepPlan plan = planned.plan();
    Manifest m = plan.manifest();
    StringBuilder s = new StringBuilder();
    line(s, "sweep", m.name());
    line(s, "manifest", m.source());
    line(s, "task", m.task().key());
    line(
        s,
        "weights",
        planned.weights().description() + "  (weights_id " + plan.model().weightsId() + ")");
    line(
        s,
        "model",
        "normalization "
            + m.model().normalization().key()
            + ", pooling "
            + m.model().pooling().key()
            + ", device "
            + m.model().device().key());
    Map<String, int[]> perInput = new java.util.HashMap<>();
    int[] total = new int[3];
    for (org.stylesweep.spec.RunSpec run : plan.runs()) {
      String status = statuses.get(run.runId());
      int slot =
          org.stylesweep.spark.Schemas.OK.equals(status)
              ? 2
              : org.stylesweep.spark.Schemas.FAILED.equals(status) ? 1 : 0;
      total[slot]++;
      for (String input : java.util.Arrays.asList(run.content(), run.style())) {
        if (input != null) {
          perInput.computeIfAbsent(input, k -> new int[3])[slot]++;
        }
      }
    }
    m.patterns().forEach((key, from) -> from.forEach(p -> line(s, "", key + " from " + p)));
    if (m.task().usesContent()) {
      inputs(s, "contents", m.usedContents(), perInput);
    }
    if (m.task() != Task.RECONSTRUCT) {
      inputs(s, "styles", m.usedStyles(), perInput);
    }
    if (m.sweep().isEmpty()) {
      line(s, "axes", "(none)");
    } else {
      boolean first = true;
      for (Map.Entry<String, List<Object>> axis : m.sweep().entrySet()) {
        line(s, first ? "axes" : "", axis.getKey() + " = " + spell(axis.getValue()));
        first = false;
      }
    }
    List<String> fixed = new ArrayList<>();
    new LinkedHashMap<>(m.defaults().values())
        .forEach(
            (k, v) -> {
              if (!m.sweep().containsKey(k)) {
                fixed.add(k + " " + Params.spelling(v));
              }
            });
    wrap(s, "fixed", fixed);
    line(s, "runs", plan.runs().size() + " = " + m.runFactors());
    line(s, "", counts(total) + " in the output folder");
    memory(s, plan);
    if (m.halving() != null) {
      // the settings above are screened first; only the promoted ones run as listed
      org.stylesweep.halving.HalvingPlan.describe(plan).forEach(l -> line(s, l[0], l[1]));
    }
    if (!m.videos().isEmpty()) {
      m.videos()
          .forEach(
              v ->
                  line(
                      s,
                      "video",
                      v.uri()
                          + "  (start "
                          + v.start()
                          + ", count "
                          + (v.count() == 0 ? "all" : v.count())
                          + ", stride "
                          + v.stride()
                          + ")"));
      line(
          s,
          "",
          "video runs "
              + m.videoRunCount()
              + " = "
              + m.videos().size()
              + " videos x "
              + m.styles().size()
              + " styles"
              + m.sweep().entrySet().stream()
                  .map(e -> " x " + e.getValue().size() + " " + e.getKey())
                  .reduce("", String::concat));
    }
    line(s, "output", outDir);
    return s.toString();
  }

  /** The memory plan's largest estimate over the runs (docs/manifest.md#memory-planning). */
  private static void memory(StringBuilder s, SweepPlan plan) {
    org.stylesweep.transfer.MemoryPlan.Estimate largest = null;
    for (org.stylesweep.spec.RunSpec run : plan.runs()) {
      try {
        org.stylesweep.transfer.MemoryPlan.Estimate e =
            org.stylesweep.transfer.MemoryPlan.estimate(run.task(), run.params(), 4);
        if (largest == null || e.total() > largest.total()) {
          largest = e;
        }
      } catch (RuntimeException e) {
        // a run with bad parameters: reported with them
      }
    }
    if (largest != null) {
      line(s, "memory", "largest run needs about " + largest.describe() + " besides the model");
    }
  }

  private static void inputs(
      StringBuilder s, String label, List<String> uris, Map<String, int[]> perInput) {
    line(s, label, String.valueOf(uris.size()));
    uris.forEach(
        uri ->
            line(s, "", "  " + uri + "  (" + counts(perInput.getOrDefault(uri, new int[3])) + ")"));
  }

  /** {@code 3 new, 1 FAILED before, 2 already OK}, leaving out zero counts but the first. */
  static String counts(int[] c) {
    List<String> parts = new ArrayList<>();
    parts.add(c[0] + " new");
    if (c[1] > 0) {
      parts.add(c[1] + " FAILED before");
    }
    parts.add(c[2] + " already OK");
    return String.join(", ", parts);
  }

  private static String spell(List<Object> values) {
    return values.stream()
        .map(v -> String.valueOf(Params.spelling(v)))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** Comma-separated items on lines of at most {@value #WIDTH} characters. */
  private static void wrap(StringBuilder s, String label, List<String> items) {
    StringBuilder current = new StringBuilder();
    String currentLabel = label;
    for (String item : items) {
      if (current.length() > 0 && current.length() + item.length() + 2 > WIDTH - 10) {
        line(s, currentLabel, current + ",");
        currentLabel = "";
        current.setLength(0);
      }
      current.append(current.length() == 0 ? "" : ", ").append(item);
    }
    line(s, currentLabel, current.toString());
  }

  private static final int WIDTH = 100;

  private static void line(StringBuilder s, String label, String text) {
    s.append(String.format("%-9s %s%n", label, text));
  }
}
