package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.S3ProxyExtension;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Writes a Parquet table to a real S3-API server with exactly the settings of {@code
 * conf/s3a-committer.conf}, and proves from the table's {@code _SUCCESS} manifest that the S3A
 * magic committer, not the rename-based default, committed it.
 */
@Tag("slow")
class MagicCommitterOnS3Test {

  @RegisterExtension static final S3ProxyExtension S3 = new S3ProxyExtension();

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    Map<String, String> settings =
        new LinkedHashMap<>(
            CollectionConverters.asJava(Utils.getPropertiesFromFile("conf/s3a-committer.conf")));
    settings.putAll(S3.sparkSettings());
    spark = LocalSpark.start("local[2]", "magic-committer-test", settings);
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @Test
  void parquetTableIsCommittedByTheMagicCommitter() throws Exception {
    String table = S3.uri("out/metrics");
    Dataset<Row> rows =
        spark
            .createDataset(List.of("a", "b", "c", "d"), Encoders.STRING())
            .toDF("run_id")
            .repartition(2);

    rows.write().mode(SaveMode.Overwrite).parquet(table);

    assertThat(spark.read().parquet(table).as(Encoders.STRING()).collectAsList())
        .containsExactlyInAnyOrder("a", "b", "c", "d");

    // S3A committers write _SUCCESS as a JSON manifest naming the committer; the classic
    // FileOutputCommitter writes an empty marker.
    Path success = new Path(table, "_SUCCESS");
    FileSystem fs = success.getFileSystem(S3.hadoopConfiguration());
    JsonNode manifest;
    try (InputStream in = fs.open(success)) {
      manifest = new ObjectMapper().readTree(in);
    }
    assertThat(manifest.path("committer").asText()).isEqualTo("magic");
    assertThat(manifest.path("filenames")).hasSize(2);
    // Nothing of the commit machinery is left under the table.
    assertThat(fs.exists(new Path(table, "__magic"))).isFalse();
    assertThat(fs.exists(new Path(table, "_temporary"))).isFalse();
  }
}
