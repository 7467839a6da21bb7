package org.stylesweep.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;

/**
 * The run history of an output folder: {@code <out>/history.jsonl}, one JSON line per {@code run}
 * into it, oldest first, so a user of a scheduled sweep sees what each run did. Written under the
 * folder's lock by reading the file and writing it back durably (object stores cannot append).
 */
public final class RunHistory {
  private static final Logger LOG = LoggerFactory.getLogger(RunHistory.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunHistory() {}

  /**
   * One {@code run}.
   *
   * @param at when it started (UTC)
   * @param planned runs in the manifest as expanded by this run
   * @param skipped runs already OK before it, not computed again
   * @param computed runs it computed
   * @param failed planned runs FAILED after it
   * @param seconds how long it took, planning on the driver excluded
   * @param inputs the input images its contents and styles expanded to
   * @param earlier rows kept from earlier runs whose inputs are gone (0 after a prune)
   * @param pruned rows of gone inputs this run pruned
   * @param videoFrames frames of the manifest's video runs (0 without videos)
   * @param videoComputed video frames it computed
   * @param videoFailed video frames FAILED after it
   */
  public record Entry(
      Instant at,
      int planned,
      int skipped,
      int computed,
      long failed,
      double seconds,
      int inputs,
      long earlier,
      long pruned,
      int videoFrames,
      int videoComputed,
      long videoFailed) {

    /** Without video runs. */
    public Entry(
        Instant at,
        int planned,
        int skipped,
        int computed,
        long failed,
        double seconds,
        int inputs,
        long earlier,
        long pruned) {
      this(at, planned, skipped, computed, failed, seconds, inputs, earlier, pruned, 0, 0, 0);
    }

    /** The line as a person reads it. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "%s  planned %d, skipped %d, computed %d, failed %d, %.1f s, %d inputs%s%s%s",
          WHEN.format(at),
          planned,
          skipped,
          computed,
          failed,
          seconds,
          inputs,
          earlier > 0 ? ", " + earlier + " rows from earlier runs" : "",
          pruned > 0 ? ", " + pruned + " pruned" : "",
          videoFrames > 0
              ? String.format(
                  Locale.ROOT,
                  "; video frames %d (computed %d, failed %d)",
                  videoFrames,
                  videoComputed,
                  videoFailed)
              : "");
    }

    String toJson() {
      ObjectNode line = JSON.createObjectNode();
      line.put("at", at.toString());
      line.put("planned", planned);
      line.put("skipped", skipped);
      line.put("computed", computed);
      line.put("failed", failed);
      line.put("seconds", Math.round(seconds * 1000) / 1000.0);
      line.put("inputs", inputs);
      line.put("earlier", earlier);
      line.put("pruned", pruned);
      if (videoFrames > 0) {
        line.put("video_frames", videoFrames);
        line.put("video_computed", videoComputed);
        line.put("video_failed", videoFailed);
      }
      try {
        return JSON.writeValueAsString(line);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    static Entry fromJson(JsonNode n) {
      return new Entry(
          Instant.parse(n.path("at").asText()),
          n.path("planned").asInt(),
          n.path("skipped").asInt(),
          n.path("computed").asInt(),
          n.path("failed").asLong(),
          n.path("seconds").asDouble(),
          n.path("inputs").asInt(),
          n.path("earlier").asLong(),
          n.path("pruned").asLong(),
          n.path("video_frames").asInt(),
          n.path("video_computed").asInt(),
          n.path("video_failed").asLong());
    }
  }

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /** The history file of the output folder {@code out}. */
  public static Path file(Path out) {
    return new Path(out, OutputLayout.HISTORY);
  }

  /** Adds one line at the end. Call it holding the folder's lock. */
  public static void append(Path out, Entry entry, Configuration conf) throws IOException {
    Path file = file(out);
    String existing =
        HadoopFiles.exists(file, conf)
            ? new String(HadoopFiles.readAll(file, conf), StandardCharsets.UTF_8)
            : "";
    if (!existing.isEmpty() && !existing.endsWith("\n")) {
      existing += "\n";
    }
    HadoopFiles.writeDurably(
        file, (existing + entry.toJson() + "\n").getBytes(StandardCharsets.UTF_8), conf);
  }

  /**
   * Every entry, oldest first; none when the folder has no history (written before it existed). A
   * line that does not parse is skipped with a warning.
   */
  public static List<Entry> read(Path out, Configuration conf) throws IOException {
    Path file = file(out);
    List<Entry> entries = new ArrayList<>();
    if (!HadoopFiles.exists(file, conf)) {
      return entries;
    }
    String text = new String(HadoopFiles.readAll(file, conf), StandardCharsets.UTF_8);
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        entries.add(Entry.fromJson(JSON.readTree(line)));
      } catch (IOException | RuntimeException e) {
        LOG.warn("{}: a line does not parse ({}); skipped", file, e.getMessage());
      }
    }
    return entries;
  }
}
