package org.stylesweep.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A grid the manifest asks for by name: {@code grids: [{rows: content, cols: style}]}. Either axis
 * may be left out (a single row or column); axes are {@code content}, {@code style} or any run
 * parameter key.
 *
 * @param rows axis down the left, or null
 * @param cols axis across the top, or null
 */
record GridAxes(String rows, String cols) {

  /**
   * Reads the {@code grids} list of the manifest copy in the output folder; none when the file or
   * the key is absent.
   *
   * @throws IllegalArgumentException naming the entry and the bad value
   */
  static List<GridAxes> readManifest(Path manifest, Configuration conf) throws IOException {
    FileSystem fs = manifest.getFileSystem(conf);
    if (!fs.exists(manifest)) {
      return List.of();
    }
    JsonNode root;
    try (InputStream in = fs.open(manifest)) {
      root = new ObjectMapper(new YAMLFactory()).readTree(in);
    } catch (IOException e) {
      throw new IOException("cannot parse " + manifest + " as YAML: " + e.getMessage(), e);
    }
    return parse(root == null ? null : root.get("grids"), manifest.toString());
  }

  /** Parses and checks a {@code grids} node; {@code source} names the file in errors. */
  static List<GridAxes> parse(JsonNode grids, String source) {
    if (grids == null || grids.isNull()) {
      return List.of();
    }
    if (!grids.isArray()) {
      throw new IllegalArgumentException(
          source + ": 'grids' must be a list like [{rows: content, cols: style}], got " + grids);
    }
    List<GridAxes> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < grids.size(); i++) {
      JsonNode grid = grids.get(i);
      String where = source + ": grids[" + i + "]";
      if (!grid.isObject()) {
        problems.add(where + " must be a mapping with 'rows' and/or 'cols', got " + grid);
        continue;
      }
      grid.fieldNames().forEachRemaining(key -> {
        if (!key.equals("rows") && !key.equals("cols")) {
          problems.add(where + ": unknown key '" + key + "'; expected 'rows' and/or 'cols'");
        }
      });
      String rows = axis(grid, "rows", where, problems);
      String cols = axis(grid, "cols", where, problems);
      if (rows == null && cols == null) {
        problems.add(where + " names no axis; give 'rows' and/or 'cols'");
      } else if (rows != null && rows.equals(cols)) {
        problems.add(where + ": rows and cols are both '" + rows + "'; pick two different axes");
      } else {
        out.add(new GridAxes(rows, cols));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return List.copyOf(out);
  }

  private static String axis(JsonNode grid, String key, String where, List<String> problems) {
    JsonNode node = grid.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    String axis = node.asText().trim();
    if (!node.isTextual() || !Axes.isAxis(axis)) {
      problems.add(where + "." + key + ": unknown axis '" + node.asText() + "'; expected one of " + Axes.ALL);
      return null;
    }
    return axis;
  }
}
