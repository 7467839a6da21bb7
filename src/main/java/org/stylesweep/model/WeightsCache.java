package org.stylesweep.model;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where downloaded weights live: {@code $STYLESWEEP_CACHE}, else {@code ~/.cache/stylesweep}, one
 * file per URL under a readable name.
 */
public final class WeightsCache {
  /** Environment variable that moves the cache (e.g. to shared storage on a cluster's driver). */
  public static final String ENV = "STYLESWEEP_CACHE";

  /** {@code https://huggingface.co/<org>/<repo>/resolve/<revision>/<file>}. */
  private static final Pattern HUGGING_FACE =
      Pattern.compile("/([^/]+)/([^/]+)/resolve/[^/]+/(.+)");

  private WeightsCache() {}

  /** The cache folder for this environment. */
  public static Path defaultDir() {
    return dirFor(System.getenv(), System.getProperty("user.home"));
  }

  /** The cache folder given an environment and a home folder (testable without touching either). */
  static Path dirFor(Map<String, String> env, String userHome) {
    String configured = env.get(ENV);
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(userHome, ".cache", "stylesweep");
  }

  /**
   * The cache file name for a URL. Hugging Face files are all called {@code model.safetensors}, so
   * their name carries the repository, as the Hugging Face cache does:
   * {@code timm--vgg19.tv_in1k--model.safetensors}. Other URLs keep their last path segment.
   *
   * @throws IllegalArgumentException when the URL has no file name
   */
  public static String fileNameFor(URI url) {
    String path = url.getPath() == null ? "" : url.getPath();
    String name;
    Matcher hf = HUGGING_FACE.matcher(path);
    if (url.getHost() != null && url.getHost().endsWith("huggingface.co") && hf.matches()) {
      name = hf.group(1) + "--" + hf.group(2) + "--" + hf.group(3).replace('/', '-');
    } else {
      name = path.substring(path.lastIndexOf('/') + 1);
    }
    // Keep the name a plain file name on every file system.
    name = name.replaceAll("[^A-Za-z0-9._-]", "_");
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "weights_url " + url + " does not end in a file name (e.g. .../vgg19.safetensors)");
    }
    return name;
  }
}
