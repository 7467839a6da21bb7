package org.stylesweep.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopFilesTest {
  @TempDir Path dir;

  @Test
  void durableWriteReplacesTheFileAndLeavesNothingElse() throws IOException {
    org.apache.hadoop.fs.Path target =
        new org.apache.hadoop.fs.Path(dir.resolve("records/a.json").toUri());
    HadoopFiles.writeDurably(target, "one".getBytes(StandardCharsets.UTF_8), new Configuration());
    HadoopFiles.writeDurably(target, "two".getBytes(StandardCharsets.UTF_8), new Configuration());

    assertThat(Files.readString(dir.resolve("records/a.json"))).isEqualTo("two");
    try (var files = Files.list(dir.resolve("records"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.json");
    }
  }

  @Test
  void failedWriteKeepsThePreviousFileAndNoTemporary() throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir.resolve("a.json").toUri());
    HadoopFiles.writeDurably(target, "old".getBytes(StandardCharsets.UTF_8), new Configuration());

    assertThatThrownBy(
            () ->
                HadoopFiles.writeDurably(
                    target,
                    out -> {
                      out.write("half".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("disk gone");
                    },
                    new Configuration()))
        .hasMessage("disk gone");

    assertThat(Files.readString(dir.resolve("a.json"))).isEqualTo("old");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.json");
    }
  }

  @Test
  void readingAMissingFileNamesIt() {
    org.apache.hadoop.fs.Path missing =
        new org.apache.hadoop.fs.Path(dir.resolve("none.png").toUri());
    assertThatThrownBy(() -> HadoopFiles.readAll(missing, new Configuration()))
        .hasMessageContaining("file not found: " + missing);
  }
}
