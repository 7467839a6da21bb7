package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.optim.StopReason;
import org.stylesweep.spec.RunSpec;
import org.stylesweep.testing.LogCapture;
import org.stylesweep.transfer.TransferResult;

/**
 * The progress lines: the last N/N line comes even when the listener bus never delivered its event.
 */
class RunProgressLoggerTest {

  @Test
  void finishLogsEveryRunTheBusDidNotDeliverOnceEach(@TempDir Path out) throws Exception {
    RunSpec a = RunRecordTest.SPEC;
    RunSpec b =
        new RunSpec(
            "fedcba9876543210", a.sweep(), a.task(), a.content(), a.style(), a.model(), a.params());
    Files.createDirectories(out.resolve("records"));
    for (RunSpec run : List.of(a, b)) {
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
      Files.writeString(
          out.resolve("records/" + run.runId() + ".json"),
          RunRecord.of(run, result, null, "images/x.png", 0.5, 1.5, RunRecordTest.WHERE).toJson(),
          StandardCharsets.UTF_8);
    }
    RunProgressLogger progress =
        new RunProgressLogger("g", List.of(a, b), out.toUri().toString(), new Configuration());
    try (LogCapture log = LogCapture.start()) {
      progress.finish();
      progress.finish();
      String text = log.text();
      assertThat(text)
          .contains("1/2 " + a.runId() + " OK final_loss")
          .contains("2/2 " + b.runId() + " OK");
      assertThat(text.split("2/2 ", -1)).hasSize(2);
    }
  }
}
