package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stylesweep.spark.Schemas;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.LogCapture;
import org.stylesweep.testing.S3ProxyExtension;
import org.stylesweep.testing.TinyManifest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Whole sweeps against a real S3-API server (S3Proxy on loopback, signatures checked): the manifest
 * and its images are read from the bucket, with the manifest's relative paths resolved against its
 * own s3a location, and images, records, the Parquet table and the report are written back to it.
 * The credentials are distinctive so that a search for them in every log line and every file
 * written means something.
 */
@Tag("slow")
class S3SweepTest {

  private static final String ACCESS_KEY = "AKIASTYLESWEEPLEAKTEST";
  private static final String SECRET_KEY =
      "leak-test-secret-" + UUID.randomUUID().toString().replace("-", "");

  @RegisterExtension
  static final S3ProxyExtension S3 = new S3ProxyExtension(ACCESS_KEY, SECRET_KEY);

  private static SparkSession spark;

  @BeforeAll
  static void startSparkAndUploadInputs() throws IOException {
    spark = LocalSpark.start("local[2]", "S3SweepTest", S3.sparkSettings());

    try (S3Client s3 = S3.newS3Client()) {
      put(
          s3,
          "samples/content/cat.png",
          Files.readAllBytes(TinyManifest.sample("content/cat.png")));
      put(
          s3,
          "samples/content/coffee.png",
          Files.readAllBytes(TinyManifest.sample("content/coffee.png")));
      put(
          s3,
          "samples/style/mosaic.png",
          Files.readAllBytes(TinyManifest.sample("style/mosaic.png")));
      // A PNG signature and then nothing a decoder can use: the run that reads it must FAIL.
      put(
          s3,
          "samples/content/corrupt.png",
          new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 1, 2, 3});
    }
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @Test
  void sweepReadsManifestAndImagesFromTheBucketAndWritesEverythingBack() throws Exception {
    String manifest = S3.uri("jobs/s3-grid.yaml");
    String out = S3.uri("out/s3-grid");
    try (S3Client s3 = S3.newS3Client()) {
      // Relative to the manifest's own location: s3a://<bucket>/jobs/../samples/...
      put(
          s3,
          "jobs/s3-grid.yaml",
          TinyManifest.named("s3-grid")
              .contents("../samples/content/cat.png", "../samples/content/coffee.png")
              .styles("../samples/style/mosaic.png")
              .yaml()
              .getBytes(StandardCharsets.UTF_8));
    }

    int code;
    String console;
    try (LogCapture capture = LogCapture.start()) {
      code = StyleSweep.run(spark, "run", manifest, "--out", out);
      console = capture.text();
    }

    assertThat(code).as(console).isEqualTo(ExitCodes.OK);
    assertThat(console).contains("2 runs: 2 OK, 0 FAILED (2 computed now, 0 already OK)");

    Map<String, byte[]> written = objects("out/s3-grid/");
    List<String> keys = new ArrayList<>(written.keySet());
    assertThat(keys).contains("out/s3-grid/manifest.yaml");
    assertThat(keys).filteredOn(k -> k.matches("out/s3-grid/images/[^/]+\\.png")).hasSize(2);
    assertThat(keys).filteredOn(k -> k.matches("out/s3-grid/records/[^/]+\\.json")).hasSize(2);
    assertThat(keys).anyMatch(k -> k.matches("out/s3-grid/metrics/part-.*\\.parquet"));
    assertThat(keys).contains("out/s3-grid/report/index.html");
    // No commit debris and no half-written temporary objects left in the bucket.
    assertThat(keys).noneMatch(k -> k.contains("_temporary") || k.endsWith(".tmp"));
    // Images are real PNGs.
    keys.stream()
        .filter(k -> k.endsWith(".png"))
        .forEach(
            k ->
                assertThat(written.get(k))
                    .startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G'));

    // The effective manifest names the inputs by their resolved s3a URIs.
    assertThat(new String(written.get("out/s3-grid/manifest.yaml"), StandardCharsets.UTF_8))
        .contains(S3.uri("samples/content/cat.png"))
        .contains(S3.uri("samples/style/mosaic.png"));

    List<Row> rows = spark.read().parquet(out + "/metrics").collectAsList();
    assertThat(rows)
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.<String>getAs("status")).isEqualTo(Schemas.OK);
              assertThat(r.<String>getAs("content")).startsWith(S3.uri("samples/content/"));
              assertThat(r.<String>getAs("host")).isNotBlank();
              assertThat(r.<String>getAs("device")).isNotBlank();
            });

    // Rerunning against the bucket finds both records and computes nothing.
    String again;
    try (LogCapture capture = LogCapture.start()) {
      assertThat(StyleSweep.run(spark, "run", manifest, "--out", out, "--no-report"))
          .isEqualTo(ExitCodes.OK);
      again = capture.text();
    }
    assertThat(again).contains("2 runs: 2 OK, 0 FAILED (0 computed now, 2 already OK)");
    assertThat(spark.read().parquet(out + "/metrics").count()).isEqualTo(2);
  }

  @Test
  void credentialsNeverAppearInLogsErrorsMetricsOrReport() throws Exception {
    try (S3Client s3 = S3.newS3Client()) {
      // One good run and one whose content image cannot be decoded: a FAILED row with an error.
      put(
          s3,
          "jobs/leak.yaml",
          TinyManifest.named("leak")
              .contents("../samples/content/cat.png", "../samples/content/corrupt.png")
              .styles("../samples/style/mosaic.png")
              .yaml()
              .getBytes(StandardCharsets.UTF_8));
      // Bad input: an image that is not there, caught before Spark starts (exit 2).
      put(
          s3,
          "jobs/missing.yaml",
          TinyManifest.named("missing")
              .contents("../samples/content/not-there.png")
              .styles("../samples/style/mosaic.png")
              .yaml()
              .getBytes(StandardCharsets.UTF_8));
    }
    String out = S3.uri("out/leak");

    String logs;
    int runCode;
    int missingCode;
    int showCode;
    try (LogCapture capture = LogCapture.start()) {
      missingCode =
          StyleSweep.run(spark, "run", S3.uri("jobs/missing.yaml"), "--out", S3.uri("out/missing"));
      runCode = StyleSweep.run(spark, "run", S3.uri("jobs/leak.yaml"), "--out", out);
      showCode = StyleSweep.run(spark, "show", out, "--json");
      logs = capture.text();
      assertThat(capture.logEventCount()).as("log events were captured at all").isPositive();
    }

    // The failures happened, and were reported, so their messages were part of the search.
    assertThat(missingCode).as(logs).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(logs).contains("not-there.png");
    assertThat(runCode).as(logs).isEqualTo(ExitCodes.RUNS_FAILED);
    assertThat(showCode).isEqualTo(ExitCodes.OK);
    assertThat(logs).contains("corrupt.png").contains(Schemas.FAILED);
    assertThat(logs)
        .as("the endpoint is in the logs; only the keys must not be")
        .contains(S3.bucket());

    assertThat(logs).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY);

    // Every object the sweep wrote: records, images, manifest, Parquet files, grids, report.
    Map<String, byte[]> written = objects("out/leak/");
    assertThat(written.keySet())
        .anyMatch(k -> k.startsWith("out/leak/records/"))
        .anyMatch(k -> k.startsWith("out/leak/metrics/"))
        .contains("out/leak/report/index.html");
    written.forEach(
        (key, bytes) -> {
          String text = new String(bytes, StandardCharsets.ISO_8859_1);
          assertThat(text).as(key).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY);
        });
    // Parquet pages are compressed: search the decoded rows too, error column included.
    List<String> rows = spark.read().parquet(out + "/metrics").toJSON().collectAsList();
    assertThat(rows).hasSize(2).anyMatch(r -> r.contains("\"status\":\"FAILED\""));
    assertThat(String.join("\n", rows)).doesNotContain(ACCESS_KEY).doesNotContain(SECRET_KEY);
  }

  @Test
  void driverKilledAfterSomeRunsLosesNoneAndARerunComputesOnlyTheRest() throws Exception {
    try (S3Client s3 = S3.newS3Client()) {
      put(
          s3,
          "jobs/killed.yaml",
          TinyManifest.named("killed")
              .contents("../samples/content/cat.png", "../samples/content/coffee.png")
              .styles("../samples/style/mosaic.png")
              .steps(20)
              .extra("sweep:\n  seed: [0, 1, 2]")
              .yaml()
              .getBytes(StandardCharsets.UTF_8));
    }
    String manifest = S3.uri("jobs/killed.yaml");
    String out = S3.uri("out/killed");
    int planned = 6;

    // A real driver in its own JVM, killed with SIGKILL as soon as the first record is in the
    // bucket: no shutdown hook, no cleanup, no table.
    Path driverLog = Files.createTempFile("killed-driver", ".log");
    List<String> command =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    command.addAll(
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("--add-opens") || a.startsWith("-D"))
            .toList());
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            StyleSweep.class.getName(),
            "--conf",
            "spark.master=local[2]",
            "--conf",
            "spark.ui.enabled=false"));
    // This driver gets its keys the way a cluster often does: from the environment, through
    // S3A's default credential chain (no key in any Spark setting).
    S3.sparkSettingsWithoutKeys().forEach((k, v) -> command.addAll(List.of("--conf", k + "=" + v)));
    assertThat(String.join(" ", command)).doesNotContain(SECRET_KEY);
    command.addAll(List.of("run", manifest, "--out", out, "--no-report"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(driverLog.toFile());
    builder.environment().put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    builder.environment().put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    Process driver = builder.start();
    try {
      long deadline = System.nanoTime() + 180_000_000_000L;
      while (records("out/killed/").isEmpty()) {
        assertThat(driver.isAlive())
            .as("driver still running; its log:%n%s", Files.readString(driverLog))
            .isTrue();
        assertThat(System.nanoTime()).as("first record within 3 minutes").isLessThan(deadline);
        Thread.sleep(100);
      }
    } finally {
      driver.destroyForcibly().waitFor();
    }
    String driverOutput = Files.readString(driverLog);
    assertThat(driverOutput)
        .contains("sweep killed: 6 runs")
        .doesNotContain(ACCESS_KEY)
        .doesNotContain(SECRET_KEY);
    Map<String, byte[]> survivors = records("out/killed/");
    assertThat(survivors)
        .as("the kill came before the sweep could finish")
        .hasSizeLessThan(planned);
    assertThat(objects("out/killed/metrics/")).as("a killed driver writes no table").isEmpty();

    String rerun;
    try (LogCapture capture = LogCapture.start()) {
      assertThat(StyleSweep.run(spark, "run", manifest, "--out", out, "--no-report"))
          .isEqualTo(ExitCodes.OK);
      rerun = capture.text();
    }

    assertThat(rerun)
        .contains(
            "%d runs: %d OK, 0 FAILED (%d computed now, %d already OK)"
                .formatted(planned, planned, planned - survivors.size(), survivors.size()));
    Map<String, byte[]> after = records("out/killed/");
    assertThat(after).hasSize(planned);
    survivors.forEach(
        (key, bytes) ->
            assertThat(after.get(key)).as("%s unchanged by the rerun", key).isEqualTo(bytes));
    assertThat(spark.read().parquet(out + "/metrics").count()).isEqualTo(planned);
    Files.deleteIfExists(driverLog);
  }

  /** The per-run records under an output prefix, key to bytes. */
  private static Map<String, byte[]> records(String outPrefix) {
    return objects(outPrefix + "records/");
  }

  private static void put(S3Client s3, String key, byte[] bytes) {
    s3.putObject(b -> b.bucket(S3.bucket()).key(key), RequestBody.fromBytes(bytes));
  }

  /** Every object under the prefix, key to bytes, read with the AWS SDK below Hadoop. */
  private static Map<String, byte[]> objects(String prefix) {
    Map<String, byte[]> objects = new LinkedHashMap<>();
    try (S3Client s3 = S3.newS3Client()) {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(S3.bucket()).prefix(prefix)).contents()) {
        try {
          objects.put(
              o.key(), s3.getObjectAsBytes(b -> b.bucket(S3.bucket()).key(o.key())).asByteArray());
        } catch (NoSuchKeyException vanished) {
          // Listed while a live driver was writing, deleted before the read: S3A's transient
          // directory markers do this. Only objects that stay count.
        }
      }
    }
    return objects;
  }
}
