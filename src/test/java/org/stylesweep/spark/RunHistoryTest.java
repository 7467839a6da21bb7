package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code OUT/history.jsonl}: one line per run, read back in order, bad lines skipped. */
class RunHistoryTest {
  @TempDir Path dir;

  @Test
  void appendsOneLinePerRunAndReadsThemBackOldestFirst() throws Exception {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.toUri());
    Configuration conf = new Configuration();
    assertThat(RunHistory.read(out, conf)).isEmpty();

    RunHistory.Entry first =
        new RunHistory.Entry(Instant.parse("2026-01-02T02:00:00Z"), 4, 0, 4, 0, 12.5, 4, 0, 0);
    RunHistory.Entry second =
        new RunHistory.Entry(Instant.parse("2026-01-03T02:00:00Z"), 6, 4, 2, 1, 7.25, 5, 2, 0);
    RunHistory.append(out, first, conf);
    Files.writeString(
        dir.resolve(OutputLayout.HISTORY),
        Files.readString(dir.resolve(OutputLayout.HISTORY)) + "{not json\n");
    RunHistory.append(out, second, conf);

    assertThat(Files.readAllLines(dir.resolve(OutputLayout.HISTORY))).hasSize(3);
    List<RunHistory.Entry> read = RunHistory.read(out, conf);
    assertThat(read).containsExactly(first, second);
    assertThat(second.describe())
        .isEqualTo(
            "2026-01-03 02:00:00 UTC  planned 6, skipped 4, computed 2, failed 1, 7.3 s,"
                + " 5 inputs, 2 rows from earlier runs");
  }

  @Test
  void aRunWithVideosCountsItsFramesBesideTheImageRuns() throws Exception {
    org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(dir.toUri());
    Configuration conf = new Configuration();
    RunHistory.Entry videos =
        new RunHistory.Entry(
            Instant.parse("2026-01-04T02:00:00Z"), 0, 0, 0, 0, 980.8, 1, 0, 0, 48, 40, 1);
    RunHistory.append(out, videos, conf);

    assertThat(RunHistory.read(out, conf)).containsExactly(videos);
    assertThat(videos.describe())
        .isEqualTo(
            "2026-01-04 02:00:00 UTC  planned 0, skipped 0, computed 0, failed 0, 980.8 s,"
                + " 1 inputs; video frames 48 (computed 40, failed 1)");
  }
}
