package org.stylesweep.manifest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.Spatial;
import org.stylesweep.spec.StyleBlend;

/**
 * Expands a manifest into {@link RunSpec}s: every (content, style) pair crossed with the product of
 * the sweep axes, each with its deterministic {@link RunIds run id}. Streams every input image's
 * bytes once (through Hadoop's FileSystem) to hash them; it never decodes them.
 */
public final class SweepPlanner {
  private final Configuration conf;

  /**
   * @param conf Hadoop configuration for reading the inputs
   */
  public SweepPlanner(Configuration conf) {
    this.conf = conf;
  }

  /**
   * @param manifest a validated manifest
   * @param model its network with resolved weights
   * @throws ManifestException when an input cannot be read or two runs would be identical
   */
  public SweepPlan plan(Manifest manifest, ModelSpec model) throws ManifestException {
    List<Problem> problems = new ArrayList<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String input : concat(manifest.usedContents(), manifest.usedStyles())) {
      try {
        // A blend's hash is over its members' hashes in order; a plain image's is its bytes'; a
        // content with regions or a region style hashes its structure with each file's hash.
        Map<String, String> fileHashes = new LinkedHashMap<>();
        for (String member : Spatial.files(input)) {
          // Streamed: an input of any size costs the driver one block of memory.
          Path path = new Path(member);
          try (java.io.InputStream in = HadoopFiles.fileSystem(path, conf).open(path)) {
            fileHashes.put(member, RunIds.sha256(in));
          }
        }
        List<String> memberHashes = new ArrayList<>(fileHashes.values());
        hashes.put(
            input,
            Spatial.isSpatial(input)
                ? RunIds.sha256("spatial:" + Spatial.mapFiles(input, fileHashes::get))
                : memberHashes.size() == 1
                    ? memberHashes.get(0)
                    : RunIds.sha256("blend:" + String.join(",", memberHashes)));
      } catch (IOException e) {
        problems.add(
            new Problem(
                manifest.usedContents().contains(input) ? "contents" : "styles",
                input,
                "cannot read it: " + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(manifest.source(), problems);
    }

    // A task that does not use an input gets one null in its place; a used input that expanded to
    // nothing (an empty folder with allow_empty) gives no runs.
    List<String> contents = !manifest.task().usesContent() ? nullList() : manifest.usedContents();
    if (manifest.task() == org.stylesweep.spec.Task.TRAIN_STYLE && !contents.isEmpty()) {
      // train_style: one network per style and combination, trained on every content together;
      // the training set travels as one content string, hashed over its members' hashes.
      String trainingSet = StyleBlend.of(contents);
      List<String> memberHashes = new ArrayList<>();
      contents.forEach(c -> memberHashes.add(hashes.get(c)));
      hashes.put(trainingSet, RunIds.sha256("training:" + String.join(",", memberHashes)));
      contents = List.of(trainingSet);
    }
    List<String> styles =
        manifest.task() == org.stylesweep.spec.Task.RECONSTRUCT
            ? nullList()
            : manifest.usedStyles();
    List<Map<String, Object>> combinations = product(manifest);
    List<RunSpec> runs = new ArrayList<>();
    Map<String, RunSpec> byId = new HashMap<>();
    for (String content : contents) {
      for (String style : styles) {
        for (Map<String, Object> combination : combinations) {
          Map<String, Object> values = new LinkedHashMap<>(manifest.defaults().values());
          values.putAll(combination);
          RunParams params = RunParams.of(values);
          String id =
              RunIds.of(manifest.task(), model, hashes.get(content), hashes.get(style), params);
          RunSpec spec =
              new RunSpec(id, manifest.name(), manifest.task(), content, style, model, params);
          RunSpec twin = byId.putIfAbsent(id, spec);
          if (twin != null) {
            problems.add(
                new Problem(
                    content == null ? "styles" : "contents",
                    null,
                    "two runs would be identical (same image bytes and parameters): "
                        + describe(twin)
                        + " and "
                        + describe(spec)
                        + "; list each image once"));
            continue;
          }
          runs.add(spec);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ManifestException(manifest.source(), problems);
    }
    return new SweepPlan(manifest, model, runs, hashes);
  }

  /** Every combination of the sweep axes; the last axis varies fastest. */
  static List<Map<String, Object>> product(Manifest manifest) {
    List<Map<String, Object>> result = new ArrayList<>();
    result.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<Object>> axis : manifest.sweep().entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> partial : result) {
        for (Object value : axis.getValue()) {
          Map<String, Object> extended = new LinkedHashMap<>(partial);
          extended.put(axis.getKey(), value);
          next.add(extended);
        }
      }
      result = next;
    }
    return result;
  }

  private static String describe(RunSpec spec) {
    return "("
        + (spec.content() == null ? "-" : Spatial.label(spec.content(), m -> new Path(m).getName()))
        + ", "
        + (spec.style() == null ? "-" : Spatial.label(spec.style(), m -> new Path(m).getName()))
        + ")";
  }

  private static List<String> nullList() {
    List<String> list = new ArrayList<>();
    list.add(null);
    return list;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    b.stream().filter(x -> !all.contains(x)).forEach(all::add);
    return all;
  }
}
