package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.apache.hadoop.fs.s3a.S3AFileSystem;
import org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory;
import org.apache.spark.SparkContext;
import org.apache.spark.util.Utils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.testing.JarConstants;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks {@code conf/s3a-committer.conf}: parsed by Spark's own reader, every s3a key one that
 * hadoop-aws 3.4.1 reads, and the spark-hadoop-cloud class names the very ones Spark 4.0.1 itself
 * fills in when it sets up the magic committer.
 */
class S3aCommitterConfTest {

  private static final Path CONF = Paths.get("conf", "s3a-committer.conf");
  private static Map<String, String> conf;

  @BeforeAll
  static void readConf() {
    conf = CollectionConverters.asJava(Utils.getPropertiesFromFile(CONF.toString()));
  }

  @Test
  void selectsTheMagicCommitterThroughTheS3aCommitterFactory() throws Exception {
    assertThat(conf).containsEntry("spark.hadoop.fs.s3a.committer.name", "magic");
    String factory = conf.get("spark.hadoop.mapreduce.outputcommitter.factory.scheme.s3a");
    assertThat(Class.forName(factory)).isEqualTo(S3ACommitterFactory.class);
  }

  @Test
  void everyS3aKeyIsOneHadoopAwsReads() {
    String hadoopAws = JarConstants.of(S3AFileSystem.class);
    conf.keySet().stream()
        .filter(key -> key.startsWith("spark.hadoop.fs.s3a."))
        .map(key -> key.substring("spark.hadoop.".length()))
        .forEach(key -> assertThat(hadoopAws).as("hadoop-aws reads %s", key).contains(key));
  }

  @Test
  void sparkCloudClassesAreTheOnesSparkItselfConfigures() {
    // SparkContext fills these in itself for a bucket with the magic committer enabled; the
    // same names here mean the conf matches Spark 4.0.1 exactly.
    String sparkCore = JarConstants.ofClassFile(SparkContext.class, "SparkContext$.class");
    assertThat(conf.get("spark.sql.sources.commitProtocolClass"))
        .isEqualTo("org.apache.spark.internal.io.cloud.PathOutputCommitProtocol");
    assertThat(conf.get("spark.sql.parquet.output.committer.class"))
        .isEqualTo("org.apache.spark.internal.io.cloud.BindingParquetOutputCommitter");
    assertThat(sparkCore)
        .contains(conf.get("spark.sql.sources.commitProtocolClass"))
        .contains(conf.get("spark.sql.parquet.output.committer.class"));
  }
}
