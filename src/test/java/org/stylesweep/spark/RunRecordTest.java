package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.spec.Task;
import org.stylesweep.spec.WeightsSource;
import org.stylesweep.transfer.TransferResult;

class RunRecordTest {
  static final RunSpec SPEC =
      new RunSpec(
          "0123456789abcdef",
          "s",
          Task.TRANSFER,
          "file:/c.png",
          "file:/s.png",
          new ModelSpec(
              new WeightsSource.Random(0),
              "random:0",
              Normalization.IMAGENET,
              Pooling.MAX,
              DeviceChoice.AUTO),
          RunParams.defaults());
  static final RunRecord.Context WHERE =
      new RunRecord.Context("cpu()", "driver", "h", Instant.parse("2025-01-02T03:04:05.678Z"));

  @Test
  void jsonFieldsAreTheMetricsColumnsInOrder() throws Exception {
    TransferResult result =
        new TransferResult(
            new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB),
            new float[] {3, 2},
            new float[] {1, 1},
            new float[] {2, 1},
            2,
            2,
            StopReason.MAX_EVALUATIONS,
            5,
            9,
            2.0,
            "cpu()",
            null);
    JsonNode json =
        new ObjectMapper()
            .readTree(
                RunRecord.of(SPEC, result, null, "images/0123456789abcdef.png", 0.5, 1.5, WHERE)
                    .toJson());

    List<String> fields = new ArrayList<>();
    json.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly(Schemas.METRICS.fieldNames());
    assertThat(json.get("status").asText()).isEqualTo("OK");
    assertThat(json.get("final_loss").asDouble()).isEqualTo(2.0);
    assertThat(json.get("final_style_loss").asDouble()).isEqualTo(1.0);
    assertThat(json.get("width").asInt()).isEqualTo(4);
    assertThat(json.get("started_at").asText()).isEqualTo("2025-01-02T03:04:05.678Z");
    assertThat(json.get("optimizer").asText()).isEqualTo("lbfgs");
  }

  @Test
  void finalLossesAreThoseOfTheResultEvaluationNotTheLastOne() {
    // L-BFGS overshot at evaluation 3; the image is evaluation 2's point, and so are the final
    // losses.
    TransferResult result =
        new TransferResult(
            new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB),
            new float[] {3, 1, 50},
            new float[] {2, 0.5f, 10},
            new float[] {1, 0.5f, 40},
            3,
            2,
            StopReason.MAX_EVALUATIONS,
            5,
            9,
            2.0,
            "cpu()",
            null);

    RunRecord record = RunRecord.of(SPEC, result, null, "images/x.png", 0.5, 1.5, WHERE);

    assertThat(record.finalLoss()).isEqualTo(1.0);
    assertThat(record.finalContentLoss()).isEqualTo(0.5);
    assertThat(record.finalStyleLoss()).isEqualTo(0.5);
    assertThat(record.lossHistory()).containsExactly(3, 1, 50);

    // quality measures: every column in the JSON (null where absent), and back
    RunRecord measured =
        record.withQuality(
            java.util.Map.of(
                org.stylesweep.transfer.QualityMetrics.STYLE_GRAM,
                0.25,
                org.stylesweep.transfer.QualityMetrics.CONTENT_SSIM,
                0.75));
    String json = measured.toJson();
    assertThat(json)
        .contains("\"quality_style_gram\":0.25")
        .contains("\"quality_content_ssim\":0.75")
        .contains("\"quality_color_style\":null");
    assertThat(RunRecord.fromJson(json).quality()).isEqualTo(measured.quality());
    assertThat(RunRecord.fromJson(record.toJson()).quality()).isEmpty();
  }

  @Test
  void failedRunKeepsItsHistoryButNoFinalLossOrImage() {
    TransferResult nan =
        new TransferResult(
            null,
            new float[] {3, Float.NaN},
            new float[] {1, Float.NaN},
            new float[] {2, Float.NaN},
            2,
            0,
            StopReason.NON_FINITE_LOSS,
            5,
            9,
            2.0,
            "cpu()",
            "loss is NaN at evaluation 2");
    RunRecord record = RunRecord.of(SPEC, nan, nan.error(), "images/x.png", 0.5, 1.5, WHERE);

    RunRecord back = RunRecord.fromJson(record.toJson());

    assertThat(back.ok()).isFalse();
    assertThat(back.error()).isEqualTo("loss is NaN at evaluation 2");
    assertThat(back.finalLoss()).isNull();
    assertThat(back.imagePath()).isNull();
    assertThat(back.lossHistory()).hasSize(2);
    assertThat(back.lossHistory()[1]).isNaN();
    assertThat(back.stopReason()).isEqualTo("non_finite_loss");
  }

  @Test
  void runRejectedBeforeItsFirstEvaluationIsRecordedAsRejected() {
    TransferResult rejected =
        new TransferResult(
            null,
            new float[0],
            new float[0],
            new float[0],
            0,
            0,
            StopReason.REJECTED,
            0,
            3,
            0,
            "cpu()",
            "steps must be positive, got 0");
    RunRecord back =
        RunRecord.fromJson(
            RunRecord.of(SPEC, rejected, rejected.error(), "images/x.png", 0.1, 0.2, WHERE)
                .toJson());

    assertThat(back.ok()).isFalse();
    assertThat(back.stopReason()).isEqualTo("rejected");
    assertThat(back.evaluations()).isZero();
    assertThat(back.lossHistory()).isEmpty();
  }

  @Test
  void runThatFailedBeforeTheTransferStartedIsRecordedAsRejectedNotMaxEvaluations() {
    // RunTask: the image did not decode (or the model did not load), so there is no transfer
    // result.
    RunRecord back =
        RunRecord.fromJson(
            RunRecord.of(SPEC, null, "file:/c.png: not an image", "images/x.png", 0.1, 0.2, WHERE)
                .toJson());

    assertThat(back.ok()).isFalse();
    assertThat(back.error()).isEqualTo("file:/c.png: not an image");
    assertThat(back.stopReason()).isEqualTo("rejected");
    assertThat(back.evaluations()).isZero();
    assertThat(back.finalLoss()).isNull();
  }
}
