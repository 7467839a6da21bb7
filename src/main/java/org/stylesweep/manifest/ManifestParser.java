package org.stylesweep.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.image.ImageStore;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.ModelConfig;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.ParamProblem;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunParamsCheck;
import org.stylesweep.spec.Spatial;
import org.stylesweep.spec.StyleBlend;
import org.stylesweep.spec.Task;
import org.stylesweep.spec.WeightsSource;

/**
 * Reads a YAML manifest through Hadoop's FileSystem, applies {@code --set} overrides, and validates
 * all of it at once: every problem is collected with its field path and value, so a user fixes a
 * manifest in one pass. Paths in the manifest are relative to the manifest's own location, whatever
 * its scheme.
 */
public final class ManifestParser {

  static final List<String> TOP_KEYS =
      List.of(
          "name",
          "model",
          "task",
          "contents",
          "styles",
          "videos",
          "allow_empty",
          "defaults",
          "sweep",
          "grids",
          "halving");
  static final List<String> MODEL_KEYS =
      List.of("weights", "weights_url", "weights_sha256", "normalization", "pooling", "device");
  static final List<String> GRID_KEYS = List.of("rows", "cols");

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private final Configuration conf;
  private final LayerNames layers;

  /**
   * @param conf Hadoop configuration for reading the manifest and checking inputs
   * @param layers the layer names runs may ask for
   */
  public ManifestParser(Configuration conf, LayerNames layers) {
    this.conf = conf;
    this.layers = layers;
  }

  /**
   * Parses and validates the manifest at {@code location} with the {@code key.path=value} overrides
   * applied in order.
   *
   * @throws ManifestException listing every problem found
   */
  public Manifest parse(String location, List<String> overrides) throws ManifestException {
    Validation v = read(location);
    v.applyOverrides(overrides);
    Manifest manifest = v.validate();
    v.throwProblems();
    return manifest;
  }

  /**
   * Only the {@code grids} of the manifest at {@code location}, checked as {@link #parse} checks
   * them; the other fields are not read. For the report, which reads the grids of an output
   * folder's effective manifest whose inputs need not be reachable from where it runs.
   *
   * @throws ManifestException when the file cannot be read or its grids are invalid
   */
  public static List<GridSpec> parseGrids(String location, Configuration conf)
      throws ManifestException {
    Validation v = new ManifestParser(conf, name -> name).read(location);
    List<GridSpec> grids = v.grids();
    v.throwProblems();
    return grids;
  }

  /**
   * Only the {@code contents} and {@code styles} lists of the manifest at {@code location}, as
   * written (for an effective manifest: the expanded, absolute inputs); not validated. For the
   * report, which marks rows whose inputs are no longer in the sweep.
   *
   * @throws ManifestException when the file cannot be read
   */
  public static Map<String, List<String>> inputLists(String location, Configuration conf)
      throws ManifestException {
    Validation v = new ManifestParser(conf, name -> name).read(location);
    Map<String, List<String>> lists = new LinkedHashMap<>();
    for (String key : List.of("contents", "styles")) {
      // Through the parser's own reading of an entry, so that blends and regions are spelled as in
      // the run specs and records (files are not checked: an input may have gone since).
      lists.put(key, v.inputs(key, false, null));
    }
    return lists;
  }

  /** Reads the file as a YAML mapping, ready to validate. */
  private Validation read(String location) throws ManifestException {
    Path manifestPath = HadoopFiles.qualify(new Path(location), conf);
    String source = manifestPath.toString();
    byte[] bytes;
    try {
      bytes = HadoopFiles.readAll(manifestPath, conf);
    } catch (IOException e) {
      throw new ManifestException(
          source,
          List.of(
              new Problem(
                  "manifest",
                  location,
                  "cannot read it (" + e.getMessage() + "); check the path")));
    }
    JsonNode tree;
    try {
      tree = YamlTree.read(new String(bytes, StandardCharsets.UTF_8));
    } catch (YamlTree.BadYaml e) {
      throw new ManifestException(source, List.of(new Problem("manifest", null, e.getMessage())));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ManifestException(
          source, List.of(new Problem("manifest", null, "the file is empty")));
    }
    if (!tree.isObject()) {
      throw new ManifestException(
          source,
          List.of(
              new Problem(
                  "manifest",
                  null,
                  "expected a mapping with keys " + TOP_KEYS + ", got a " + tree.getNodeType())));
    }
    return new Validation(source, manifestPath.getParent(), (ObjectNode) tree);
  }

  /**
   * The mutable state of one validation: the tree, the problems found so far, the overridden paths.
   */
  private final class Validation {
    final String source;
    final Path base;
    final ObjectNode root;
    final List<Problem> problems = new ArrayList<>();
    final Set<String> overridden = new HashSet<>();
    final Map<String, List<String>> patterns = new LinkedHashMap<>();
    boolean allowEmpty;

