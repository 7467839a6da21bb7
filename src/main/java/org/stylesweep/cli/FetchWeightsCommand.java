package org.stylesweep.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.stylesweep.spec.ModelConfig;
import org.stylesweep.weights.WeightsCache;
import org.stylesweep.weights.WeightsCheck;
import org.stylesweep.weights.WeightsDownloadException;
import org.stylesweep.weights.WeightsDownloader;
import org.stylesweep.weights.WeightsResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fetch-weights [--url U] [--to DIR]}: downloads VGG-19 weights into the cache ahead of
 * time, on a machine with internet access, so that {@code model.weights: auto} finds them later
 * (copy the folder to an offline machine or to shared storage). Starts no Spark.
 */
@Command(
    name = "fetch-weights",
    mixinStandardHelpOptions = true,
    description = {
      "Download VGG-19 weights into the cache ahead of time (progress on stderr, resumes a cut download).",
      "model.weights: auto then finds them; copy the folder to offline machines or set STYLESWEEP_CACHE."
    })
final class FetchWeightsCommand implements Callable<Integer> {

  @ParentCommand StyleSweep root;

  @Option(
      names = "--url",
      paramLabel = "URL",
      defaultValue = ModelConfig.DEFAULT_WEIGHTS_URL,
      description =
          "Weights to download, .safetensors or .npz over http(s) (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--to",
      paramLabel = "DIR",
      description = "Cache folder (default: $STYLESWEEP_CACHE, else ~/.cache/stylesweep).")
  String to;

  @Option(
      names = "--sha256",
      paramLabel = "HEX",
      description =
          "Expected SHA-256 of the file (as model.weights_sha256); a mismatch deletes it.")
  String sha256;

  @Override
  public Integer call() {
    URI uri;
    try {
      uri = URI.create(url);
      WeightsCache.fileNameFor(uri);
    } catch (IllegalArgumentException e) {
      throw new StyleSweep.BadInputException("--url: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new StyleSweep.BadInputException("--url must be an http(s) URL, got " + url);
    }
    if (sha256 != null && !sha256.matches("[0-9a-fA-F]{64}")) {
      throw new StyleSweep.BadInputException(
          "--sha256 must be 64 hexadecimal digits, got " + sha256);
    }
    Path dir =
        to != null
            ? Path.of(to)
            : Path.of(
                WeightsResolver.defaultCacheDir(System.getenv(), System.getProperty("user.home"))
                    .toUri()
                    .getPath());
    WeightsDownloader downloader = WeightsDownloader.builder().log(root.err).build();
    WeightsDownloader.Result result;
    try {
      result = downloader.fetch(uri, dir, sha256, WeightsCheck.vgg19());
    } catch (WeightsDownloadException e) {
      root.err.println("error: " + e.getMessage());
      return ExitCodes.ERROR;
    }
    String name = result.file().getFileName().toString();
    root.out.printf(
        Locale.ROOT,
        "%s %s%n",
        result.bytesTransferred() == 0 ? "already in the cache:" : "downloaded:",
        result.file());
    root.out.printf(
        Locale.ROOT,
        "sha256 %s, weights_id %s%n",
        result.sha256(),
        WeightsResolver.idOf(name, result.sha256()));
    // How a manifest finds this file: auto looks in the cache under the URL's name.
    List<String> conditions = new ArrayList<>();
    if (to != null) {
      conditions.add("STYLESWEEP_CACHE=" + dir.toAbsolutePath());
    }
    if (!ModelConfig.DEFAULT_WEIGHTS_URL.equals(url)) {
      conditions.add("model.weights_url: " + url);
    }
    root.out.printf(
        Locale.ROOT,
        "model.weights: auto finds it%s; or set model.weights: %s%n",
        conditions.isEmpty() ? "" : " with " + String.join(" and ", conditions),
        result.file());
    root.out.flush();
    return ExitCodes.OK;
  }
}
