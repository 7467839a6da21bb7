package org.stylesweep.spark;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.transfer.QualityMetrics;
import org.stylesweep.transfer.StageOutcome;
import org.stylesweep.transfer.TransferResult;

/**
 * The durable per-run record ({@code <out>/records/<run_id>.json}): one row of {@link
 * Schemas#METRICS}, field for field and in the same order, as JSON. Records are the source of
 * truth; the Parquet table is rebuilt from them.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder(alphabetic = false)
public record RunRecord(
    @JsonProperty("run_id") String runId,
    @JsonProperty("sweep") String sweep,
    @JsonProperty("task") String task,
    @JsonProperty("content") String content,
    @JsonProperty("style") String style,
    @JsonIgnore RunParams params,
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
    @JsonProperty("height") Integer height,
    @JsonProperty("stage_evaluations") List<Integer> stageEvaluations,
    @JsonProperty("stage_losses") List<Double> stageLosses,
    @JsonProperty("stage_seconds") List<Double> stageSeconds,
    @JsonProperty("stage_images") List<String> stageImages,
    @JsonProperty("peak_memory_bytes") Long peakMemoryBytes,
    @JsonProperty("memory_estimate_bytes") Long memoryEstimateBytes,
    @JsonIgnore Map<String, Double> quality) {

  /** The record with no quality measures (an empty map, never null). */
  public RunRecord {
    quality = quality == null ? Map.of() : Map.copyOf(quality);
  }

  /**
   * Format of {@code started_at}: UTC with milliseconds, which Spark's JSON reader parses as a
   * timestamp.
   */
  public static final String TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern(TIMESTAMP_FORMAT).withZone(ZoneOffset.UTC);

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

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
   *     (then its stop reason is {@code rejected})
   * @param error null for a successful run, else why it failed
   * @param imagePath where the result image was written, relative to the output folder, or null
   * @param secondsSetup model loading, image decoding and the transfer's own setup
   * @param secondsTotal the whole task
   */
  public static RunRecord of(
      RunSpec spec,
      TransferResult result,
      String error,
      String imagePath,
      double secondsSetup,
      double secondsTotal,
      Context context) {
    RunParams p = spec.params();
    boolean ok = error == null;
    float[] loss =
        result == null || result.lossHistory() == null ? new float[0] : result.lossHistory();
    float[] content =
        result == null || result.contentLossHistory() == null
            ? new float[0]
            : result.contentLossHistory();
    float[] style =
        result == null || result.styleLossHistory() == null
            ? new float[0]
            : result.styleLossHistory();
    return new RunRecord(
        spec.runId(),
        spec.sweep(),
        spec.task().key(),
        spec.content(),
        spec.style(),
        p,
        spec.model().weightsId(),
        spec.model().normalization().key(),
        spec.model().pooling().key(),
        ok ? Schemas.OK : Schemas.FAILED,
        error,
        stopReason(result),
        result == null ? 0 : result.evaluations(),
        ok ? at(loss, result.resultEvaluation()) : null,
        ok ? at(content, result.resultEvaluation()) : null,
        ok ? at(style, result.resultEvaluation()) : null,
        loss,
        content,
        style,
        secondsSetup,
        secondsTotal,
        result == null ? 0.0 : result.msPerEvaluation(),
        context.device(),
        context.executorId(),
        context.host(),
        TIMESTAMP.format(context.startedAt()),
        ok ? imagePath : null,
        ok && result.image() != null ? result.image().getWidth() : null,
        ok && result.image() != null ? result.image().getHeight() : null,
        stages(result, r -> r.evaluations()),
        stages(result, r -> r.finalLoss()),
        stages(result, r -> r.seconds()),
        ok && result.stages().size() > 1 ? stageImages(spec.runId(), result, imagePath) : null,
        null,
        null,
        Map.of());
  }

  /**
   * A multi-scale run's per-stage values in stage order; null for a single-scale run (the columns
   * are null there, so a query tells the two apart).
   */
  private static <T> List<T> stages(
      TransferResult result, java.util.function.Function<StageOutcome, T> value) {
    if (result == null || result.stages().isEmpty()) {
      return null;
    }
    return result.stages().stream().map(value).collect(java.util.stream.Collectors.toList());
  }

  /** Each stage's image: the coarse ones beside the result, the last one the result itself. */
  private static List<String> stageImages(String runId, TransferResult result, String imagePath) {
    List<String> paths = new java.util.ArrayList<>();
    for (int k = 1; k < result.stages().size(); k++) {
      paths.add(OutputLayout.stageImage(runId, k));
    }
    paths.add(imagePath);
    return paths;
  }

  /**
   * This record with the run's memory: the measured peak (resident bytes on a CPU, the allocator's
   * peak on a GPU) and the plan's estimate, each null when unknown.
   */
  public RunRecord withMemory(Long peakBytes, Long estimateBytes) {
    return new RunRecord(
        runId,
        sweep,
        task,
        content,
        style,
        params,
        weightsId,
        normalization,
        pooling,
        status,
        error,
        stopReason,
        evaluations,
        finalLoss,
        finalContentLoss,
        finalStyleLoss,
        lossHistory,
        contentLossHistory,
        styleLossHistory,
        secondsSetup,
        secondsTotal,
        msPerEvaluation,
        device,
        executorId,
        host,
        startedAt,
        imagePath,
        width,
        height,
        stageEvaluations,
        stageLosses,
        stageSeconds,
        stageImages,
        peakBytes,
        estimateBytes,
        quality);
  }

  /**
   * This record with the quality measures of its result ({@link QualityMetrics#COLUMNS}; a column
   * left out is null in the table).
   */
  public RunRecord withQuality(Map<String, Double> measures) {
    return copy(params, measures);
  }

  /**
   * A run without a transfer result failed before the transfer started (device, model, image
   * decoding), so it never reached the optimizer: {@code rejected}, as the transfer itself records
   * a run it refuses before its first evaluation.
   */
  private static String stopReason(TransferResult result) {
    if (result == null) {
      return StopReason.REJECTED.key();
    }
    return result.stopReason() == null ? null : result.stopReason().key();
  }

  /** True when the run finished with an image. */
  public boolean ok() {
    return Schemas.OK.equals(status);
  }

  /**
   * The record as one line of JSON: the metrics columns in order, run parameters from the table.
   */
  public String toJson() {
    ObjectNode fixed = JSON.valueToTree(this);
    ObjectNode json = JSON.createObjectNode();
    List<String> identity = Schemas.IDENTITY_COLUMNS;
    identity.forEach(name -> json.set(name, fixed.get(name)));
    for (Param<?> p : Params.ALL) {
      json.set(p.key(), JSON.valueToTree(Params.spelling(params.get(p))));
    }
    fixed
        .fields()
        .forEachRemaining(
            e -> {
              if (!identity.contains(e.getKey())) {
                json.set(e.getKey(), e.getValue());
              }
            });
    for (String column : QualityMetrics.COLUMNS) {
      json.set(column, JSON.valueToTree(quality.get(column)));
    }
    // Null here: the driver writes them into the records of a halving sweep once a round is ranked.
    HalvingColumns.ALL.forEach(json::putNull);
    try {
      return JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses a record written by {@link #toJson()}. A run parameter missing from the record (written
   * before that parameter existed) takes its default, as it did when the run was computed.
   */
  public static RunRecord fromJson(String json) {
    try {
      JsonNode tree = JSON.readTree(json);
      if (!(tree instanceof ObjectNode object)) {
        throw new UncheckedIOException(
            new java.io.IOException("not a run record: expected a JSON object"));
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (Param<?> p : Params.ALL) {
        JsonNode value = object.get(p.key());
        if (value != null && !value.isNull()) {
          try {
            values.put(p.key(), p.parse(value));
          } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(
                new java.io.IOException("not a run record: " + p.key() + " " + e.getMessage()));
          }
        }
      }
      Map<String, Double> quality = new LinkedHashMap<>();
      for (String column : QualityMetrics.COLUMNS) {
        JsonNode value = object.get(column);
        if (value != null && value.isNumber()) {
          quality.put(column, value.asDouble());
        }
      }
      RunRecord fixed = JSON.treeToValue(object, RunRecord.class);
      return fixed.withParams(RunParams.of(values)).withQuality(quality);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not a run record: " + e.getOriginalMessage(), e);
    }
  }

  /** This record with other run parameters (used when reading, where Jackson leaves them out). */
  private RunRecord withParams(RunParams p) {
    return copy(p, quality);
  }

  /** This record with other run parameters and quality measures; every other field as it is. */
  private RunRecord copy(RunParams p, Map<String, Double> measures) {
    return new RunRecord(
        runId,
        sweep,
        task,
        content,
        style,
        p,
        weightsId,
        normalization,
        pooling,
        status,
        error,
        stopReason,
        evaluations,
        finalLoss,
        finalContentLoss,
        finalStyleLoss,
        lossHistory,
        contentLossHistory,
        styleLossHistory,
        secondsSetup,
        secondsTotal,
        msPerEvaluation,
        device,
        executorId,
        host,
        startedAt,
        imagePath,
        width,
        height,
        stageEvaluations,
        stageLosses,
        stageSeconds,
        stageImages,
        peakMemoryBytes,
        memoryEstimateBytes,
        measures);
  }

  /** The loss at the result's evaluation (1-based), else the last one. */
  private static Double at(float[] values, int evaluation) {
    if (evaluation >= 1 && evaluation <= values.length) {
      return (double) values[evaluation - 1];
    }
    return values.length == 0 ? null : (double) values[values.length - 1];
  }
}
