package org.stylesweep.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;
import org.stylesweep.spec.VideoInput;
import org.stylesweep.spec.VideoRunSpec;

/**
 * The video runs of a plan: every clip of {@code videos:} × every style × every sweep combination,
 * in that order. A run's id is a {@link RunIds} id whose content hash is over the clip's bytes (a
 * folder's: its files' names and bytes) and its frame selection, so a rerun finds its frames.
 */
public final class VideoPlanner {
  private VideoPlanner() {}

  /**
   * @throws ManifestException naming the clip when it cannot be read
   */
  public static List<VideoRunSpec> plan(SweepPlan plan, Configuration conf)
      throws ManifestException {
    Manifest manifest = plan.manifest();
    List<VideoRunSpec> runs = new ArrayList<>();
    for (VideoInput video : manifest.videos()) {
      String clipSha;
      try {
        clipSha = clipSha256(video, conf);
      } catch (IOException e) {
        throw new ManifestException(
            manifest.source(),
            List.of(new Problem("videos", video.uri(), "cannot read it: " + e.getMessage())));
      }
      String selection =
          "video:" + clipSha + ":" + video.start() + ":" + video.count() + ":" + video.stride();
      String contentSha = RunIds.sha256(selection);
      for (String style : manifest.styles()) {
        for (Map<String, Object> combination : SweepPlanner.product(manifest)) {
          Map<String, Object> values = new LinkedHashMap<>(manifest.defaults().values());
          values.putAll(combination);
          RunParams params = RunParams.of(values);
          String id =
              RunIds.of(
                  Task.TRANSFER, plan.model(), contentSha, plan.inputSha256().get(style), params);
          String framesId =
              RunIds.sha256(selection + ":" + params.get(Params.IMAGE_SIZE)).substring(0, 16);
          runs.add(
              new VideoRunSpec(id, manifest.name(), video, framesId, style, plan.model(), params));
        }
      }
    }
    return runs;
  }

  private static String clipSha256(VideoInput video, Configuration conf) throws IOException {
    if (!video.isFrames()) {
      Path path = new Path(video.uri());
      try (InputStream in = HadoopFiles.fileSystem(path, conf).open(path)) {
        return RunIds.sha256(in);
      }
    }
    Path pattern = video.uri().endsWith("/") ? new Path(video.uri(), "*") : new Path(video.uri());
    FileStatus[] files = HadoopFiles.fileSystem(pattern, conf).globStatus(pattern);
    StringBuilder all = new StringBuilder("frames:");
    if (files != null) {
      java.util.Arrays.sort(files, java.util.Comparator.comparing(f -> f.getPath().getName()));
      for (FileStatus f : files) {
        if (f.isFile()) {
          try (InputStream in = HadoopFiles.fileSystem(f.getPath(), conf).open(f.getPath())) {
            all.append(f.getPath().getName()).append('=').append(RunIds.sha256(in)).append(';');
          }
        }
      }
    }
    return RunIds.sha256(all.toString());
  }
}
