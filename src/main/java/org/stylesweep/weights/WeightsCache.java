package org.stylesweep.weights;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of downloaded weights in the cache ({@link WeightsResolver#defaultCacheDir}): one file per
 * URL, under a readable name.
 */
public final class WeightsCache {
  /** {@code https://huggingface.co/<org>/<repo>/resolve/<revision>/<file>}. */
  private static final Pattern HUGGING_FACE =
      Pattern.compile("/([^/]+)/([^/]+)/resolve/[^/]+/(.+)");

  private WeightsCache() {}

  /**
   * The cache file name for a URL. Hugging Face calls every timm file {@code model.safetensors}, so
   * such a file is named after its repository instead: the default URL gives {@code
   * vgg19.tv_in1k.safetensors}; another file of a Hugging Face repository gives {@code
   * <repo>--<file>}. Other URLs keep their last path segment.
   *
   * @throws IllegalArgumentException when the URL has no file name
   */
  public static String fileNameFor(URI url) {
    String path = url.getPath() == null ? "" : url.getPath();
    String name;
    Matcher hf = HUGGING_FACE.matcher(path);
    if (url.getHost() != null && url.getHost().endsWith("huggingface.co") && hf.matches()) {
      String repo = hf.group(2);
      String file = hf.group(3).replace('/', '-');
      name =
          file.startsWith("model.") ? repo + file.substring("model".length()) : repo + "--" + file;
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
