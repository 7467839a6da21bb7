package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LoopbackWeightsServer;
import org.stylesweep.testing.TestSafetensors;

/**
 * {@code run} with {@code model.weights: auto} on Spark local[2]: the driver downloads from a real
 * HTTP server on loopback and the runs use (and record) the file; when the server cannot be
 * reached, the runs go on with {@code random:0} after a loud warning.
 */
class AutoWeightsRunTest {
  static final Path SAMPLES = Path.of("samples").toAbsolutePath();
  static SparkSession spark;
  static LoopbackWeightsServer server;
  static byte[] weights;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    spark = SparkSession.builder().master("local[2]").appName("AutoWeightsRunTest")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    weights = TestSafetensors.vgg19().bytes(5);
    server = new LoopbackWeightsServer(weights);
  }

  @AfterAll
  static void stop() {
    server.close();
    spark.stop();
  }

  /** The cache the test JVM uses: surefire points STYLESWEEP_CACHE into target/, never at ~/.cache. */
  static Path cache() {
    String configured = System.getenv("STYLESWEEP_CACHE");
    assertThat(configured).as("run through Maven: surefire sets STYLESWEEP_CACHE").isNotBlank();
    return Path.of(configured);
  }

  record Result(int code, String out, String err) {}

  static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = StyleSweep.execute(spark, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  String manifest(URI weightsUrl) throws IOException {
    Path file = dir.resolve("auto.yaml");
    Files.writeString(file, """
        name: auto
        model: {weights: auto, weights_url: "%s"}
        task: transfer
        contents: [%s]
        styles: [%s]
        defaults: {image_size: 32, steps: 2, content_layers: [conv1_1], style_layers: [conv1_1]}
        """.formatted(weightsUrl, SAMPLES.resolve("content/cat.png"), SAMPLES.resolve("style/mosaic.png")));
    return file.toString();
  }

  List<String> weightsIds(Path out) throws IOException {
    Result show = cli("show", out.toString(), "--json");
    assertThat(show.code()).as(show.err()).isEqualTo(ExitCodes.OK);
    ObjectMapper json = new ObjectMapper();
    return show.out().lines().map(line -> {
      try {
        return json.readTree(line).get("weights_id").asText();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  @Test
  void runDownloadsTheWeightsOnceEveryRunUsesThemAndLaterCommandsFindThemCached() throws IOException {
    Path cached = cache().resolve("vgg19-run.safetensors");
    Files.deleteIfExists(cached);
    int before = server.requests();
    String manifest = manifest(server.url("vgg19-run.safetensors"));

    // Two runs (seeds) share the model the executor loaded from the downloaded file.
    Result run = cli("run", manifest, "--out", dir.resolve("out").toString(), "--no-report",
        "--set", "sweep.seed=[0, 1]");
    Result validate = cli("validate", manifest);

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).contains("Downloading vgg19-run.safetensors", "100%").doesNotContain("NO PRETRAINED");
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

    Result run = cli("run", manifest(url), "--out", dir.resolve("out").toString(), "--no-report");

    assertThat(run.code()).as(run.err()).isEqualTo(ExitCodes.OK);
    assertThat(run.err())
        .contains("!! NO PRETRAINED WEIGHTS", "cannot reach " + url, "Connection refused")
        .contains("fetch-weights --url " + url, "point model.weights at");
    assertThat(weightsIds(dir.resolve("out"))).containsExactly("random:0");
  }
}
