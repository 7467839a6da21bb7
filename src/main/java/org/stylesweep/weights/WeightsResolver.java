package org.stylesweep.weights;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.spec.ModelConfig;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.WeightsSource;

/**
 * Resolves {@code model.weights} once, on the driver, into weights every executor can read and a
 * {@code weights_id} recorded in every metrics row:
 *
 * <ol>
 *   <li>{@code random:<seed>}: used as is (torchvision's initialization, no file).
 *   <li>an explicit path or URI: used as is; its id is the file name plus a short SHA-256 of its
 *       bytes.
 *   <li>{@code auto}: each {@link AutoSource} in turn, the cache first ({@code $STYLESWEEP_CACHE},
 *       else {@code ~/.cache/stylesweep}, the file named after {@code model.weights_url} by {@link
 *       WeightsCache#fileNameFor}, {@value #CACHE_FILE_NAME} for the default URL), then a download
 *       ({@link WeightsDownloadSource}) when the caller adds it; when none has the file, {@code
 *       random:0} with a loud warning saying how to get real weights.
 * </ol>
 *
 * <p>Only the driver resolves; executors read the resolved file and never download.
 */
public final class WeightsResolver {
  /**
   * Name of the ImageNet VGG-19 file in the cache (timm's {@code vgg19.tv_in1k}, the default URL).
   */
  public static final String CACHE_FILE_NAME =
      WeightsCache.fileNameFor(java.net.URI.create(ModelConfig.DEFAULT_WEIGHTS_URL));

  /** What {@code auto} falls back to when no source has the weights. */
  public static final String FALLBACK = "random:0";

  private static final WeightsSource FALLBACK_SOURCE = new WeightsSource.Random(0);

  /**
   * One place {@code auto} may find the weights, tried in order. A source returns the weights file
   * (on any Hadoop file system), empty when it has nothing, or throws with the cause worth telling
   * the user when it tried and failed.
   */
  @FunctionalInterface
  public interface AutoSource {
    /**
     * @param config the manifest's model block (URL, expected hash)
     * @param cacheDir the local cache folder
     * @param mayDownload false for commands that must not touch the network ({@code validate})
     */
    Optional<Path> find(ModelConfig config, Path cacheDir, boolean mayDownload) throws IOException;
  }

  /**
   * The outcome of a resolution.
   *
   * @param model the network with {@code weights} and {@code weightsId} filled in
   * @param description how the weights were found, for the plan and the log
   * @param warning a message to show loudly (the random fallback), or null
   */
  public record Resolution(ModelSpec model, String description, String warning) {}

  private final Configuration conf;
  private final Path cacheDir;
  private final List<AutoSource> sources;

  /**
   * A resolver whose {@code auto} looks only in the cache.
   *
   * @param conf Hadoop configuration for reading weights files
   * @param cacheDir the cache folder, see {@link #defaultCacheDir}
   */
  public WeightsResolver(Configuration conf, Path cacheDir) {
    this(conf, cacheDir, List.of());
  }

  /**
   * @param extraSources tried after the cache, in order (for example a download)
   */
  public WeightsResolver(Configuration conf, Path cacheDir, List<AutoSource> extraSources) {
    this.conf = conf;
    this.cacheDir = cacheDir;
    List<AutoSource> all = new ArrayList<>();
    all.add(WeightsResolver::fromCache);
    all.addAll(extraSources);
    this.sources = List.copyOf(all);
  }

  /** {@code $STYLESWEEP_CACHE}, else {@code ~/.cache/stylesweep}. */
  public static Path defaultCacheDir(Map<String, String> env, String userHome) {
    String configured = env.get("STYLESWEEP_CACHE");
    if (configured != null && !configured.isBlank()) {
      return new Path(configured);
    }
    return new Path(userHome, ".cache/stylesweep");
  }

  /** The cache folder this resolver looks in. */
  public Path cacheDir() {
    return cacheDir;
  }

