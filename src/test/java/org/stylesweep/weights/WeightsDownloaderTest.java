package org.stylesweep.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LoopbackWeightsServer;
import org.stylesweep.testing.TestSafetensors;

/** The downloader against a real HTTP server on loopback that serves generated VGG-19 weights. */
class WeightsDownloaderTest {
  private static final String NAME = "vgg19-test.safetensors";
  private static final WeightsCheck UP_TO_CONV2_1 = WeightsCheck.vgg19UpTo("conv2_1");

  @TempDir Path cache;
  private byte[] weights;
  private LoopbackWeightsServer server;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  @BeforeEach
  void serve() throws IOException {
    weights = TestSafetensors.vggUpToConv2_1().bytes(7);
    server = new LoopbackWeightsServer(weights);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private WeightsDownloader downloader(int attempts) {
    return WeightsDownloader.builder()
        .log(new PrintStream(stderr, true, StandardCharsets.UTF_8))
        .terminal(false)
        .maxAttempts(attempts)
        .retryDelay(Duration.ZERO)
        .connectTimeout(Duration.ofSeconds(5))
        .readTimeout(Duration.ofSeconds(5))
        .build();
  }

  private String log() {
    return stderr.toString(StandardCharsets.UTF_8);
  }

  @Test
  void firstRunDownloadsOnceShowsProgressAndLeavesNoPart() throws Exception {
    WeightsDownloader.Result result =
        downloader(3).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1);

    assertThat(result.file()).isEqualTo(cache.resolve(NAME));
    assertThat(Files.readAllBytes(result.file())).isEqualTo(weights);
    assertThat(result.sha256()).isEqualTo(sha256(weights));
    assertThat(result.bytesTransferred()).isEqualTo(weights.length);
    assertThat(server.requests()).isEqualTo(1);
    assertThat(log())
        .contains("Downloading " + NAME, "100%", "MiB/s")
        .contains(
            String.format(
                java.util.Locale.ROOT,
                "%.1f/%.1f MiB",
                weights.length / 1048576.0,
                weights.length / 1048576.0));
    assertThat(cache.resolve(NAME + ".part")).doesNotExist();
  }

  @Test
  void secondRunDownloadsNothing() throws Exception {
    WeightsDownloader downloader = downloader(3);
    downloader.fetch(server.url(NAME), cache, null, UP_TO_CONV2_1);
    WeightsDownloader.Result again = downloader.fetch(server.url(NAME), cache, null, UP_TO_CONV2_1);

    assertThat(server.requests()).isEqualTo(1);
    assertThat(again.bytesTransferred()).isZero();
    assertThat(again.sha256()).isEqualTo(sha256(weights));
  }

  @Test
  void cutDownloadResumesWithRangeAndGivesTheWholeFile() throws Exception {
    server.cutNext(1);

    WeightsDownloader.Result result =
        downloader(3).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1);

