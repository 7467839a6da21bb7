package org.stylesweep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.common.HadoopFiles;

/** The fault harness itself: a durable write through {@code faulty:} publishes, then fails. */
class FaultyLocalFileSystemTest {

  @TempDir java.nio.file.Path dir;

  @AfterEach
  void reset() {
    FaultyLocalFileSystem.reset();
  }

  @Test
  void armedRenamePublishesTheFileThenThrows() throws IOException {
    Configuration conf = new Configuration();
    FaultyLocalFileSystem.hadoopSettings().forEach(conf::set);
    Path target = new Path("faulty://" + dir.toAbsolutePath() + "/records/r1.json");
    FaultyLocalFileSystem.failOnceAfterPublishing("r1.json");

    assertThatThrownBy(
            () ->
                HadoopFiles.writeDurably(
                    target, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), conf))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("simulated executor loss");

    java.nio.file.Path local = dir.resolve("records/r1.json");
    assertThat(Files.readString(local)).isEqualTo("{\"a\":1}");
    assertThat(FaultyLocalFileSystem.contentWhenFaultFired()).isEqualTo("{\"a\":1}");
    // Fires once: the next write goes through, and no temporary file is left behind.
    HadoopFiles.writeDurably(target, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), conf);
    assertThat(Files.readString(local)).isEqualTo("{\"a\":2}");
    try (var files = Files.list(dir.resolve("records"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("r1.json");
    }
  }
}
