package org.stylesweep.spark;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.stylesweep.manifest.RunParams;
import org.stylesweep.manifest.RunSpec;
import org.stylesweep.transfer.TransferResult;

/**
 * The durable per-run record ({@code <out>/records/<run_id>.json}): one row of {@link
 * Schemas#METRICS}, field for field and in the same order, as JSON. Records are the source of truth;
 * the Parquet table is rebuilt from them.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder(alphabetic = false)
public record RunRecord(
    @JsonProperty("run_id") String runId,
    @JsonProperty("sweep") String sweep,
    @JsonProperty("task") String task,
    @JsonProperty("content") String content,
    @JsonProperty("style") String style,
    @JsonProperty("image_size") int imageSize,
    @JsonProperty("style_scale") double styleScale,
    @JsonProperty("steps") int steps,
    @JsonProperty("optimizer") String optimizer,
    @JsonProperty("line_search") String lineSearch,
    @JsonProperty("lr") double lr,
    @JsonProperty("content_layers") List<String> contentLayers,
    @JsonProperty("style_layers") List<String> styleLayers,
    @JsonProperty("style_layer_weights") List<Double> styleLayerWeights,
    @JsonProperty("content_weight") double contentWeight,
    @JsonProperty("style_weight") double styleWeight,
    @JsonProperty("tv_weight") double tvWeight,
    @JsonProperty("gram_norm") String gramNorm,
    @JsonProperty("content_loss") String contentLoss,
    @JsonProperty("init") String init,
    @JsonProperty("clamp") String clamp,
    @JsonProperty("seed") long seed,
    @JsonProperty("weights_id") String weightsId,
    @JsonProperty("normalization") String normalization,
    @JsonProperty("pooling") String pooling,
    @JsonProperty("status") String status,
    @JsonProperty("error") String error,
    @JsonProperty("stop_reason") String stopReason,
    @JsonProperty("evaluations") int evaluations,
    @JsonProperty("final_loss") Double finalLoss,
    @JsonProperty("final_content_loss") Double finalContentLoss,
    @JsonProperty("final_style_loss") Double finalStyleLoss,
    @JsonProperty("loss_history") float[] lossHistory,
    @JsonProperty("content_loss_history") float[] contentLossHistory,
    @JsonProperty("style_loss_history") float[] styleLossHistory,
    @JsonProperty("seconds_setup") double secondsSetup,
    @JsonProperty("seconds_total") double secondsTotal,
    @JsonProperty("ms_per_evaluation") double msPerEvaluation,
    @JsonProperty("device") String device,
    @JsonProperty("executor_id") String executorId,
    @JsonProperty("host") String host,
    @JsonProperty("started_at") String startedAt,
    @JsonProperty("image_path") String imagePath,
    @JsonProperty("width") Integer width,
    @JsonProperty("height") Integer height) {

  /** Format of {@code started_at}: UTC with milliseconds, which Spark's JSON reader parses as a timestamp. */
  public static final String TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern(TIMESTAMP_FORMAT).withZone(ZoneOffset.UTC);

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where and when a run executed.
   *
   * @param device DJL device name, e.g. {@code cpu()}, or null when it never got that far
   * @param executorId Spark executor id ({@code driver} in local mode)
   * @param host the executor's host name
   * @param startedAt when the task began
   */
  public record Context(String device, String executorId, String host, Instant startedAt) {}

  /**
   * The record of a run from its spec and outcome.
   *
   * @param result the transfer's outcome, or null when the run failed before the transfer started
   * @param error null for a successful run, else why it failed
   * @param imagePath where the result image was written, relative to the output folder, or null
   * @param secondsSetup model loading, image decoding and the transfer's own setup
   * @param secondsTotal the whole task
   */
  public static RunRecord of(RunSpec spec, TransferResult result, String error, String imagePath,
      double secondsSetup, double secondsTotal, Context context) {
    RunParams p = spec.params();
    boolean ok = error == null;
    float[] loss = result == null || result.lossHistory() == null ? new float[0] : result.lossHistory();
    float[] content = result == null || result.contentLossHistory() == null ? new float[0] : result.contentLossHistory();
    float[] style = result == null || result.styleLossHistory() == null ? new float[0] : result.styleLossHistory();
    return new RunRecord(
        spec.runId(), spec.sweep(), spec.task().key(), spec.content(), spec.style(),
        p.imageSize(), p.styleScale(), p.steps(), p.optimizer().key(), p.lineSearch().key(), p.lr(),
        p.contentLayers(), p.styleLayers(), p.styleLayerWeights(),
        p.contentWeight(), p.styleWeight(), p.tvWeight(),
        p.gramNorm().key(), p.contentLoss().key(), p.init().key(), p.clamp().key(), p.seed(),
        spec.model().weightsId(), spec.model().normalization().key(), spec.model().pooling().key(),
        ok ? Schemas.OK : Schemas.FAILED, error,
        result == null || result.stopReason() == null ? null : result.stopReason().key(),
        result == null ? 0 : result.evaluations(),
        ok ? at(loss, result.resultEvaluation()) : null,
        ok ? at(content, result.resultEvaluation()) : null,
        ok ? at(style, result.resultEvaluation()) : null,
        loss, content, style,
        secondsSetup, secondsTotal, result == null ? 0.0 : result.msPerEvaluation(),
        context.device(), context.executorId(), context.host(),
        TIMESTAMP.format(context.startedAt()),
        ok ? imagePath : null,
        ok && result.image() != null ? result.image().getWidth() : null,
        ok && result.image() != null ? result.image().getHeight() : null);
  }

  /** True when the run finished with an image. */
  public boolean ok() {
    return Schemas.OK.equals(status);
  }

  /** The record as one line of JSON. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a record written by {@link #toJson()}. */
  public static RunRecord fromJson(String json) {
    try {
      return JSON.readValue(json, RunRecord.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not a run record: " + e.getOriginalMessage(), e);
    }
  }

  /** The loss at the result's evaluation (1-based), else the last one. */
  private static Double at(float[] values, int evaluation) {
    if (evaluation >= 1 && evaluation <= values.length) {
      return (double) values[evaluation - 1];
    }
    return values.length == 0 ? null : (double) values[values.length - 1];
  }
}
