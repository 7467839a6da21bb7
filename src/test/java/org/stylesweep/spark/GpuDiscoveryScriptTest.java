package org.stylesweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.DeviceChoice;

/**
 * Runs {@code conf/getGpusResources.sh} with a fake {@code nvidia-smi} first on the PATH and parses
 * what it prints with Spark's own parser, as an executor does at start-up.
 */
class GpuDiscoveryScriptTest {

  private static final Path SCRIPT = Paths.get("conf", "getGpusResources.sh").toAbsolutePath();

  @TempDir Path bin;

  @Test
  void scriptIsExecutableSoSparkCanRunItDirectly() {
    assertThat(SCRIPT).isRegularFile();
    assertThat(Files.isExecutable(SCRIPT)).as("executable bit on %s", SCRIPT).isTrue();
  }

  /** What nvidia-smi prints for four GPUs with the query the script makes. */
  private static final String FOUR_GPUS =
      "0, GPU-aaaaaaaa-0000-0000-0000-000000000000\n"
          + "1, GPU-bbbbbbbb-1111-1111-1111-111111111111\n"
          + "2, GPU-cccccccc-2222-2222-2222-222222222222\n"
          + "3, GPU-dddddddd-3333-3333-3333-333333333333\n";

  @Test
  void listsEveryGpuIndexThatNvidiaSmiReports() throws Exception {
    fakeNvidiaSmi(
        "printf '0, GPU-aaaaaaaa-0000-0000-0000-000000000000\\n"
            + "1, GPU-bbbbbbbb-1111-1111-1111-111111111111\\n'\nexit 0\n");

    ResourceInformation gpus = runScript(null);

    assertThat(gpus.name()).isEqualTo("gpu");
    assertThat(gpus.addresses()).containsExactly("0", "1");
  }

  @Test
  void asksNvidiaSmiForIndexAndUuidWithoutHeader() throws Exception {
    // The fake answers only the exact query the script must make; anything else is an error.
    fakeNvidiaSmi(
        "if [ \"$*\" = '--query-gpu=index,uuid --format=csv,noheader' ]; then\n"
            + "  echo '3, GPU-dddddddd-3333-3333-3333-333333333333'; exit 0\nfi\n"
            + "echo \"unexpected arguments: $*\" >&2\nexit 2\n");

    assertThat(runScript(null).addresses()).containsExactly("3");
  }

  @Test
  void withCudaVisibleDevicesReportsTheOrdinalsCudaWillUse() throws Exception {
    fakeNvidiaSmiPrinting(FOUR_GPUS);

    // CUDA renumbers the named devices 0..n-1; Device.gpu(2) would not exist in this process.
    assertThat(runScript("2,3").addresses()).containsExactly("0", "1");
    assertThat(runScript("GPU-cccccccc").addresses()).containsExactly("0");
    assertThat(runScript("3, GPU-aaaaaaaa-0000-0000-0000-000000000000").addresses())
        .containsExactly("0", "1");
  }

  @Test
  void everyAddressItReportsIsADeviceTheTaskCanOpen() throws Exception {
    // A container given host GPUs 2 and 3 sees them as CUDA devices 0 and 1.
    fakeNvidiaSmiPrinting(FOUR_GPUS);
    int visibleInContainer = 2;

    for (String address : runScript("2,3").addresses()) {
      DeviceSelection.Selection selection =
          DeviceSelection.choose(
              DeviceChoice.GPU, Map.of("gpu", List.of(address)), visibleInContainer);
      assertThat(selection.device()).isEqualTo(Device.gpu(Integer.parseInt(address)));
    }
  }

  @Test
  void withCudaVisibleDevicesStopsAtTheFirstEntryThatNamesNoGpu() throws Exception {
    fakeNvidiaSmiPrinting(FOUR_GPUS);

    assertThat(runScript("1,7,2").addresses()).containsExactly("0");
    assertThat(runScript("-1").addresses()).isEmpty();
    assertThat(runScript("").addresses()).isEmpty();
  }

  @Test
  void printsAnEmptyListWhenNvidiaSmiFails() throws Exception {
    fakeNvidiaSmi(
        "echo 'NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.'\n"
            + "exit 9\n");

    ResourceInformation gpus = runScript(null);

    assertThat(gpus.name()).isEqualTo("gpu");
    assertThat(gpus.addresses()).isEmpty();
  }

  @Test
  void printsAnEmptyListWhenNvidiaSmiFindsNoDevice() throws Exception {
    fakeNvidiaSmi("echo 'No devices were found'\nexit 0\n");

    assertThat(runScript(null).addresses()).isEmpty();
  }

  @Test
  void printsAnEmptyListWhenNvidiaSmiIsNotInstalled() throws Exception {
    // No fake at all, and the PATH holds nothing else.
    ResourceInformation gpus = runScript(null);

    assertThat(gpus.name()).isEqualTo("gpu");
    assertThat(gpus.addresses()).isEmpty();
  }

  private void fakeNvidiaSmiPrinting(String stdout) throws IOException {
    Path listing = bin.resolve("listing.txt");
    Files.writeString(listing, stdout, StandardCharsets.UTF_8);
    fakeNvidiaSmi("while IFS= read -r l; do echo \"$l\"; done < '" + listing + "'\nexit 0\n");
  }

  private void fakeNvidiaSmi(String body) throws IOException {
    Path fake = bin.resolve("nvidia-smi");
    Files.writeString(fake, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /**
   * Runs the script with a PATH of only {@link #bin}: the script uses nothing but bash builtins and
   * nvidia-smi, and a real nvidia-smi on a GPU machine must not leak into these cases.
   */
  private ResourceInformation runScript(String cudaVisibleDevices) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(whichOnHostPath("bash").toString(), SCRIPT.toString());
    pb.environment().put("PATH", bin.toString());
    pb.environment().remove("CUDA_VISIBLE_DEVICES");
    if (cudaVisibleDevices != null) {
      pb.environment().put("CUDA_VISIBLE_DEVICES", cudaVisibleDevices);
    }
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = pb.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("script finished").isTrue();
    assertThat(process.exitValue()).as("exit status; stdout was: %s", stdout).isZero();
    return ResourceInformation.parseJson(stdout.trim());
  }

  private static Path whichOnHostPath(String tool) {
    return Arrays.stream(System.getenv("PATH").split(File.pathSeparator))
        .map(dir -> Paths.get(dir, tool))
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(tool + " not found on PATH"));
  }
}
