package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.S3ProxyExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A folder and a glob over {@code s3a://} (S3Proxy on loopback) expand to the same sorted list as
 * the same files on local disk.
 */
@Tag("slow")
class InputExpansionS3Test {

  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  @TempDir Path dir;

  static final List<String> FILES =
      List.of("in/b.png", "in/a.jpg", "in/z.gif", "in/notes.txt", "in/sub/c.png", "other/x.png");

  @Test
  void folderAndGlobOnS3MatchTheLocalOnes() throws Exception {
    try (S3Client s3 = S3.newS3Client()) {
      for (String key : FILES) {
        s3.putObject(b -> b.bucket(S3.bucket()).key(key), RequestBody.fromBytes(new byte[] {1}));
        Path local = dir.resolve(key);
        Files.createDirectories(local.getParent());
        Files.write(local, new byte[] {1});
      }
    }
    Configuration s3conf = S3.hadoopConfiguration();
    InputExpander onS3 = new InputExpander(s3conf);
    InputExpander onDisk = new InputExpander(new Configuration());

    List<String> folder = names(onS3.expand(new org.apache.hadoop.fs.Path(S3.uri("in/"))));
    List<String> glob =
        names(onS3.expand(new org.apache.hadoop.fs.Path(S3.uri("in/*.{png,jpg,gif}"))));
    List<String> deep = names(onS3.expand(new org.apache.hadoop.fs.Path(S3.uri("in/**/*.png"))));
    List<String> localFolder =
        names(onDisk.expand(new org.apache.hadoop.fs.Path(dir.resolve("in").toString())));
    List<String> localGlob =
        names(onDisk.expand(new org.apache.hadoop.fs.Path(dir.resolve("in") + "/*.{png,jpg,gif}")));

    assertThat(folder).containsExactly("a.jpg", "b.png", "z.gif");
    assertThat(glob).isEqualTo(folder);
    assertThat(localFolder).isEqualTo(folder);
    assertThat(localGlob).isEqualTo(folder);
    assertThat(deep).containsExactly("b.png", "sub/c.png");
    assertThat(onS3.expand(new org.apache.hadoop.fs.Path(S3.uri("in/*.webp"))).files()).isEmpty();
  }

  private static List<String> names(InputExpander.Expansion expansion) {
    return expansion.files().stream()
        .map(u -> u.substring(u.indexOf("/in/") + "/in/".length()))
        .toList();
  }
}
