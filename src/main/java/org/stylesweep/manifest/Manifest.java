package org.stylesweep.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.spec.ModelConfig;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Spatial;
import org.stylesweep.spec.StyleBlend;
import org.stylesweep.spec.Task;

/**
 * A parsed and validated manifest: everything a sweep needs except the resolved weights and the
 * hashes of its inputs (see {@link SweepPlanner}).
 *
 * @param name the sweep's name (also its default output folder)
 * @param source the manifest's qualified location
 * @param model the {@code model} block
 * @param task transfer, reconstruct or texture
 * @param contents qualified URIs of the content images (empty for texture)
 * @param styles qualified URIs of the style images (empty for reconstruct)
 * @param defaults every run parameter
 * @param sweep the swept keys in manifest order, each with its canonical values
 * @param grids grids asked for explicitly
 * @param patterns for {@code contents} and {@code styles}, the folders (ending in {@code /}) and
 *     globs they were expanded from, qualified, in manifest order; absent for a plain list of files
 * @param allowEmpty true when a folder or glob may match nothing ({@code allow_empty: true})
 * @param halving the {@code halving} block (successive halving), or null for a plain sweep
 * @param videos the {@code videos:} clips, each styled with every style and sweep combination
 */
public record Manifest(
    String name,
    String source,
    ModelConfig model,
    Task task,
    List<String> contents,
    List<String> styles,
    RunParams defaults,
    Map<String, List<Object>> sweep,
    List<GridSpec> grids,
    Map<String, List<String>> patterns,
    boolean allowEmpty,
    org.stylesweep.spec.Halving halving,
    List<org.stylesweep.spec.VideoInput> videos)
    implements Serializable {

  /** Defensive copies, keeping the sweep's order. */
  public Manifest {
    contents = List.copyOf(contents);
    styles = List.copyOf(styles);
    LinkedHashMap<String, List<Object>> copy = new LinkedHashMap<>();
    sweep.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    sweep = java.util.Collections.unmodifiableMap(copy);
    grids = List.copyOf(grids);
    LinkedHashMap<String, List<String>> from = new LinkedHashMap<>();
    patterns.forEach((k, v) -> from.put(k, List.copyOf(v)));
    patterns = java.util.Collections.unmodifiableMap(from);
    videos = videos == null ? List.of() : List.copyOf(videos);
  }

  /** Video runs: videos × styles × the product of the sweep axes (none without videos). */
  public long videoRunCount() {
    if (videos.isEmpty()) {
      return 0;
    }
    long runs = (long) videos.size() * Math.max(1, styles.size());
    for (List<Object> values : sweep.values()) {
      runs *= values.size();
    }
    return runs;
  }

  /** A manifest without successive halving. */
  public Manifest(
      String name,
      String source,
      ModelConfig model,
      Task task,
      List<String> contents,
      List<String> styles,
      RunParams defaults,
      Map<String, List<Object>> sweep,
      List<GridSpec> grids,
      Map<String, List<String>> patterns,
      boolean allowEmpty) {
    this(
        name,
        source,
        model,
        task,
        contents,
        styles,
        defaults,
        sweep,
        grids,
        patterns,
        allowEmpty,
        null,
        List.of());
  }

  /** A manifest whose inputs are all plain files. */
  public Manifest(
      String name,
      String source,
      ModelConfig model,
      Task task,
      List<String> contents,
      List<String> styles,
      RunParams defaults,
      Map<String, List<Object>> sweep,
      List<GridSpec> grids) {
    this(
        name, source, model, task, contents, styles, defaults, sweep, grids, Map.of(), false, null,
        List.of());
  }

  /** The number of input images this run expanded to: contents plus styles the task uses. */
  public int inputCount() {
    return usedContents().size() + usedStyles().size();
  }

  /** The contents this task uses: none for texture. */
  public List<String> usedContents() {
    return !task.usesContent() ? List.of() : contents;
  }

  /** The styles this task uses: none for reconstruct. */
  public List<String> usedStyles() {
    return task == Task.RECONSTRUCT ? List.of() : styles;
  }

  /**
   * The most runs one sweep may have. The driver plans, skip-checks and tracks every run in memory,
   * so the cap is checked at validation, from the axis sizes, before anything is expanded.
   */
  public static final long MAX_RUNS = 100_000;

  /** Number of (content, style) pairs: contents × styles for transfer, else the one list used. */
  public long pairCount() {
    return switch (task) {
      case TRANSFER, STYLIZE -> (long) contents.size() * styles.size();
      case RECONSTRUCT -> contents.size();
      case TEXTURE, TRAIN_TEXTURE -> styles.size();
      case TRAIN_STYLE -> contents.isEmpty() ? 0 : styles.size(); // all contents train each net
    };
  }

  /**
   * Runs of the sweep: pairs × the product of the sweep axes' lengths, computed without expanding
   * anything; {@link Long#MAX_VALUE} when the product does not fit in a long.
   */
  public long runCount() {
    long runs = pairCount();
    for (List<Object> values : sweep.values()) {
      try {
        runs = Math.multiplyExact(runs, (long) values.size());
      } catch (ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
    return runs;
  }

  /**
   * The factors of {@link #runCount} as a person reads them, e.g. {@code 2 contents x 3 styles x 4
   * seed}.
   */
  public String runFactors() {
    List<String> factors = new ArrayList<>();
    if (task.usesContent()) {
      factors.add(usedContents().size() + " contents");
    }
    if (task != Task.RECONSTRUCT) {
      factors.add(usedStyles().size() + " styles");
    }
    sweep.forEach((k, v) -> factors.add(v.size() + " " + k));
    return String.join(" x ", factors);
  }

  /**
   * The manifest as YAML with every field explicit and every input path absolute, so that the copy
   * written to the output folder reruns the same sweep from anywhere.
   */
  public String toYaml() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("name", name);
    ObjectNode m = root.putObject("model");
    m.put("weights", model.weights().spelling());
    m.put("weights_url", model.weightsUrl());
    if (model.weightsSha256() != null) {
      m.put("weights_sha256", model.weightsSha256());
    }
    m.put("normalization", model.normalization().key());
    m.put("pooling", model.pooling().key());
    m.put("device", model.device().key());
    root.put("task", task.key());
    ArrayNode c = root.putArray("contents");
    contents.forEach(input -> c.add(inputNode(input)));
    ArrayNode s = root.putArray("styles");
    styles.forEach(input -> s.add(inputNode(input)));
    if (!videos.isEmpty()) {
      ArrayNode v = root.putArray("videos");
      videos.forEach(video -> v.add(MAPPER.valueToTree(VideoEntries.spelled(video))));
    }
    if (allowEmpty) {
      root.put("allow_empty", true);
    }
    ObjectNode d = root.putObject("defaults");
    new LinkedHashMap<>(defaults.values())
        .forEach((k, v) -> d.set(k, MAPPER.valueToTree(Params.spelling(v))));
    ObjectNode w = root.putObject("sweep");
    sweep.forEach(
        (k, values) -> {
          List<Object> spelled = new ArrayList<>();
          values.forEach(v -> spelled.add(Params.spelling(v)));
          w.set(k, MAPPER.valueToTree(spelled));
        });
    if (!grids.isEmpty()) {
      ArrayNode g = root.putArray("grids");
      grids.forEach(
          grid -> {
            ObjectNode entry = g.addObject();
            if (grid.rows() != null) {
              entry.put("rows", grid.rows());
            }
            if (grid.cols() != null) {
              entry.put("cols", grid.cols());
            }
          });
    }
    if (halving != null) {
      HalvingYaml.write(halving, root.putObject("halving"));
    }
    try {
      StringBuilder expanded = new StringBuilder();
      patterns.forEach(
          (key, from) ->
              from.forEach(
                  p ->
                      expanded
                          .append("# ")
                          .append(key)
                          .append(" expanded from ")
                          .append(p)
                          .append('\n')));
      if (!patterns.isEmpty()) {
        expanded
            .append("# (the lists below are what this run saw: contents ")
            .append(usedContents().size())
            .append(", styles ")
            .append(usedStyles().size())
            .append(")\n");
      }
      return "# Effective manifest of sweep '"
          + name
          + "' (written by stylesweep; inputs made absolute)\n"
          + expanded
          + MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An input as the manifest spells it: a path, {blend: [...]} or spatial control's mappings. */
  static com.fasterxml.jackson.databind.JsonNode inputNode(String input) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (Spatial.hasRegions(input)) {
      ObjectNode node = f.objectNode();
      node.put("image", Spatial.image(input));
      ArrayNode regions = node.putArray("regions");
      Spatial.masks(input)
          .forEach((name, mask) -> regions.addObject().put("name", name).put("mask", mask));
      return node;
    }
    if (Spatial.isRegionStyle(input)) {
      ObjectNode node = f.objectNode();
      ObjectNode regions = node.putObject("regions");
      Spatial.regionStyles(input)
          .forEach(
              (name, style) -> {
                if (style.mask() == null) {
                  regions.put(name, style.image());
                } else {
                  regions.putObject(name).put("image", style.image()).put("mask", style.mask());
                }
              });
      String rest = Spatial.rest(input);
      node.put("rest", rest == null ? Spatial.NONE : rest);
      return node;
    }
    if (StyleBlend.isBlend(input)) {
      ObjectNode node = f.objectNode();
      ArrayNode blend = node.putArray("blend");
      StyleBlend.members(input).forEach(blend::add);
      return node;
    }
    return f.textNode(input);
  }

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .build();
}
