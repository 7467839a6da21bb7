package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylesweep.testing.TinyManifest.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.LoopbackWeightsServer;
import org.stylesweep.testing.TestSafetensors;
import org.stylesweep.testing.TinyManifest;

/**
 * {@code run} with {@code model.weights: auto} on Spark local[2]: the driver downloads from a real
 * HTTP server on loopback and the runs use (and record) the file; when the server cannot be
 * reached, the runs go on with {@code random:0} after a loud warning.
 */
@Tag("slow")
class AutoWeightsRunTest {
  static SparkSession spark;
  static LoopbackWeightsServer server;
  static byte[] weights;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.start("AutoWeightsRunTest");
    weights = TestSafetensors.vgg19().bytes(5);
    server = new LoopbackWeightsServer(weights);
  }

  @AfterAll
  static void stop() {
    server.close();
    LocalSpark.stop(spark);
  }

  /**
   * The cache the test JVM uses: surefire points STYLESWEEP_CACHE into target/, never at ~/.cache.
   */
  static Path cache() {
    String configured = System.getenv("STYLESWEEP_CACHE");
    assertThat(configured).as("run through Maven: surefire sets STYLESWEEP_CACHE").isNotBlank();
    return Path.of(configured);
  }

  static CliResult cli(String... args) {
    return CliResult.execute(spark, args);
  }

  String manifest(URI weightsUrl) {
    return TinyManifest.named("auto")
        .model("{weights: auto, weights_url: \"%s\"}".formatted(weightsUrl))
        .contents(sample("content/cat.png"))
        .styles(sample("style/mosaic.png"))
        .steps(2)
        .contentLayers("[conv1_1]")
        .styleLayers("[conv1_1]")
        .writeInto(dir)
        .toString();
  }

  List<String> weightsIds(Path out) throws IOException {
    CliResult show = cli("show", out.toString(), "--json");
    assertThat(show.code()).as(show.err()).isEqualTo(ExitCodes.OK);
    ObjectMapper json = new ObjectMapper();
    return show.out()
        .lines()
        .map(
            line -> {
              try {
                return json.readTree(line).get("weights_id").asText();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  @Test
  void runDownloadsTheWeightsOnceEveryRunUsesThemAndLaterCommandsFindThemCached()
      throws IOException {
    Path cached = cache().resolve("vgg19-run.safetensors");
    Files.deleteIfExists(cached);
    int before = server.requests();
    String manifest = manifest(server.url("vgg19-run.safetensors"));

    // Two runs (seeds) share the model the executor loaded from the downloaded file.
    CliResult run =
        cli(
            "run",
            manifest,
            "--out",
            dir.resolve("out").toString(),
            "--no-report",
            "--set",
            "sweep.seed=[0, 1]");
    CliResult validate = cli("validate", manifest);

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .contains("Downloading vgg19-run.safetensors", "100%")
        .doesNotContain("NO PRETRAINED");
    assertThat(Files.readAllBytes(cached)).isEqualTo(weights);
    List<String> ids = weightsIds(dir.resolve("out"));
    assertThat(ids).hasSize(2).allMatch(id -> id.matches("vgg19-run\\.safetensors@[0-9a-f]{12}"));
    assertThat(validate.code()).as(validate.err()).isEqualTo(ExitCodes.OK);
    assertThat(validate.out()).contains("auto: file:" + cached, "weights_id " + ids.get(0));
    assertThat(server.requests() - before).isEqualTo(1);
  }

  @Test
  void runWhoseDownloadIsRefusedGoesOnWithRandomZeroAfterALoudWarning() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + port + "/vgg19-refused.safetensors");

    CliResult run =
        cli("run", manifest(url), "--out", dir.resolve("out").toString(), "--no-report");

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .contains("!! NO PRETRAINED WEIGHTS", "cannot reach " + url, "Connection refused")
        .contains("fetch-weights --url " + url, "point model.weights at");
    assertThat(weightsIds(dir.resolve("out"))).containsExactly("random:0");
  }
}
