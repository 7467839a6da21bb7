package org.stylesweep.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.ModelConfig;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.WeightsSource;
import org.stylesweep.testing.LoopbackWeightsServer;
import org.stylesweep.testing.TestSafetensors;

/**
 * {@code model.weights: auto} end to end on the driver: cache, download from a real HTTP server on
 * loopback, and the fallback to {@code random:0}.
 */
class AutoWeightsTest {
  @TempDir Path dir;
  private byte[] weights;
  private LoopbackWeightsServer server;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @BeforeEach
  void serve() throws IOException {
    weights = TestSafetensors.vggUpToConv2_1().bytes(11);
    server = new LoopbackWeightsServer(weights);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WeightsResolver resolver() {
    WeightsDownloader downloader =
        WeightsDownloader.builder()
            .log(new PrintStream(stderr, true, StandardCharsets.UTF_8))
            .terminal(false)
            .retryDelay(Duration.ZERO)
            .build();
    return new WeightsResolver(
        new Configuration(),
        new org.apache.hadoop.fs.Path(dir.resolve("cache").toString()),
        List.of(new WeightsDownloadSource(downloader, WeightsCheck.vgg19UpTo("conv2_1"))));
  }

  private static ModelConfig auto(URI url) {
    return new ModelConfig(
        new WeightsSource.Auto(),
        url.toString(),
        null,
        Normalization.IMAGENET,
        Pooling.MAX,
        DeviceChoice.CPU);
  }

  @Test
  void firstRunDownloadsWithProgressAndTheSecondRunUsesTheCache() throws IOException {
    URI url = server.url("vgg19-part.safetensors");

    WeightsResolver.Resolution first = resolver().resolve(auto(url), true);
    String progress = stderr.toString(StandardCharsets.UTF_8);
    WeightsResolver.Resolution second = resolver().resolve(auto(url), true);

    Path cached = dir.resolve("cache").resolve("vgg19-part.safetensors");
    assertThat(Files.readAllBytes(cached)).isEqualTo(weights);
    assertThat(first.model().weights().spelling()).isEqualTo("file:" + cached);
    assertThat(first.model().weightsId()).matches("vgg19-part\\.safetensors@[0-9a-f]{12}");
    assertThat(first.warning()).isNull();
    assertThat(progress).contains("Downloading vgg19-part.safetensors", "100%");
    assertThat(server.requests()).isEqualTo(1);
    assertThat(second.model()).isEqualTo(first.model());
  }

  @Test
  void refusedConnectionFallsBackToRandomZeroWithALoudWarning() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closedPort + "/vgg19.safetensors");

    WeightsResolver.Resolution r = resolver().resolve(auto(url), true);

    assertThat(r.model().weights().spelling()).isEqualTo("random:0");
    assertThat(r.model().weightsId()).isEqualTo("random:0");
    assertThat(r.warning())
        .contains("NO PRETRAINED WEIGHTS")
        .contains("cannot reach " + url)
        .contains("Connection refused")
        .contains("fetch-weights")
        .contains("point model.weights at")
        .contains(dir.resolve("cache").resolve("vgg19.safetensors").toString());
    assertThat(r.warning().lines().count()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void invalidDownloadFallsBackNamingTheKey() throws IOException {
    server.body(TestSafetensors.vggUpToConv2_1().put("features.5.weight", 128, 3, 3, 3).bytes(1));

    WeightsResolver.Resolution r = resolver().resolve(auto(server.url("bad.safetensors")), true);

    assertThat(r.model().weightsId()).isEqualTo("random:0");
    assertThat(r.warning()).contains("features.5.weight", "(128, 3, 3, 3)", "(128, 64, 3, 3)");
    assertThat(dir.resolve("cache").resolve("bad.safetensors")).doesNotExist();
  }

  @Test
  void damagedCachedFileIsDownloadedAgain() throws IOException {
    Path cache = Files.createDirectories(dir.resolve("cache"));
    Files.write(cache.resolve("w.safetensors"), Arrays.copyOf(weights, weights.length / 3));

    WeightsResolver.Resolution r = resolver().resolve(auto(server.url("w.safetensors")), true);

    assertThat(r.warning()).isNull();
    assertThat(server.requests()).isEqualTo(1);
    assertThat(Files.readAllBytes(cache.resolve("w.safetensors"))).isEqualTo(weights);
  }

  @Test
  void commandsThatMayNotDownloadTouchNoNetwork() throws IOException {
    WeightsResolver.Resolution r = resolver().resolve(auto(server.url("w.safetensors")), false);

    assertThat(server.requests()).isZero();
    assertThat(r.model().weightsId()).isEqualTo("random:0");
  }
}
