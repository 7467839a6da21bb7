package org.stylesweep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.ProgressListener;
import org.stylesweep.transfer.StyleTransfer;
import org.stylesweep.transfer.TransferResult;

/**
 * Memory of one run in a fresh JVM, so that its peak RSS ({@code VmHWM}) is the run's and not that
 * of earlier, larger runs: RSS after the engine and weights are loaded, RSS every few evaluations
 * during the run, and the peak.
 *
 * <p>{@link #measure} starts {@code java ... MemoryProbe} with this JVM's classpath; {@link #main}
 * is that child, which prints its figures as one JSON line.
 */
final class MemoryProbe {

  /**
   * Figures of one run.
   *
   * @param size image size (longest side)
   * @param evaluations evaluations done
   * @param rssBeforeRun bytes resident with the engine and weights loaded, before the run
   * @param peakRss peak resident bytes of the process
   * @param samples (evaluation, resident bytes, committed Java heap bytes) every {@code
   *     sampleEvery} evaluations
   * @param msPerEvaluation the run's speed, for the record
   * @param error the run's error, or null
   */
  record Figures(
      int size,
      int evaluations,
      long rssBeforeRun,
      long peakRss,
      List<long[]> samples,
      double msPerEvaluation,
      String error) {

    /** max − min of the resident bytes sampled from evaluation {@code from} on. */
    long spreadFrom(int from) {
      return spread(from, false);
    }

    /**
     * max − min of resident bytes minus the committed Java heap, from evaluation {@code from} on:
     * native memory (libtorch's tensors) and the JVM's own, without the heap's growth.
     */
    long nativeSpreadFrom(int from) {
      return spread(from, true);
    }

    private long spread(int from, boolean withoutHeap) {
      long min = Long.MAX_VALUE;
      long max = Long.MIN_VALUE;
      for (long[] sample : samples) {
        if (sample[0] >= from) {
          long value = withoutHeap ? sample[1] - sample[2] : sample[1];
          min = Math.min(min, value);
          max = Math.max(max, value);
        }
      }
      return min == Long.MAX_VALUE ? 0 : max - min;
    }

    /** Resident bytes at the last sample at or before {@code evaluation}; -1 when none. */
    long rssAt(int evaluation) {
      long rss = -1;
      for (long[] sample : samples) {
        if (sample[0] <= evaluation) {
          rss = sample[1];
        }
      }
      return rss;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The child JVM's heap limit. */
  static final String HEAP = "256m";

  private MemoryProbe() {}

  /** Runs one run of {@code size} px and {@code steps} evaluations in a fresh JVM. */
  static Figures measure(
      Workload workload,
      Path content,
      Path style,
      int size,
      int steps,
      int sampleEvery,
      int threads,
      String device) {
    return measure(workload, content, style, size, steps, sampleEvery, threads, device, List.of());
  }

  /**
   * As {@link #measure(Workload, Path, Path, int, int, int, int, String)}, with more arguments for
   * the child: its normalization, then {@code KEY=VALUE} run parameters ({@link RunSettings}).
   */
  static Figures measure(
      Workload workload,
      Path content,
      Path style,
      int size,
      int steps,
      int sampleEvery,
      int threads,
      String device,
      List<String> extra) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A run needs little Java heap; with a large -Xmx, G1 grows the heap lazily (about 0.65 MiB
    // per evaluation here) and RSS climbs for that reason alone, hiding what native memory does.
    // Even a committed heap enters RSS page by page as garbage first reaches each region: that
    // alone made RSS climb for ~325 evaluations at 128 px (0.1-0.2 MiB per evaluation, the same
    // with Adam, none for the bare network). Touching the whole heap at start-up leaves RSS to
    // native memory.
    command.add("-Xms" + HEAP);
    command.add("-Xmx" + HEAP);
    command.add("-XX:+AlwaysPreTouch");
    for (Map.Entry<Object, Object> property : System.getProperties().entrySet()) {
      // DJL's settings (offline mode, cache dir, thread counts) go to the child unchanged.
      if (property.getKey().toString().startsWith("ai.djl.")) {
        command.add("-D" + property.getKey() + "=" + property.getValue());
      }
    }
    command.addAll(
        List.of(
            "-cp",
            childClasspath(),
            MemoryProbe.class.getName(),
            content.toString(),
            style.toString(),
            workload.weights(),
            device,
            Integer.toString(threads),
            Integer.toString(size),
            Integer.toString(steps),
            Integer.toString(sampleEvery)));
    command.addAll(extra);
    try {
      Process process =
          new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      process.getOutputStream().close();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(3600, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "the memory probe for "
                + size
                + " px failed (exit "
                + (process.isAlive() ? "timeout" : process.exitValue())
                + "): "
                + stdout.strip());
      }
      String[] lines = stdout.strip().split("\n");
      return parse(JSON.readTree(lines[lines.length - 1]));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the memory probe JVM: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the memory probe ran", e);
    }
  }

  /**
   * This JVM's classpath, plus the jars that spark-submit adds through its own class loader (the
   * application jar and {@code --jars} are not on {@code java.class.path} there).
   */
  static String childClasspath() {
    java.util.LinkedHashSet<String> entries =
        new java.util.LinkedHashSet<>(
            List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
    for (ClassLoader loader = MemoryProbe.class.getClassLoader();
        loader != null;
        loader = loader.getParent()) {
      if (loader instanceof java.net.URLClassLoader urls) {
        for (java.net.URL url : urls.getURLs()) {
          if ("file".equals(url.getProtocol())) {
            try {
              entries.add(Path.of(url.toURI()).toString());
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
              // not a plain file; the child cannot use it either
            }
          }
        }
      }
    }
    entries.remove("");
    return String.join(java.io.File.pathSeparator, entries);
  }

  /**
   * The child: {@code content style weights device threads size steps sampleEvery}; prints one JSON
   * line.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 8) {
      System.err.println(
          "usage: MemoryProbe CONTENT STYLE WEIGHTS DEVICE THREADS SIZE STEPS SAMPLE_EVERY"
              + " [NORMALIZATION [KEY=VALUE ...]]");
      System.exit(2);
    }
    Workload workload =
        Workload.load(Path.of(args[0]), Path.of(args[1]), args[2], Workload.device(args[3]));
    Workload.setThreads(Integer.parseInt(args[4]));
    int size = Integer.parseInt(args[5]);
    int steps = Integer.parseInt(args[6]);
    int sampleEvery = Integer.parseInt(args[7]);
    Normalization normalization =
        args.length > 8
            ? org.stylesweep.common.Choice.parse(Normalization.class, args[8])
            : Normalization.IMAGENET;
    RunParams params =
        RunSettings.apply(
            Workload.params(size, steps),
            args.length > 9 ? List.of(args).subList(9, args.length) : List.of());
    List<long[]> samples = new ArrayList<>();
    try (Vgg19 model = workload.model()) {
      long before = ProcStatus.rssBytes();
      ProgressListener sampler =
          new ProgressListener() {
            @Override
            public void onProgress(
                int evaluation, int budget, double loss, double contentLoss, double styleLoss) {
              samples.add(
                  new long[] {
                    evaluation, ProcStatus.rssBytes(), Runtime.getRuntime().totalMemory()
                  });
            }

            @Override
            public int every() {
              return sampleEvery;
            }
          };
      TransferResult result =
          StyleTransfer.run(
              model,
              normalization,
              Task.TRANSFER,
              workload.content(),
              workload.style(),
              params,
              sampler);
      ObjectNode out = JSON.createObjectNode();
      out.put("size", size);
      out.put("evaluations", result.evaluations());
      out.put("rss_before_run", before);
      out.put("peak_rss", ProcStatus.peakRssBytes());
      out.put("ms_per_eval", result.msPerEvaluation());
      out.put("error", result.error());
      ArrayNode trail = out.putArray("samples");
      for (long[] sample : samples) {
        trail.addArray().add(sample[0]).add(sample[1]).add(sample[2]);
      }
      System.out.println(JSON.writeValueAsString(out));
    }
  }

  private static Figures parse(JsonNode json) {
    List<long[]> samples = new ArrayList<>();
    for (JsonNode sample : json.get("samples")) {
      samples.add(
          new long[] {sample.get(0).asLong(), sample.get(1).asLong(), sample.get(2).asLong()});
    }
    JsonNode error = json.get("error");
    return new Figures(
        json.get("size").asInt(),
        json.get("evaluations").asInt(),
        json.get("rss_before_run").asLong(),
        json.get("peak_rss").asLong(),
        samples,
        json.get("ms_per_eval").asDouble(),
        error == null || error.isNull() ? null : error.asText());
  }
}
