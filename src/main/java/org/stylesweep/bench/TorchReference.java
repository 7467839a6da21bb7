package org.stylesweep.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference (c): {@code bench/torch_reference.py}, the PyTorch tutorial's code, run as a
 * subprocess on the same weights and images (written to an npz by {@link
 * Workload#writeTorchInputs}). The JVM waits while it runs, so the two never compete for cores. The
 * script imports VGG-19 and the tutorial's modules from {@code tools/vgg_reference.py} of the same
 * checkout (found from the script's own location, not the working directory).
 */
final class TorchReference {

  /**
   * One timed run of the script.
   *
   * @param run the tutorial's run, per evaluation
   * @param floor the raw truncated VGG pass in torch, per pass; null when not asked for
   * @param torchVersion torch.__version__
   * @param threads torch.get_num_threads()
   * @param blas the BLAS library the reference loaded (its Gram products run there), or "unknown"
   */
  record Result(Timing run, Timing floor, String torchVersion, int threads, String blas) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String python;
  private final Path script;

  TorchReference(String python, Path script) {
    this.python = python;
    this.script = script;
  }

  /** The script's location: {@code bench/torch_reference.py} under the working directory. */
  static Path defaultScript() {
    return Path.of("bench", "torch_reference.py");
  }

  /**
   * Why the reference cannot run here on {@code device} (no script, no python, no torch, no CUDA
   * build for a GPU), or null when it can.
   */
  String unavailableReason(Device device) {
    if (!Files.isRegularFile(script)) {
      return "no script at "
          + script.toAbsolutePath()
          + " (run from the repository root or pass --torch-script)";
    }
    try {
      // On a GPU the reference must run there too; Debian's python3-torch is CPU-only.
      String check =
          device.isGpu()
              ? "import torch, numpy, sys; sys.exit(0 if torch.cuda.is_available() else 'no CUDA in this torch build')"
              : "import torch, numpy";
      ExecResult result = exec(List.of(python, "-c", check), 120);
      if (result.exitCode != 0) {
        String why = result.stderr.strip();
        int newline = why.lastIndexOf('\n');
        return python
            + " cannot run torch"
            + (device.isGpu() ? " on " + device : "")
            + " ("
            + (newline >= 0 ? why.substring(newline + 1) : why)
            + "); pass --python with a torch that can";
      }
      return null;
    } catch (IOException e) {
      return "cannot start " + python + ": " + e.getMessage();
    }
  }

  /**
   * Runs the tutorial's loop for {@code steps} evaluations after an untimed warm-up, then {@code
   * steps} floor passes when {@code floor}.
   */
  Result run(Path inputs, int steps, int warmup, int threads, Device device, boolean floor) {
    List<String> command =
        new ArrayList<>(
            List.of(
                python,
                script.toString(),
                "--inputs",
                inputs.toString(),
                "--steps",
                Integer.toString(steps),
                "--floor-passes",
                Integer.toString(floor ? steps : 0),
                "--warmup",
                Integer.toString(warmup),
                "--threads",
                Integer.toString(threads),
                "--device",
                device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu"));
    try {
      ExecResult result = exec(command, 3600);
      if (result.exitCode != 0) {
        throw new IllegalStateException(
            "the PyTorch reference failed (exit "
                + result.exitCode
                + "): "
                + String.join(" ", command)
                + "\n"
                + result.stderr.strip());
      }
      String[] lines = result.stdout.strip().split("\n");
      JsonNode json = JSON.readTree(lines[lines.length - 1]);
      Timing floorTiming =
          json.has("floor_ms")
              ? Timing.of(json.get("floor_ms").asDouble(), json.get("floor_cpu_ms").asDouble())
              : null;
      return new Result(
          Timing.of(json.get("ms_per_eval").asDouble(), json.get("cpu_ms_per_eval").asDouble()),
          floorTiming,
          json.get("torch").asText(),
          json.get("threads").asInt(),
          json.has("blas") ? json.get("blas").asText() : "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run the PyTorch reference " + String.join(" ", command), e);
    }
  }

  private record ExecResult(int exitCode, String stdout, String stderr) {}

  private static ExecResult exec(List<String> command, long timeoutSeconds) throws IOException {
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    // Drain stderr on another thread so a chatty child cannot block on a full pipe.
    StringBuilder stderr = new StringBuilder();
    Thread drain =
        new Thread(
            () -> stderr.append(readAll(process.getErrorStream())), "torch-reference-stderr");
    drain.setDaemon(true);
    drain.start();
    String stdout = readAll(process.getInputStream());
    try {
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("timed out after " + timeoutSeconds + " s");
      }
      drain.join();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return new ExecResult(process.exitValue(), stdout, stderr.toString());
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
