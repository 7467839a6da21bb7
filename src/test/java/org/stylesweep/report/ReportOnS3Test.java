package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.S3ProxyExtension;

/**
 * The report of an output folder on s3a:// (a real S3-API server on loopback): every read and write
 * goes through Hadoop's FileSystem, and the files equal those built from local disk.
 */
@Tag("slow")
class ReportOnS3Test {
  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("local[2]", "ReportOnS3Test", S3.sparkSettings());
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @Test
  void reportOfAnS3OutputEqualsTheReportOfTheSameLocalOutput(@TempDir Path root)
      throws IOException {
    SyntheticSweep sweep = SyntheticSweep.standard(spark, root);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    org.apache.hadoop.fs.Path local = new org.apache.hadoop.fs.Path(sweep.out.toUri());
    org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(S3.uri("sweeps/synthetic"));
    FileSystem s3 = remote.getFileSystem(conf);
    // Only what the sweep job writes goes up: metrics and images, no report yet.
    for (String part : new String[] {"metrics", "images"}) {
      FileUtil.copy(
          local.getFileSystem(conf),
          new org.apache.hadoop.fs.Path(local, part),
          s3,
          new org.apache.hadoop.fs.Path(remote, part),
          false,
          conf);
    }

    ReportBuilder.Result onS3 = ReportBuilder.build(spark, remote.toString());
    ReportBuilder.build(spark, sweep.out.toString());

    assertThat(onS3.index()).isEqualTo(remote + "/report/index.html");
    assertThat(onS3.grids()).hasSize(8).allSatisfy(g -> assertThat(g).startsWith("s3a://"));
    Map<String, byte[]> remoteFiles = new TreeMap<>();
    for (String folder : new String[] {"grids", "report"}) {
      RemoteIterator<LocatedFileStatus> files =
          s3.listFiles(new org.apache.hadoop.fs.Path(remote, folder), true);
      while (files.hasNext()) {
        FileStatus file = files.next();
        String relative = file.getPath().toString().substring(remote.toString().length() + 1);
        try (InputStream in = s3.open(file.getPath())) {
          remoteFiles.put(relative, in.readAllBytes());
        }
      }
    }
    assertThat(remoteFiles).containsKeys("report/index.html", "report/style.css");
    assertThat(remoteFiles.keySet()).anyMatch(k -> k.startsWith("report/charts/"));
    assertThat(remoteFiles.keySet()).anyMatch(k -> k.startsWith("report/images/"));
    for (Map.Entry<String, byte[]> file : remoteFiles.entrySet()) {
      assertThat(file.getValue())
          .as("%s on s3a equals the local build", file.getKey())
          .isEqualTo(Files.readAllBytes(sweep.out.resolve(file.getKey())));
    }
    try (var localFiles = Files.walk(sweep.out.resolve("report"))) {
      assertThat(remoteFiles.keySet().stream().filter(k -> k.startsWith("report/")).count())
          .isEqualTo(localFiles.filter(Files::isRegularFile).count());
    }
  }
}
