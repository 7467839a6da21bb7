package org.stylesweep.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;

/**
 * The status of planned runs read straight from an output folder's records, without Spark: one
 * listing of {@code records/}, then one read per planned run that has a record. For {@code
 * validate}, which says per input how many runs are new and how many already OK.
 */
public final class RecordStatuses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RecordStatuses() {}

  /**
   * The status (OK or FAILED) of each of {@code runIds} that has a record under {@code out}; none
   * when the folder or its records do not exist. A record that does not parse is left out (its run
   * counts as not done, as in {@code run}).
   */
  public static Map<String, String> read(Path out, Collection<String> runIds, Configuration conf)
      throws IOException {
    Map<String, String> statuses = new HashMap<>();
    Path records = new Path(out, OutputLayout.RECORDS);
    FileSystem fs = HadoopFiles.fileSystem(records, conf);
    FileStatus[] files;
    try {
      files = fs.listStatus(records);
    } catch (FileNotFoundException absent) {
      return statuses;
    }
    Set<String> wanted = new HashSet<>(runIds);
    for (FileStatus file : files) {
      String name = file.getPath().getName();
      if (!file.isFile() || !name.endsWith(".json")) {
        continue;
      }
      String id = name.substring(0, name.length() - ".json".length());
      if (!wanted.contains(id)) {
        continue;
      }
      try {
        JsonNode record = JSON.readTree(HadoopFiles.readAll(file.getPath(), conf));
        String status = record.path("status").asText(null);
        if (id.equals(record.path("run_id").asText(null)) && status != null) {
          statuses.put(id, status);
        }
      } catch (IOException e) {
        // Unparsable: not done.
      }
    }
    return statuses;
  }
}