    assertThat(server.requests()).isEqualTo(2);
    assertThat(server.ranges().get(0)).isEmpty();
    long half = weights.length / 2;
    assertThat(server.ranges().get(1)).isEqualTo("bytes=" + half + "-");
    assertThat(Files.readAllBytes(result.file())).isEqualTo(weights);
    assertThat(result.bytesTransferred()).isEqualTo(weights.length);
    assertThat(log()).contains("was cut", "Resuming " + NAME + " at " + half + " bytes");
  }

  @Test
  void cutDownloadBehindARedirectResumesWithTheRangeKept() throws Exception {
    server.cutNext(1);

    WeightsDownloader.Result result =
        downloader(3).fetch(server.redirectingUrl(NAME), cache, null, UP_TO_CONV2_1);

    assertThat(server.redirects()).isEqualTo(2);
    assertThat(server.ranges()).containsExactly("", "bytes=" + weights.length / 2 + "-");
    assertThat(Files.readAllBytes(result.file())).isEqualTo(weights);
  }

  @Test
  void partialFileLeftByAnEarlierRunIsResumedByTheNextRun() throws Exception {
    server.cutNext(1);
    assertThatThrownBy(() -> downloader(1).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1))
        .isInstanceOf(WeightsDownloadException.class)
        .hasMessageContaining("did not finish in 1 attempts")
        .hasMessageContaining("next run resumes it");
    Path part = cache.resolve(NAME + ".part");
    assertThat(Files.size(part)).isEqualTo(weights.length / 2);
    assertThat(cache.resolve(NAME)).doesNotExist();

    WeightsDownloader.Result result =
        downloader(1).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1);

    assertThat(server.ranges()).containsExactly("", "bytes=" + weights.length / 2 + "-");
    assertThat(Files.readAllBytes(result.file())).isEqualTo(weights);
    assertThat(part).doesNotExist();
  }

  @Test
  void serverThatIgnoresRangeMakesThePartStartOver() throws Exception {
    Files.write(cache.resolve(NAME + ".part"), Arrays.copyOf(new byte[] {1, 2, 3}, 100));
    server.ignoreRange();

    WeightsDownloader.Result result =
        downloader(1).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1);

    assertThat(server.ranges()).containsExactly("bytes=100-");
    assertThat(Files.readAllBytes(result.file())).isEqualTo(weights);
    assertThat(log()).contains("starting " + NAME + " over");
  }

  @Test
  void partThatIsAlreadyWholeIsValidatedWithoutDownloadingAgain() throws Exception {
    Files.write(cache.resolve(NAME + ".part"), weights);

    WeightsDownloader.Result result =
        downloader(1).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1);

    assertThat(server.ranges()).containsExactly("bytes=" + weights.length + "-");
    assertThat(Files.readAllBytes(result.file())).isEqualTo(weights);
  }

  @Test
  void truncatedFileIsRejectedNamingTheKeyAndDeleted() throws Exception {
    // The server itself serves a short file (a broken upload): the transfer completes, the check
    // fails.
    server.body(Arrays.copyOf(weights, weights.length - 1000));

    assertThatThrownBy(() -> downloader(1).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1))
        .isInstanceOf(WeightsDownloadException.class)
        .hasMessageContaining("weights '" + NAME + "': truncated")
        .hasMessageContaining("'features.5.weight' is incomplete")
        .hasMessageContaining("was deleted");
    assertThat(cache.resolve(NAME)).doesNotExist();
    assertThat(cache.resolve(NAME + ".part")).doesNotExist();
  }

  @Test
  void wrongShapeIsRejectedNamingKeyExpectedAndFoundShape() throws Exception {
    server.body(TestSafetensors.vggUpToConv2_1().put("features.2.weight", 64, 32, 3, 3).bytes(7));

    assertThatThrownBy(() -> downloader(1).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1))
        .isInstanceOf(WeightsDownloadException.class)
        .hasMessageContaining(
            "weights '"
                + NAME
                + "': features.2.weight (conv1_2, stored as 'features.2.weight')"
                + " has shape (64, 32, 3, 3), expected (64, 64, 3, 3)");
    assertThat(cache.resolve(NAME)).doesNotExist();
  }

  @Test
  void missingLayerIsRejectedNamingTheKey() throws Exception {
    assertThatThrownBy(
            () ->
                downloader(1)
                    .fetch(server.url(NAME), cache, null, WeightsCheck.vgg19UpTo("conv2_2")))
        .isInstanceOf(WeightsDownloadException.class)
        .hasMessageContaining(
            "weights '"
                + NAME
                + "' lacks features.7.weight (conv2_2, expected shape (128, 128, 3, 3))");
  }

  @Test
  void wrongSha256IsRejectedAndCorrectOneAccepted() throws Exception {
    String wrong = "0".repeat(64);
    assertThatThrownBy(() -> downloader(1).fetch(server.url(NAME), cache, wrong, UP_TO_CONV2_1))
        .isInstanceOf(WeightsDownloadException.class)
        .hasMessageContaining(
            "sha256 is " + sha256(weights) + " but weights_sha256 expects " + wrong);

    WeightsDownloader.Result ok =
        downloader(1).fetch(server.url(NAME), cache, sha256(weights).toUpperCase(), UP_TO_CONV2_1);
    assertThat(ok.sha256()).isEqualTo(sha256(weights));
  }

  @Test
  void httpErrorNamesStatusAndUrlWithoutRetrying() {
    server.status(404);
    URI url = server.url(NAME);

    assertThatThrownBy(() -> downloader(3).fetch(url, cache, null, UP_TO_CONV2_1))
        .isInstanceOf(WeightsDownloadException.class)
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining(url.toString());
    assertThat(server.requests()).isEqualTo(1);
  }

  @Test
  void refusedConnectionFailsAtOnceNamingTheUrl() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closedPort + "/" + NAME);

    assertThatThrownBy(() -> downloader(3).fetch(url, cache, null, UP_TO_CONV2_1))
        .isInstanceOf(WeightsDownloadException.class)
        .hasMessageContaining("cannot reach " + url + " (ConnectException: Connection refused)");
    assertThat(cache.resolve(NAME)).doesNotExist();
  }

  @Test
  void invalidCachedFileIsReplacedByAFreshDownload() throws Exception {
    Files.write(cache.resolve(NAME), Arrays.copyOf(weights, 500));

    WeightsDownloader.Result result =
        downloader(1).fetch(server.url(NAME), cache, null, UP_TO_CONV2_1);

    assertThat(Files.readAllBytes(result.file())).isEqualTo(weights);
    assertThat(log()).contains("is not valid");
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
