package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LoopbackWeightsServer;
import org.stylesweep.testing.TestSafetensors;

/**
 * {@code fetch-weights} against a real HTTP server on loopback serving a whole VGG-19 (constant
 * values).
 */
class FetchWeightsCommandTest {
  private static byte[] weights;
  private static LoopbackWeightsServer server;

  @TempDir Path dir;

  @BeforeAll
  static void serve() throws Exception {
    weights = TestSafetensors.vgg19().bytes(() -> 0.01f);
    server = new LoopbackWeightsServer(weights);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static CliResult cli(String... args) {
    return CliResult.execute(null, args);
  }

  @Test
  void fetchWeightsDownloadsOnceIntoTheFolderWithProgressThenFindsItCached() throws Exception {
    int before = server.requests();
    String url = server.url("vgg19-fetch.safetensors").toString();

    CliResult first = cli("fetch-weights", "--url", url, "--to", dir.toString());
    CliResult second = cli("fetch-weights", "--url", url, "--to", dir.toString());

    assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.OK);
    assertThat(Files.readAllBytes(dir.resolve("vgg19-fetch.safetensors"))).isEqualTo(weights);
    assertThat(first.err()).contains("Downloading vgg19-fetch.safetensors", "100%", "MiB/s");
    assertThat(first.out())
        .contains("downloaded: " + dir.resolve("vgg19-fetch.safetensors"))
        .containsPattern("weights_id vgg19-fetch\\.safetensors@[0-9a-f]{12}")
        .contains("STYLESWEEP_CACHE=" + dir, "model.weights_url: " + url);
    assertThat(second.code()).isEqualTo(ExitCodes.OK);
    assertThat(second.out())
        .contains("already in the cache: " + dir.resolve("vgg19-fetch.safetensors"));
    assertThat(server.requests() - before).isEqualTo(1);
  }

  @Test
  void fetchWeightsFromAClosedPortExitsOneNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/vgg19.safetensors";

    CliResult r = cli("fetch-weights", "--url", url, "--to", dir.toString());

    assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("error: cannot reach " + url);
    assertThat(dir.resolve("vgg19.safetensors")).doesNotExist();
  }

  @Test
  void fetchWeightsRefusesAUrlThatIsNotHttp() {
    CliResult r =
        cli("fetch-weights", "--url", "file:/tmp/vgg19.safetensors", "--to", dir.toString());

    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("--url must be an http(s) URL, got file:/tmp/vgg19.safetensors");
  }
}