    Validation(String source, Path base, ObjectNode root) {
      this.source = source;
      this.base = base;
      this.root = root;
    }

    void throwProblems() throws ManifestException {
      if (!problems.isEmpty()) {
        throw new ManifestException(source, problems);
      }
    }

    void problem(String path, JsonNode value, String message) {
      String suffix = overridden.contains(path) ? " (from --set " + path + ")" : "";
      problems.add(new Problem(path, value == null ? null : show(value), message + suffix));
    }

    /** {@code defaults.steps=20}: the value is YAML, so {@code [conv1_1]} is a list. */
    void applyOverrides(List<String> overrides) {
      for (String override : overrides) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
          problems.add(
              new Problem("--set", override, "expected key.path=value, e.g. defaults.steps=20"));
          continue;
        }
        String path = override.substring(0, eq).trim();
        String text = override.substring(eq + 1);
        JsonNode value;
        try {
          value = text.isBlank() ? JsonNodeFactory.instance.nullNode() : YamlTree.read(text);
        } catch (YamlTree.BadYaml e) {
          problems.add(new Problem("--set " + path, text, "the value is " + e.getMessage()));
          continue;
        }
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        boolean ok = true;
        for (int i = 0; i < parts.length - 1 && ok; i++) {
          JsonNode child = node.get(parts[i]);
          if (child == null || child.isNull()) {
            node = node.putObject(parts[i]);
          } else if (child.isObject()) {
            node = (ObjectNode) child;
          } else {
            problems.add(
                new Problem(
                    "--set " + path,
                    text,
                    String.join(".", java.util.Arrays.copyOf(parts, i + 1)) + " is not a mapping"));
            ok = false;
          }
        }
        if (ok) {
          node.set(
              parts[parts.length - 1], value == null ? JsonNodeFactory.instance.nullNode() : value);
          overridden.add(path);
        }
      }
    }

    Manifest validate() {
      unknownKeys(root, "", TOP_KEYS);
      String name = name();
      ModelConfig model = model();
      Task task = choice(root.get("task"), "task", Task.TRANSFER, Task::parse);
      allowEmpty = allowEmpty();
      List<org.stylesweep.spec.VideoInput> videos =
          VideoEntries.parse(root.get("videos"), base, conf, this::problem);
      // A sweep of videos alone needs no content image.
      List<String> contents =
          inputs(
              "contents", task != null && task.usesContent() && root.get("videos") == null, task);
      List<String> styles = inputs("styles", task != Task.RECONSTRUCT, task);
      Map<String, Object> defaults =
          defaults(model == null ? Normalization.IMAGENET : model.normalization());
      LinkedHashMap<String, List<Object>> sweep = sweep();
      List<GridSpec> grids = grids();
      if (task != null && defaults != null) {
        crossChecks(task, defaults, sweep);
        blendChecks(styles, defaults, sweep);
        spatialChecks(task, contents, styles);
        feedForwardChecks(task);
      }
      org.stylesweep.spec.Halving halving =
          task != null && defaults != null
              ? HalvingParser.parse(root.get("halving"), task, defaults, sweep, this::problem)
              : null;
      if (!problems.isEmpty()) {
        return null;
      }
      Manifest manifest =
          new Manifest(
              name,
              source,
              model,
              task,
              contents,
              styles,
              RunParams.of(defaults),
              sweep,
              grids,
              patterns,
              allowEmpty,
              halving,
              videos);
      long runs = manifest.runCount() + manifest.videoRunCount();
      if (runs == 0 && allowEmpty && !patterns.isEmpty()) {
        // An empty inbox on a schedule: a sweep with nothing to do.
      } else if (runs == 0) {
        problem(
            task != null && !task.usesContent() ? "styles" : "contents",
            null,
            "the sweep has no runs; list at least one input image");
      } else if (runs > Manifest.MAX_RUNS) {
        problem(
            sweep.isEmpty()
                ? (task != null && !task.usesContent() ? "styles" : "contents")
                : "sweep",
            null,
            "the sweep has "
                + (runs == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : runs)
                + " runs ("
                + manifest.runFactors()
                + "), over the cap of "
                + Manifest.MAX_RUNS
                + " runs per sweep; split it into several manifests (each output folder resumes on its own)");
      }
      return manifest;
    }

    String name() {
      JsonNode node = root.get("name");
      if (node == null || node.isNull()) {
        problem("name", null, "required; it names the sweep and its output folder (out/<name>)");
        return null;
      }
      if (!node.isTextual() && !node.isNumber()) {
        problem("name", node, "expected a text such as part3-grid");
        return null;
      }
      String name = node.asText().trim();
      if (!NAME.matcher(name).matches()) {
        problem(
            "name", node, "use letters, digits, '.', '_' and '-' only (it becomes a folder name)");
        return null;
      }
      return name;
    }

    ModelConfig model() {
      ModelConfig d = ModelConfig.defaults();
      JsonNode node = root.get("model");
      if (node == null || node.isNull()) {
        return d;
      }
      if (!node.isObject()) {
        problem("model", node, "expected a mapping with keys " + MODEL_KEYS);
        return d;
      }
      unknownKeys(node, "model.", MODEL_KEYS);
      WeightsSource weights = weights(node.get("weights"));
      String url = d.weightsUrl();
      JsonNode urlNode = node.get("weights_url");
      if (urlNode != null && !urlNode.isNull()) {
        if (!urlNode.isTextual() || !urlNode.asText().matches("(?i)(https?|file)://\\S+")) {
          problem(
              "model.weights_url", urlNode, "expected an http(s):// URL of a .safetensors file");
        } else {
          url = urlNode.asText().trim();
        }
      }
      String sha = null;
      JsonNode shaNode = node.get("weights_sha256");
      if (shaNode != null && !shaNode.isNull()) {
        if (!shaNode.isTextual() || !SHA256.matcher(shaNode.asText().trim()).matches()) {
          problem(
              "model.weights_sha256",
              shaNode,
              "expected 64 hexadecimal digits (sha256sum of the file)");
        } else {
          sha = shaNode.asText().trim().toLowerCase(java.util.Locale.ROOT);
        }
      }
      Normalization normalization =
          choice(
              node.get("normalization"),
              "model.normalization",
              d.normalization(),
              Normalization::parse);
      Pooling pooling = choice(node.get("pooling"), "model.pooling", d.pooling(), Pooling::parse);
      DeviceChoice device =
          choice(node.get("device"), "model.device", d.device(), DeviceChoice::parse);
      return new ModelConfig(weights, url, sha, normalization, pooling, device);
    }

    WeightsSource weights(JsonNode node) {
      WeightsSource auto = new WeightsSource.Auto();
      if (node == null || node.isNull()) {
        return auto;
      }
      if (!node.isTextual()) {
        problem(
            "model.weights",
            node,
            "expected auto, random:<seed>, or a path/URI of .safetensors or .npz weights");
        return auto;
      }
      WeightsSource source;
      try {
        source = WeightsSource.parse(node.asText());
      } catch (IllegalArgumentException e) {
        problem("model.weights", node, e.getMessage());
        return auto;
      }
      if (source instanceof WeightsSource.File file) {
        String resolved = existing("model.weights", node, file.uri());
        return resolved == null ? auto : new WeightsSource.File(resolved);
      }
      return source;
    }

    /** The input resolved against the manifest's folder; reports it when missing. */
    String existing(String path, JsonNode node, String text) {
      Path resolved;
      try {
        resolved = HadoopFiles.qualify(new Path(base, text), conf);
      } catch (RuntimeException e) {
        problem(path, node, "not a valid path or URI: " + e.getMessage());
        return text;
      }
      try {
        if (!HadoopFiles.exists(resolved, conf)) {
          problem(
              path, node, "file not found: " + resolved + " (paths are relative to the manifest)");
        }
      } catch (IOException | RuntimeException e) {
        problem(path, node, "cannot check " + resolved + ": " + e.getMessage());
      }
      return resolved.toString();
    }

    List<String> inputs(String key, boolean needed, Task task) {
      JsonNode node = root.get(key);
      List<String> result = new ArrayList<>();
      if (node == null || node.isNull() || (node.isArray() && node.isEmpty())) {
        if (needed && task != null) {
          problem(key, node, "task " + task.key() + " needs at least one image");
        }
        return result;
      }
      List<JsonNode> elements = new ArrayList<>();
      if (node.isTextual()) {
        elements.add(node);
      } else if (node.isArray()) {
        node.forEach(elements::add);
      } else {
        problem(key, node, "expected a list of image paths or URIs");
        return result;
      }
      Map<String, Integer> seen = new LinkedHashMap<>();
      for (int i = 0; i < elements.size(); i++) {
        JsonNode element = elements.get(i);
        String path = node.isArray() ? key + "[" + i + "]" : key;
        if (element.isObject() && key.equals("contents")) {
          String content = contentWithRegions(path, element, needed);
          if (content != null) {
            Integer first = seen.putIfAbsent(content, i);
            if (first != null) {
              problem(path, element, "the same as contents[" + first + "]; list each once");
            }
            result.add(content);
          }
          continue;
        }
        if (element.isObject() && key.equals("styles")) {
          if (task != null && task.feedForward() && !element.has("regions")) {
            problem(path, element, feedForwardBlend(task));
            continue;
          }
          String blend =
              element.has("regions")
                  ? regionStyle(path, element, needed)
                  : blend(path, element, needed);
          if (blend != null) {
            Integer first = seen.putIfAbsent(blend, i);
            if (first != null) {
              problem(path, element, "the same blend as styles[" + first + "]; list each once");
            }
            result.add(blend);
          }
          continue;
        }
        if (!element.isTextual() || element.asText().isBlank()) {
          problem(path, element, "expected an image path or URI");
          continue;
        }
        String text = element.asText().trim();
        if (!needed) {
          result.add(new Path(base, text).toString());
          continue;
        }
        InputExpander.Expansion expansion = expand(path, element, text);
        if (expansion == null) {
          continue;
        }
        if (expansion.kind() == InputExpander.Kind.FILE) {
          String resolved = expansion.files().get(0);
          if (!expansion.exists()) {
            problem(
                path,
                element,
                "file not found: " + resolved + " (paths are relative to the manifest)");
          }
          Integer first = seen.putIfAbsent(resolved, i);
          if (first != null && first >= 0) {
            problem(
                path,
                element,
                "the same image as " + key + "[" + first + "]; list each image once");
          }
          if (first == null) {
            result.add(resolved);
          }
          continue;
        }
        String pattern =
            HadoopFiles.qualify(new Path(base, text), conf).toString()
                + (expansion.kind() == InputExpander.Kind.FOLDER ? "/" : "");
        patterns.computeIfAbsent(key, k -> new ArrayList<>()).add(pattern);
        if (expansion.files().isEmpty() && !allowEmpty) {
          problem(
              path,
              element,
              (expansion.kind() == InputExpander.Kind.GLOB
                      ? "the glob " + pattern + " matches no file"
                      : "the folder " + pattern + " holds no image (" + extensions() + ")")
                  + "; add images, fix the pattern, or set allow_empty: true for a sweep"
                  + " that may have nothing to do");
        }
        // A file matched by two entries is one input: listed once, at its first match.
        for (String file : expansion.files()) {
          if (seen.putIfAbsent(file, -1) == null) {
            result.add(file);
          }
        }
      }
      return result;
    }

    /**
     * A blended style, {@code {blend: [a.png, b.png, ...]}}: at least two images, as one style
     * string ({@link StyleBlend}); null after a problem.
     */
    String blend(String path, JsonNode element, boolean needed) {
      unknownKeys(element, path + ".", List.of("blend"));
      JsonNode list = element.get("blend");
      if (list == null || !list.isArray() || list.size() < 2) {
        problem(
            path + ".blend",
            list,
            "expected a list of at least two style images, e.g. {blend: [a.png, b.png]}");
        return null;
      }
      List<String> members = new ArrayList<>();
      for (int j = 0; j < list.size(); j++) {
        JsonNode member = list.get(j);
        String at = path + ".blend[" + j + "]";
        if (!member.isTextual() || member.asText().isBlank()) {
          problem(at, member, "expected an image path or URI");
          return null;
        }
        String text = member.asText().trim();
        String resolved = needed ? existing(at, member, text) : new Path(base, text).toString();
        if (resolved.contains(StyleBlend.SEPARATOR)) {
          problem(
              at, member, "a blended image's path may not contain '" + StyleBlend.SEPARATOR + "'");
          return null;
        }
        if (members.contains(resolved)) {
          problem(at, member, "the same image twice in one blend");
          return null;
        }
        members.add(resolved);
      }
      return StyleBlend.of(members);
    }

    /**
     * A content image with regions, {@code {image: cat.png, regions: [{name: cat, mask: m.png},
     * ...]}}, as one content string ({@link Spatial}); each mask greyscale and of the image's size.
     * Null after a problem.
     */
    String contentWithRegions(String path, JsonNode element, boolean needed) {
      unknownKeys(element, path + ".", List.of("image", "regions"));
      int before = problems.size();
      String image = spatialFile(path + ".image", element.get("image"), needed);
      JsonNode list = element.get("regions");
      LinkedHashMap<String, String> masks = new LinkedHashMap<>();
      if (list == null || !list.isArray() || list.isEmpty()) {
        problem(
            path + ".regions",
            list,
            "expected a list of regions, e.g. [{name: cat, mask: masks/cat.png}]");
        return null;
      }
      for (int k = 0; k < list.size(); k++) {
        JsonNode region = list.get(k);
        String at = path + ".regions[" + k + "]";
        if (!region.isObject()) {
          problem(at, region, "expected {name: NAME, mask: MASK.png}");
          continue;
        }
        unknownKeys(region, at + ".", List.of("name", "mask"));
        String name = regionName(at + ".name", region.get("name"));
        String mask = spatialFile(at + ".mask", region.get("mask"), needed);
        if (name != null && masks.containsKey(name)) {
          problem(at + ".name", region.get("name"), "two regions named '" + name + "'");
        } else if (name != null && mask != null) {
          masks.put(name, mask);
        }
      }
      if (problems.size() > before) {
        return null;
      }
      if (needed) {
        int k = 0;
        for (String mask : masks.values()) {
          checkMask(
              path + ".regions[" + k + "].mask",
              list.get(k).get("mask"),
              mask,
              image,
              path + ".image");
          k++;
        }
      }
      return problems.size() > before ? null : Spatial.content(image, masks);
    }

    /**
     * A style assignment for regions, {@code {regions: {cat: a.png, sky: {image: b.png, mask:
     * m.png}}, rest: c.png | none}}, as one style string ({@link Spatial}); null after a problem.
     */
    String regionStyle(String path, JsonNode element, boolean needed) {
      unknownKeys(element, path + ".", List.of("regions", "rest"));
      int before = problems.size();
      JsonNode map = element.get("regions");
      if (map == null || !map.isObject() || map.isEmpty()) {
        problem(
            path + ".regions",
            map,
            "expected a mapping of region names to style images, e.g. {cat: a.png, sky: b.png}");
        return null;
      }
      LinkedHashMap<String, Spatial.RegionStyle> styles = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String at = path + ".regions." + entry.getKey();
        String name = regionName(at, JsonNodeFactory.instance.textNode(entry.getKey()));
        JsonNode value = entry.getValue();
        String image;
        String mask = null;
        if (value.isObject()) {
          unknownKeys(value, at + ".", List.of("image", "mask"));
          image = spatialFile(at + ".image", value.get("image"), needed);
          if (value.has("mask")) {
            mask = spatialFile(at + ".mask", value.get("mask"), needed);
            if (needed && mask != null && image != null) {
              checkMask(at + ".mask", value.get("mask"), mask, image, at + ".image");
            }
          }
        } else {
          image = spatialFile(at, value, needed);
        }
        if (name != null && image != null) {
          styles.put(name, new Spatial.RegionStyle(image, mask));
        }
      }
      String rest = null;
      JsonNode restNode = element.get("rest");
      if (restNode != null
          && !restNode.isNull()
          && !(restNode.isTextual() && restNode.asText().trim().equals(Spatial.NONE))) {
        rest = spatialFile(path + ".rest", restNode, needed);
      }
      return problems.size() > before ? null : Spatial.style(styles, rest);
    }

    /** A region's name; null after a problem. */
    String regionName(String path, JsonNode node) {
      if (node == null || !node.isTextual() || !Spatial.NAME.matcher(node.asText()).matches()) {
        problem(path, node, "expected a region name of letters, digits, '_' and '-'");
        return null;
      }
      return node.asText();
    }

    /** One image of spatial control, resolved (and checked when needed); null after a problem. */
    String spatialFile(String path, JsonNode node, boolean needed) {
      if (node == null || !node.isTextual() || node.asText().isBlank()) {
        problem(path, node, "expected an image path or URI");
        return null;
      }
      String text = node.asText().trim();
      String resolved = needed ? existing(path, node, text) : new Path(base, text).toString();
      for (String separator : Spatial.SEPARATORS) {
        if (resolved.contains(separator)) {
          problem(path, node, "a path of spatial control may not contain '" + separator + "'");
          return null;
        }
      }
      return resolved;
    }

    /**
     * A mask against its image: decodable, the image's size, and greyscale (r, g, b within 2 of 255
     * of each other).
     */
    void checkMask(String path, JsonNode node, String mask, String image, String imagePath) {
      java.awt.image.BufferedImage m;
      int[] size;
      try {
        m = ImageStore.read(mask, conf);
      } catch (IOException | RuntimeException e) {
        problem(path, node, e.getMessage());
        return;
      }
      try {
        size = ImageStore.size(image, conf);
      } catch (IOException | RuntimeException e) {
        problem(imagePath, null, e.getMessage());
        return;
      }
      if (m.getWidth() != size[0] || m.getHeight() != size[1]) {
        problem(
            path,
            node,
            "the mask is "
                + m.getWidth()
                + " x "
                + m.getHeight()
                + " pixels, but its image ("
                + imagePath
                + ") is "
                + size[0]
                + " x "
                + size[1]
                + "; a mask must have its image's size");
        return;
      }
      for (int y = 0; y < m.getHeight(); y++) {
        for (int x = 0; x < m.getWidth(); x++) {
          int rgb = m.getRGB(x, y);
          int r = (rgb >> 16) & 0xff;
          int g = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 2) {
            problem(
                path,
                node,
                String.format(
                    java.util.Locale.ROOT,
                    "the mask is not greyscale: pixel (%d, %d) is #%02x%02x%02x; use white for"
                        + " inside, black for outside and grey for partial",
                    x,
                    y,
                    r,
                    g,
                    b));
            return;
          }
        }
      }
    }

    /**
     * Spatial control across inputs: regions need task transfer; each region style pairs only with
     * contents that have regions, and assigns a style to each of their regions.
     */
    void spatialChecks(Task task, List<String> contents, List<String> styles) {
      JsonNode contentNode = root.get("contents");
      JsonNode styleNode = root.get("styles");
      if (contentNode == null
          || styleNode == null
          || !contentNode.isArray()
          || !styleNode.isArray()
          || contents.size() != contentNode.size()
          || styles.size() != styleNode.size()) {
        return; // an entry had a problem; the paths would not line up
      }
      boolean regions = contents.stream().anyMatch(Spatial::hasRegions);
      boolean regionStyles = styles.stream().anyMatch(Spatial::isRegionStyle);
      if ((regions || regionStyles) && task != Task.TRANSFER) {
        problem(
            "task",
            JsonNodeFactory.instance.textNode(task.key()),
            "regions (spatial control) need task transfer");
        return;
      }
      Set<String> allNames = new HashSet<>();
      contents.forEach(c -> allNames.addAll(Spatial.masks(c).keySet()));
      for (int j = 0; j < styles.size(); j++) {
        if (!Spatial.isRegionStyle(styles.get(j))) {
          continue;
        }
        Set<String> assigned = Spatial.regionStyles(styles.get(j)).keySet();
        for (String name : assigned) {
          if (!allNames.contains(name)) {
            problem(
                "styles[" + j + "].regions." + name,
                null,
                "no content has a region named '"
                    + name
                    + "'"
                    + (allNames.isEmpty()
                        ? ""
                        : "; regions: " + new java.util.TreeSet<>(allNames)));
          }
        }
        for (int i = 0; i < contents.size(); i++) {
          List<String> names = new ArrayList<>(Spatial.masks(contents.get(i)).keySet());
          if (names.isEmpty()) {
            problem(
                "styles[" + j + "]",
                null,
                "assigns styles to regions, but contents["
                    + i
                    + "] has none; give it {image: ..., regions: [...]} or sweep it in another"
                    + " manifest");
          }
          for (int k = 0; k < names.size(); k++) {
            if (!assigned.contains(names.get(k))) {
              problem(
                  "contents[" + i + "].regions[" + k + "].name",
                  JsonNodeFactory.instance.textNode(names.get(k)),
                  "region '"
                      + names.get(k)
                      + "' has no style in styles["
                      + j
                      + "] (it assigns "
                      + String.join(", ", assigned)
                      + ")");
            }
          }
        }
      }
    }

    /** Why a feed-forward task takes no {@code {blend: [...]}} style, and what to write instead. */
    static String feedForwardBlend(Task task) {
      return switch (task) {
        case STYLIZE ->
            "task stylize applies one trained network per styles entry and cannot blend them;"
                + " list each model file as its own entry";
        default ->
            "task "
                + task.key()
                + " trains one network per style image and cannot blend styles; list the images"
                + " as separate entries (one network each), or blend them with task "
                + (task == Task.TRAIN_TEXTURE ? "texture" : "transfer");
      };
    }

    /**
     * What the feed-forward tasks (train_style, train_texture, stylize) cannot do besides blends
     * (refused in {@link #inputs}) and the per-run keys ({@link RunParamsCheck#RULES}): videos,
     * whose runs are optimisation runs, and halving, which ranks by quality measures these runs do
     * not have.
     */
    void feedForwardChecks(Task task) {
      if (!task.feedForward()) {
        return;
      }
      JsonNode videos = root.get("videos");
      if (videos != null && !videos.isNull() && !(videos.isArray() && videos.isEmpty())) {
        problem(
            "videos",
            null,
            "task "
                + task.key()
                + " does not style videos (video runs are optimisation runs with the temporal"
                + " loss); move the videos to a manifest with task transfer");
      }
      JsonNode halving = root.get("halving");
      if (halving != null && !halving.isNull()) {
        problem(
            "halving",
            null,
            "task "
                + task.key()
                + " runs have no quality measures to rank by; remove the halving block (every"
                + " setting then runs in full)");
      }
    }

    /**
     * Each blend's image count against {@code style_blend_weights} in the defaults and every swept
     * value.
     */
    void blendChecks(
        List<String> styles, Map<String, Object> defaults, Map<String, List<Object>> sweep) {
      String key = Params.STYLE_BLEND_WEIGHTS.key();
      List<Object> values = sweep.containsKey(key) ? sweep.get(key) : List.of(defaults.get(key));
      String path = (sweep.containsKey(key) ? "sweep." : "defaults.") + key;
      Set<String> reported = new HashSet<>();
      for (int i = 0; i < styles.size(); i++) {
        int n = StyleBlend.members(styles.get(i)).size();
        for (Object value : values) {
          @SuppressWarnings("unchecked")
          List<Double> weights = (List<Double>) value;
          String message = StyleBlend.problem(weights, n);
          if (message != null && reported.add(weights + "/" + n)) {
            problem(path, JSON.valueToTree(weights), message + " (styles[" + i + "])");
          }
        }
      }
    }

    /** One entry expanded; null (with a problem) when it cannot be. */
    InputExpander.Expansion expand(String path, JsonNode node, String text) {
      Path resolved;
      try {
        resolved = new Path(base, text);
      } catch (RuntimeException e) {
        problem(path, node, "not a valid path or URI: " + e.getMessage());
        return null;
      }
      try {
        return new InputExpander(conf).expand(resolved);
      } catch (IOException | RuntimeException e) {
        problem(path, node, "cannot list " + resolved + ": " + e.getMessage());
        return null;
      }
    }

    boolean allowEmpty() {
      JsonNode node = root.get("allow_empty");
      if (node == null || node.isNull()) {
        return false;
      }
      if (!node.isBoolean()) {
        problem("allow_empty", node, "expected true or false");
        return false;
      }
      return node.booleanValue();
    }

    /** The manifest's defaults over the table's defaults for the model's normalization. */
    Map<String, Object> defaults(Normalization normalization) {
      Map<String, Object> values = new LinkedHashMap<>(RunParams.defaults(normalization).values());
      JsonNode node = root.get("defaults");
      if (node == null || node.isNull()) {
        return values;
      }
      if (!node.isObject()) {
        problem("defaults", node, "expected a mapping of run parameters, e.g. steps: 300");
        return values;
      }
      unknownKeys(node, "defaults.", Params.keys());
      boolean ok = true;
      for (Param<?> key : Params.ALL) {
        JsonNode value = node.get(key.key());
        if (value == null) {
          continue;
        }
        Optional<Object> parsed = parse(key, value, "defaults." + key.key());
        if (parsed.isPresent()) {
          values.put(key.key(), parsed.get());
        } else {
          ok = false;
        }
      }
      return ok ? values : null;
    }

    LinkedHashMap<String, List<Object>> sweep() {
      LinkedHashMap<String, List<Object>> sweep = new LinkedHashMap<>();
      JsonNode node = root.get("sweep");
      if (node == null || node.isNull()) {
        return sweep;
      }
      if (!node.isObject()) {
        problem(
            "sweep",
            node,
            "expected a mapping of defaults keys to lists of values, e.g. seed: [0, 1]");
        return sweep;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        String path = "sweep." + entry.getKey();
        Param<?> key = Params.byKey(entry.getKey());
        if (key == null) {
          if (entry.getKey().equals("contents") || entry.getKey().equals("styles")) {
            problem(
                path, null, "contents and styles are always crossed; list them at the top level");
          } else {
            unknown(path, entry.getKey(), Params.keys(), "a key of defaults");
          }
          continue;
        }
        JsonNode list = entry.getValue();
        if (!list.isArray()) {
          problem(path, list, "expected a list of values to sweep, e.g. [" + show(list) + "]");
          continue;
        }
        if (list.isEmpty()) {
          problem(
              path, list, "an empty list gives no runs; list at least one value or remove the key");
          continue;
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
          JsonNode element = list.get(i);
          // A list key's values are lists; a bare name stands for a list of one (an ablation axis).
          parse(key, element, path + "[" + i + "]")
              .ifPresent(
                  parsed -> {
                    int first = values.indexOf(parsed);
                    if (first >= 0) {
                      problem(
                          path + "[" + values.size() + "]",
                          element,
                          "repeats " + path + "[" + first + "]; the runs would be identical");
                    }
                    values.add(parsed);
                  });
        }
        if (values.size() == list.size()) {
          sweep.put(key.key(), values);
        }
      }
      return sweep;
    }

    List<GridSpec> grids() {
      List<GridSpec> grids = new ArrayList<>();
      JsonNode node = root.get("grids");
      if (node == null || node.isNull()) {
        return grids;
      }
      if (!node.isArray()) {
        problem("grids", node, "expected a list such as [{rows: content, cols: style}]");
        return grids;
      }
      List<String> axes = GridSpec.AXES;
      for (int i = 0; i < node.size(); i++) {
        JsonNode grid = node.get(i);
        String path = "grids[" + i + "]";
        if (!grid.isObject()) {
          problem(path, grid, "expected {rows: <axis>, cols: <axis>}");
          continue;
        }
        unknownKeys(grid, path + ".", GRID_KEYS);
        if (!grid.has("rows") && !grid.has("cols")) {
          problem(path, grid, "names no axis; give rows and/or cols (one alone makes a strip)");
          continue;
        }
        String rows = grid.has("rows") ? axis(grid, path + ".rows", axes) : null;
        String cols = grid.has("cols") ? axis(grid, path + ".cols", axes) : null;
        boolean bad = (grid.has("rows") && rows == null) || (grid.has("cols") && cols == null);
        if (!bad) {
          if (rows != null && rows.equals(cols)) {
            problem(path, grid, "rows and cols must be different axes");
          } else {
            grids.add(new GridSpec(rows, cols));
          }
        }
      }
      return grids;
    }

    String axis(JsonNode grid, String path, List<String> axes) {
      JsonNode node = grid.get(path.substring(path.lastIndexOf('.') + 1));
      if (node == null || !node.isTextual()) {
        problem(path, node, "expected an axis: content, style or a defaults key");
        return null;
      }
      String axis = node.asText().trim();
      if (!axes.contains(axis)) {
        unknown(path, axis, axes, "an axis (content, style or a defaults key)");
        return null;
      }
      return axis;
    }

    /** Checks that need several keys at once, over every value a key takes in the sweep. */
    @SuppressWarnings("unchecked")
    /**
     * The shared cross-key rules ({@link RunParamsCheck#RULES}) over every combination of the
     * values the rule's keys take (the sweep's values, else the default): cheap, since a rule reads
     * one or two keys, and each problem is reported once, at the field that holds the value.
     */
    void crossChecks(Task task, Map<String, Object> defaults, Map<String, List<Object>> sweep) {
      RunParams base = RunParams.of(defaults);
      for (RunParamsCheck.Rule rule : RunParamsCheck.RULES) {
        Set<String> reported = new HashSet<>();
        for (RunParams combination : combinations(base, rule.keys(), sweep)) {
          ParamProblem problem = rule.apply(task, combination);
          if (problem != null) {
            String path =
                (sweep.containsKey(problem.key()) ? "sweep." : "defaults.") + problem.key();
            JsonNode value = JSON.valueToTree(problem.value());
            if (reported.add(path + "=" + value + ":" + problem.message())) {
              problem(path, value, problem.message());
            }
          }
        }
      }
    }

    /** {@code base} with every combination of the swept values of {@code keys}. */
    List<RunParams> combinations(
        RunParams base, List<Param<?>> keys, Map<String, List<Object>> sweep) {
      List<RunParams> result = List.of(base);
      for (Param<?> key : keys) {
        List<Object> values = sweep.get(key.key());
        if (values == null) {
          continue;
        }
        List<RunParams> next = new ArrayList<>();
        for (RunParams r : result) {
          for (Object value : values) {
            Map<String, Object> changed = new LinkedHashMap<>(r.values());
            changed.put(key.key(), value);
            next.add(RunParams.of(changed));
          }
        }
        result = next;
      }
      return result;
    }

    Optional<Object> parse(Param<?> key, JsonNode value, String path) {
      if (value.isNull()) {
        problem(path, null, "has no value; give a " + key.type() + " or remove the key");
        return Optional.empty();
      }
      Object parsed;
      try {
        parsed = key.parse(value);
      } catch (IllegalArgumentException e) {
        problem(path, value, e.getMessage() + " (" + key.type() + ")");
        return Optional.empty();
      }
      if (key.key().endsWith("_layers")) {
        return canonicalLayers(parsed, value, path);
      }
      return Optional.of(parsed);
    }

    /** Layer names in canonical spelling, so that an alias and its name give the same run id. */
    Optional<Object> canonicalLayers(Object parsed, JsonNode value, String path) {
      List<String> canonical = new ArrayList<>();
      boolean ok = true;
      for (Object name : (List<?>) parsed) {
        try {
          canonical.add(layers.canonical((String) name));
        } catch (IllegalArgumentException e) {
          problem(path, JsonNodeFactory.instance.textNode((String) name), e.getMessage());
          ok = false;
        }
      }
      return ok ? Optional.of(List.copyOf(canonical)) : Optional.empty();
    }

    <T> T choice(JsonNode node, String path, T fallback, Function<String, T> parser) {
      if (node == null || node.isNull()) {
        return fallback;
      }
      if (!node.isTextual()) {
        problem(path, node, "expected a text value");
        return fallback;
      }
      try {
        return parser.apply(node.asText());
      } catch (IllegalArgumentException e) {
        problem(path, node, e.getMessage());
        return fallback;
      }
    }

    void unknownKeys(JsonNode node, String prefix, List<String> valid) {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String key = it.next();
        if (!valid.contains(key)) {
          unknown(prefix + key, key, valid, "a valid key");
        }
      }
    }

    void unknown(String path, String word, List<String> valid, String what) {
      String hint =
          Suggestions.closest(word, valid)
              .map(s -> "did you mean '" + s + "'?")
              .orElse("expected " + what + ": " + String.join(", ", valid));
      String suffix = overridden.contains(path) ? " (from --set " + path + ")" : "";
      problems.add(new Problem(path, null, "unknown key '" + word + "'; " + hint + suffix));
    }
  }

  private static String extensions() {
    return "*." + String.join(", *.", new java.util.TreeSet<>(InputExpander.IMAGE_EXTENSIONS));
  }

  private static String show(JsonNode value) {
    if (value.isBigDecimal()) {
      return value.decimalValue().toString().replace("E+", "e");
    }
    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
      double d = value.doubleValue();
      return Double.isNaN(d) ? ".nan" : d > 0 ? ".inf" : "-.inf";
    }
    if (value.isTextual()) {
      return "'" + value.asText() + "'";
    }
    if (value.isPojo()) {
      return String.valueOf(((com.fasterxml.jackson.databind.node.POJONode) value).getPojo());
    }
    return value.toString();
  }
}
