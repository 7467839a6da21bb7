package org.stylesweep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hadoop's S3AFileSystem (hadoop-aws 3.4.1, AWS SDK v2) against a real S3-API server on loopback:
 * the operations the sweep job relies on for s3a:// inputs and outputs.
 */
@Tag("slow")
class S3aAgainstS3ProxyTest {

  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  @Test
  void writesAndReadsBackAFileThroughS3a() throws IOException {
    Path path = new Path(S3.uri("roundtrip/hello.txt"));
    FileSystem fs = path.getFileSystem(S3.hadoopConfiguration());
    assertThat(fs).isInstanceOf(S3AFileSystem.class);

    byte[] bytes = "style transfer on s3a\n".getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = fs.create(path, false)) {
      out.write(bytes);
    }

    assertThat(fs.getFileStatus(path).getLen()).isEqualTo(bytes.length);
    try (InputStream in = fs.open(path)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    // The object really is in the bucket, seen from below Hadoop.
    try (var s3 = S3.newS3Client()) {
      byte[] raw =
          s3.getObjectAsBytes(b -> b.bucket(S3.bucket()).key("roundtrip/hello.txt")).asByteArray();
      assertThat(raw).isEqualTo(bytes);
    }
  }

  @Test
  void createWithoutOverwriteRefusesAnExistingObject() throws IOException {
    Path path = new Path(S3.uri("once/record.json"));
    FileSystem fs = path.getFileSystem(S3.hadoopConfiguration());
    try (OutputStream out = fs.create(path, false)) {
      out.write('1');
    }

    assertThatThrownBy(() -> fs.create(path, false).close())
        .isInstanceOf(FileAlreadyExistsException.class);
    try (InputStream in = fs.open(path)) {
      assertThat(in.readAllBytes()).containsExactly('1');
    }
  }

  @Test
  void listsRenamesAndDeletesADirectoryTree() throws IOException {
    FileSystem fs = new Path(S3.uri("")).getFileSystem(S3.hadoopConfiguration());
    Path staging = new Path(S3.uri("tree/_staging"));
    for (String name : new String[] {"a.png", "b.png"}) {
      try (OutputStream out = fs.create(new Path(staging, name))) {
        out.write(name.getBytes(StandardCharsets.UTF_8));
      }
    }

    Path done = new Path(S3.uri("tree/images"));
    assertThat(fs.rename(staging, done)).isTrue();

    FileStatus[] listed = fs.listStatus(done);
    assertThat(Arrays.stream(listed).map(s -> s.getPath().getName()))
        .containsExactlyInAnyOrder("a.png", "b.png");
    assertThat(fs.exists(staging)).isFalse();

    assertThat(fs.delete(new Path(S3.uri("tree")), true)).isTrue();
    assertThat(fs.exists(done)).isFalse();
  }

  @Test
  void wrongSecretIsRejectedWithoutEchoingIt() throws IOException {
    String wrongSecret = "not-the-secret-" + System.nanoTime();
    Configuration conf = S3.hadoopConfiguration();
    conf.set("fs.s3a.secret.key", wrongSecret);
    // A bucket of its own: Hadoop caches FileSystems by bucket, and this one must be fresh.
    conf.setBoolean("fs.s3a.impl.disable.cache", true);
    Path path = new Path(S3.uri("denied.txt"));

    try (FileSystem fs = FileSystem.newInstance(URI.create(S3.uri("")), conf)) {
      assertThatThrownBy(
              () -> {
                try (OutputStream out = fs.create(path)) {
                  out.write(1);
                }
              })
          .isInstanceOf(IOException.class)
          .satisfies(
              e -> {
                String all = stackTraceText(e);
                assertThat(all).contains("403");
                assertThat(all).doesNotContain(wrongSecret).doesNotContain(S3.secretKey());
              });
    }
  }

  private static String stackTraceText(Throwable e) {
    var out = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
