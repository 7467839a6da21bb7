package org.stylesweep.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.spec.VideoInput;

/**
 * The manifest's top-level {@code videos:} list: each entry a path (an mp4 or other container, a
 * folder of frames ending in {@code /}, or a glob of frame images), relative to the manifest like
 * {@code contents}, or a mapping {@code {path, start, count, stride, fps}}.
 */
final class VideoEntries {
  private VideoEntries() {}

  static final List<String> KEYS = List.of("path", "start", "count", "stride", "fps");

  /** Receives a problem: the field path, the value (or null) and what to do. */
  interface Problems {
    void add(String path, JsonNode value, String message);
  }

  /** The entries, resolved and checked; problems name {@code videos[i].field}. */
  static List<VideoInput> parse(JsonNode node, Path base, Configuration conf, Problems problems) {
    List<VideoInput> videos = new ArrayList<>();
    if (node == null || node.isNull()) {
      return videos;
    }
    if (!node.isArray()) {
      problems.add(
          "videos", node, "expected a list of clips: paths, or {path, start, count, stride, fps}");
      return videos;
    }
    for (int i = 0; i < node.size(); i++) {
      String at = "videos[" + i + "]";
      JsonNode entry = node.get(i);
      JsonNode pathNode = entry.isObject() ? entry.get("path") : entry;
      if (entry.isObject()) {
        entry
            .fieldNames()
            .forEachRemaining(
                k -> {
                  if (!KEYS.contains(k)) {
                    problems.add(at + "." + k, null, "unknown key; a video takes " + KEYS);
                  }
                });
      }
      String pathAt = entry.isObject() ? at + ".path" : at;
      if (pathNode == null || !pathNode.isTextual() || pathNode.asText().isBlank()) {
        problems.add(
            pathAt, pathNode, "expected the clip's path (an mp4, a folder/ of frames or a glob)");
        continue;
      }
      String text = pathNode.asText().trim();
      String uri;
      try {
        uri = HadoopFiles.qualify(new Path(base, text), conf).toString();
      } catch (RuntimeException e) {
        problems.add(pathAt, pathNode, "not a valid path or URI: " + e.getMessage());
        continue;
      }
      if (text.endsWith("/") && !uri.endsWith("/")) {
        uri = uri + "/";
      }
      int start = intField(entry, "start", 0, 0, at, problems);
      int count = intField(entry, "count", 0, 0, at, problems);
      int stride = intField(entry, "stride", 1, 1, at, problems);
      double fps = 0;
      JsonNode fpsNode = entry.isObject() ? entry.get("fps") : null;
      if (fpsNode != null && !fpsNode.isNull()) {
        if (!fpsNode.isNumber() || fpsNode.asDouble() <= 0 || fpsNode.asDouble() > 240) {
          problems.add(at + ".fps", fpsNode, "expected a frame rate in (0, 240], e.g. 12");
        } else {
          fps = fpsNode.asDouble();
        }
      }
      VideoInput input = new VideoInput(uri, start, count, stride, fps);
      String missing = missing(input, conf);
      if (missing != null) {
        problems.add(pathAt, pathNode, missing + " (paths are relative to the manifest)");
        continue;
      }
      if (videos.stream().anyMatch(v -> v.equals(input))) {
        problems.add(
            at, entry, "the same clip and frame selection as an earlier entry; list it once");
        continue;
      }
      videos.add(input);
    }
    return videos;
  }

  /** The entry as the effective manifest writes it. */
  static Map<String, Object> spelled(VideoInput v) {
    Map<String, Object> map = new java.util.LinkedHashMap<>();
    map.put("path", v.uri());
    map.put("start", v.start());
    map.put("count", v.count());
    map.put("stride", v.stride());
    if (v.fps() > 0) {
      map.put("fps", v.fps());
    }
    return map;
  }

  private static String missing(VideoInput input, Configuration conf) {
    try {
      if (!input.isFrames()) {
        return HadoopFiles.exists(new Path(input.uri()), conf)
            ? null
            : "video file not found: " + input.uri();
      }
      Path pattern = input.uri().endsWith("/") ? new Path(input.uri(), "*") : new Path(input.uri());
      FileStatus[] matches = HadoopFiles.fileSystem(pattern, conf).globStatus(pattern);
      return matches != null && matches.length > 0
          ? null
          : "the video frames " + input.uri() + " match no file";
    } catch (IOException | RuntimeException e) {
      return "cannot check " + input.uri() + ": " + e.getMessage();
    }
  }

  private static int intField(
      JsonNode entry, String key, int def, int min, String at, Problems problems) {
    JsonNode node = entry.isObject() ? entry.get(key) : null;
    if (node == null || node.isNull()) {
      return def;
    }
    if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < min) {
      problems.add(at + "." + key, node, "expected a whole number >= " + min);
      return def;
    }
    return node.asInt();
  }
}