  /**
   * Resolves the weights of a manifest's model block.
   *
   * @param mayDownload whether sources may use the network
   * @throws IOException when an explicit weights file cannot be read
   */
  public Resolution resolve(ModelConfig config, boolean mayDownload) throws IOException {
    WeightsSource weights = config.weights();
    if (weights instanceof WeightsSource.Random random) {
      return new Resolution(
          spec(config, random, random.spelling()),
          "random initialization (" + random.spelling() + ")",
          null);
    }
    if (weights instanceof WeightsSource.File file) {
      Path path = HadoopFiles.qualify(new Path(file.uri()), conf);
      return new Resolution(
          spec(config, new WeightsSource.File(path.toString()), fileId(path)),
          "file " + path,
          null);
    }
    List<String> causes = new ArrayList<>();
    for (AutoSource source : sources) {
      try {
        Optional<Path> found = source.find(config, cacheDir, mayDownload);
        if (found.isPresent()) {
          Path path = HadoopFiles.qualify(found.get(), conf);
          return new Resolution(
              spec(config, new WeightsSource.File(path.toString()), fileId(path)),
              "auto: " + path,
              null);
        }
      } catch (IOException e) {
        causes.add(e.getMessage());
      }
    }
    String cause = causes.isEmpty() ? "no weights file in the cache" : String.join("; ", causes);
    String fetch =
        "./spark-submit.sh fetch-weights"
            + (ModelConfig.DEFAULT_WEIGHTS_URL.equals(config.weightsUrl())
                ? ""
                : " --url " + config.weightsUrl());
    String warning =
        String.join(
            "\n",
            "NO PRETRAINED WEIGHTS: model.weights is auto, but " + cause + ".",
            "Falling back to "
                + FALLBACK
                + " (random VGG-19): results will NOT look like style transfer",
            "with an ImageNet-trained network, and every metrics row records weights_id "
                + FALLBACK
                + ".",
            "To fix it, either",
            "  - run `" + fetch + "` on a machine with internet access (it downloads",
            "    " + config.weightsUrl() + "),",
            "  - or put the file at "
                + new Path(cacheDir, cacheFileName(config))
                + " (or set STYLESWEEP_CACHE),",
            "  - or point model.weights at a .safetensors/.npz file (see tools/export_vgg19.py).");
    return new Resolution(
        spec(config, FALLBACK_SOURCE, FALLBACK), "auto: fallback " + FALLBACK, warning);
  }

  /**
   * The cached file for the manifest's URL. A damaged one (a truncated copy) is not used: the cause
   * goes on to the next source, and a download replaces the file.
   */
  private static Optional<Path> fromCache(ModelConfig config, Path cacheDir, boolean mayDownload)
      throws IOException {
    java.nio.file.Path file =
        java.nio.file.Path.of(cacheDir.toUri().getPath(), cacheFileName(config));
    if (!java.nio.file.Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      WeightsIntegrity.requireWhole(file, file.getFileName().toString());
    } catch (IOException e) {
      throw new IOException(
          "the cached "
              + file
              + " is damaged ("
              + e.getMessage()
              + "); delete it, or run fetch-weights to download it again",
          e);
    }
    return Optional.of(new Path(file.toUri()));
  }

  private static String cacheFileName(ModelConfig config) {
    return WeightsCache.fileNameFor(java.net.URI.create(config.weightsUrl()));
  }

  /**
   * File name plus the first 12 hex digits of the SHA-256 of its bytes, e.g. {@code
   * vgg19.safetensors@1a2b3c4d5e6f}.
   */
  public String fileId(Path path) throws IOException {
    FileSystem fs = HadoopFiles.fileSystem(path, conf);
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(fs.open(path), digest)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (java.io.FileNotFoundException e) {
      throw new java.io.FileNotFoundException("weights file not found: " + path);
    }
    return idOf(path.getName(), HexFormat.of().formatHex(digest.digest()));
  }

  /**
   * The weights id of a file from its name and SHA-256 (hex): {@code name@<first 12 hex digits>}.
   */
  public static String idOf(String fileName, String sha256Hex) {
    return fileName + "@" + sha256Hex.substring(0, 12);
  }

  private static ModelSpec spec(ModelConfig config, WeightsSource location, String id) {
    return new ModelSpec(location, id, config.normalization(), config.pooling(), config.device());
  }
}
