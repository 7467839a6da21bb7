package org.stylesweep.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;

/**
 * The durable record of one stylised frame of a video run, written (after its image) before the
 * frame counts as done: a rerun or a resumed chain skips every frame with an OK record.
 *
 * @param runId the video run
 * @param frame the frame's index in the run (0 = the first selected frame)
 * @param status OK or FAILED
 * @param error why it failed, or null
 * @param loss total loss at the result
 * @param contentLoss weighted content loss at the result
 * @param styleLoss weighted style loss at the result
 * @param evaluations loss evaluations made
 * @param seconds wall time of the frame
 * @param warmStart whether the frame started from the previous stylised frame warped
 */
public record FrameRecord(
    String runId,
    int frame,
    String status,
    String error,
    double loss,
    double contentLoss,
    double styleLoss,
    int evaluations,
    double seconds,
    boolean warmStart) {

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Whether the frame finished. */
  public boolean ok() {
    return Schemas.OK.equals(status);
  }

  /** Writes the record durably (atomic rename, or one PUT on S3). */
  public void write(Path target, Configuration conf) throws IOException {
    try {
      HadoopFiles.writeDurably(
          target, (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8), conf);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record at {@code path}, or null when there is none or it does not parse. */
  public static FrameRecord read(Path path, Configuration conf) throws IOException {
    if (!HadoopFiles.exists(path, conf)) {
      return null;
    }
    try {
      return JSON.readValue(HadoopFiles.readAll(path, conf), FrameRecord.class);
    } catch (IOException e) {
      return null; // a torn or foreign file: the frame is computed again
    }
  }
}
