package org.stylesweep.spec;

import java.io.Serializable;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a model's weights come from, parsed once from {@code model.weights}: the cached or
 * downloaded ImageNet file ({@link Auto}), torchvision's random initialization with a seed ({@link
 * Random}), or a file any Hadoop file system can read ({@link File}). After the driver resolves a
 * manifest, a {@link ModelSpec} holds only {@link Random} or {@link File}.
 */
public sealed interface WeightsSource extends Serializable {

  /**
   * {@code auto}: the cached ImageNet weights, downloaded when allowed; random weights otherwise.
   */
  record Auto() implements WeightsSource {
    @Override
    public String spelling() {
      return "auto";
    }
  }

  /**
   * {@code random:<seed>}: torchvision's initialization of VGG-19 with this seed.
   *
   * @param seed the seed
   */
  record Random(long seed) implements WeightsSource {
    @Override
    public String spelling() {
      return RANDOM_PREFIX + seed;
    }
  }

  /**
   * A {@code .safetensors} or {@code .npz} file.
   *
   * @param uri its fully qualified location (file, s3a, hdfs, ...)
   */
  record File(String uri) implements WeightsSource {
    @Override
    public String spelling() {
      return uri;
    }

    /** Whether executors on other machines can read it only if the driver ships it. */
    public boolean isLocal() {
      return "file".equals(URI.create(uri.replace(" ", "%20")).getScheme());
    }
  }

  /** The prefix of {@link Random}'s spelling. */
  String RANDOM_PREFIX = "random:";

  /** The manifest's spelling: {@code auto}, {@code random:<seed>} or the file's URI. */
  String spelling();

  /**
   * Parses {@code model.weights}: {@code auto}, {@code random:<seed>}, or a path or URI (returned
   * as given; the caller qualifies it against the manifest's folder).
   *
   * @throws IllegalArgumentException saying what was expected
   */
  static WeightsSource parse(String text) {
    String value = text == null ? "" : text.trim();
    if (value.toLowerCase(Locale.ROOT).equals("auto")) {
      return new Auto();
    }
    if (value.startsWith(RANDOM_PREFIX)) {
      Matcher m = Pattern.compile("random:(-?\\d{1,18})").matcher(value);
      if (!m.matches()) {
        throw new IllegalArgumentException("expected random:<integer seed>, e.g. random:0");
      }
      return new Random(Long.parseLong(m.group(1)));
    }
    if (!value.endsWith(".safetensors") && !value.endsWith(".npz")) {
      throw new IllegalArgumentException("weights files must end in .safetensors or .npz");
    }
    return new File(value);
  }

  /** Whether a weights id (a metrics column) names random weights. */
  static boolean isRandomId(String weightsId) {
    return weightsId != null && weightsId.startsWith(RANDOM_PREFIX);
  }
}
