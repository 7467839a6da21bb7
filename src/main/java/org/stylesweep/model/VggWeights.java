package org.stylesweep.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks VGG-19 weights files against the layer table, reading only their headers.
 *
 * <p>Accepted formats: safetensors and npz (numpy), sniffed from the first bytes as {@code
 * NDList.decode} does. Keys are torchvision's {@code features.<i>.weight|bias}; any prefix before
 * {@code features.} is allowed (timm's {@code vgg19.tv_in1k} and whole-model state dicts), and so
 * are bare {@code <i>.weight|bias} keys (a saved {@code vgg19().features}). Other keys (the
 * classifier) are ignored. A file may hold only the first conv layers, as long as it covers the
 * deepest layer a run needs.
 */
public final class VggWeights {

  /** Dtypes accepted for weights; everything is converted to float32 on load. */
  static final Set<String> FLOAT_DTYPES = Set.of("F64", "F32", "F16", "BF16");

  private static final Pattern FEATURES_KEY =
      Pattern.compile("^(?:.*\\.)?features\\.(\\d+)\\.(weight|bias)$");
  private static final Pattern BARE_KEY = Pattern.compile("^(\\d+)\\.(weight|bias)$");
  private static final long MAX_HEADER_BYTES = 100L << 20;

  private VggWeights() {}

  /**
   * Shape and dtype of one tensor in a weights file.
   *
   * @param key the key as stored in the file
   * @param dtype safetensors spelling: F32, F16, BF16, F64, I64, ...
   * @param shape the tensor's shape
   */
  public record TensorInfo(String key, String dtype, long[] shape) {}

  /**
   * One thing wrong with a weights file.
   *
   * @param key the canonical key concerned ({@code features.10.weight}), or null for the file
   * @param expectedShape the shape VGG-19 needs, e.g. {@code (256, 128, 3, 3)}, or null
   * @param foundShape the shape in the file, or null when the key is missing
   * @param message a sentence naming the file, key, layer and shapes
   */
  public record Problem(String key, String expectedShape, String foundShape, String message) {}

  /**
   * The canonical key {@code features.<i>.<weight|bias>} of a stored key, or null if it is not a
   * features key.
   */
  public static String canonicalKey(String storedKey) {
    Matcher m = FEATURES_KEY.matcher(storedKey);
    if (!m.matches()) {
      m = BARE_KEY.matcher(storedKey);
      if (!m.matches()) {
        return null;
      }
    }
    return "features." + Integer.parseInt(m.group(1)) + "." + m.group(2);
  }

  /** Canonical weight key of the {@code conv}-th convolution (0-based). */
  public static String weightKey(int conv) {
    return "features." + VggLayers.convFeatureIndex(conv) + ".weight";
  }

  /** Canonical bias key of the {@code conv}-th convolution (0-based). */
  public static String biasKey(int conv) {
    return "features." + VggLayers.convFeatureIndex(conv) + ".bias";
  }

  /** The shape VGG-19 needs for the weight of the {@code conv}-th convolution. */
  public static long[] expectedWeightShape(int conv) {
    return new long[] {VggLayers.convOutChannels(conv), VggLayers.convInChannels(conv), 3, 3};
  }

  /** The shape VGG-19 needs for the bias of the {@code conv}-th convolution. */
  public static long[] expectedBiasShape(int conv) {
    return new long[] {VggLayers.convOutChannels(conv)};
  }

  /** Formats a shape as torch prints it: {@code (256, 128, 3, 3)}. */
  public static String formatShape(long[] shape) {
    return "("
        + Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * Reads the tensor names, dtypes and shapes of a safetensors or npz stream without reading the
   * tensor data into memory.
   *
   * @throws IOException if the stream cannot be read or is neither format (the message names {@code
   *     sourceName})
   */
  public static List<TensorInfo> readHeader(InputStream in, String sourceName) throws IOException {
    InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
    buffered.mark(16);
    byte[] magic = buffered.readNBytes(9);
    buffered.reset();
    if (magic.length >= 2 && magic[0] == 'P' && magic[1] == 'K') {
      return readNpzHeader(buffered, sourceName);
    }
    if (magic.length == 9 && magic[8] == '{') {
      return readSafetensorsHeader(buffered, sourceName);
    }
    throw new IOException(
        "weights '"
            + sourceName
            + "' is neither safetensors nor npz (first bytes "
            + Arrays.toString(magic)
            + "); convert it with tools/weights or give a .safetensors/.npz file");
  }

  /**
   * Validates a weights stream for runs that need layers up to {@code deepestLayer}, reading only
   * headers.
   *
   * @param deepestLayer canonical name or alias of the deepest layer runs will request, e.g. {@code
   *     conv5_1}
   * @return the problems found; empty when the file can serve those runs
   * @throws IOException if the stream cannot be read or has an unknown format
   */
  public static List<Problem> validate(InputStream in, String sourceName, String deepestLayer)
      throws IOException {
    int needed = VggLayers.resolve(deepestLayer).convCount();
    return validate(readHeader(in, sourceName), sourceName, needed);
  }

  /** Validates a weights file; see {@link #validate(InputStream, String, String)}. */
  public static List<Problem> validate(Path file, String deepestLayer) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return validate(in, file.getFileName().toString(), deepestLayer);
    }
  }

  /**
   * Validates tensor infos for a model that needs the first {@code convsNeeded} convolutions. Every
   * conv key present must have the right shape and a float dtype, no key may appear twice under
   * different prefixes, no non-conv {@code features} index may hold weights, and the first {@code
   * convsNeeded} convolutions must all be present (only the first missing key is reported).
   */
  public static List<Problem> validate(
      List<TensorInfo> tensors, String sourceName, int convsNeeded) {
    List<Problem> problems = new ArrayList<>();
    Map<String, TensorInfo> byCanonical = new LinkedHashMap<>();
    Set<Integer> convIndices = new java.util.HashSet<>();
    for (int c = 0; c < VggLayers.CONV_COUNT; c++) {
      convIndices.add(VggLayers.convFeatureIndex(c));
    }
    for (TensorInfo info : tensors) {
      String canonical = canonicalKey(info.key());
      if (canonical == null) {
        continue;
      }
      TensorInfo previous = byCanonical.putIfAbsent(canonical, info);
      if (previous != null) {
        problems.add(
            new Problem(
                canonical,
                null,
                null,
                "weights '"
                    + sourceName
                    + "' holds "
                    + canonical
                    + " twice, as '"
                    + previous.key()
                    + "' and '"
                    + info.key()
                    + "'; keep one VGG-19 per file"));
        continue;
      }
      int index = Integer.parseInt(canonical.split("\\.")[1]);
      if (!convIndices.contains(index)) {
        String what =
            index < VggLayers.all().size()
                ? "a "
                    + VggLayers.all().get(index).kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " layer ("
                    + VggLayers.all().get(index).name()
                    + ") without weights"
                : "beyond the last layer of VGG-19 features (0..36)";
        problems.add(
            new Problem(
                canonical,
                null,
                formatShape(info.shape()),
                "weights '"
                    + sourceName
                    + "' has unexpected key '"
                    + info.key()
                    + "': in VGG-19, features."
                    + index
                    + " is "
                    + what
                    + "; is this vgg19_bn or another network? Use plain torchvision vgg19 weights"));
      }
    }
    for (int conv = 0; conv < VggLayers.CONV_COUNT; conv++) {
      checkShape(
          byCanonical.get(weightKey(conv)),
          weightKey(conv),
          expectedWeightShape(conv),
          conv,
          sourceName,
          problems);
      checkShape(
          byCanonical.get(biasKey(conv)),
          biasKey(conv),
          expectedBiasShape(conv),
          conv,
          sourceName,
          problems);
    }
    int covered = coveredConvs(byCanonical.keySet());
    if (covered < convsNeeded) {
      int conv = covered;
      String missing = byCanonical.containsKey(weightKey(conv)) ? biasKey(conv) : weightKey(conv);
      long[] expected =
          missing.endsWith("weight") ? expectedWeightShape(conv) : expectedBiasShape(conv);
      String holds =
          covered == 0
              ? "no VGG-19 conv layers" + sampleKeys(tensors)
              : "conv layers up to " + VggLayers.convName(covered - 1);
      problems.add(
          new Problem(
              missing,
              formatShape(expected),
              null,
              "weights '"
                  + sourceName
                  + "' lacks "
                  + missing
                  + " ("
                  + VggLayers.convName(conv)
                  + ", expected shape "
                  + formatShape(expected)
                  + "); the file holds "
                  + holds
                  + ", but layers up to "
                  + VggLayers.convName(convsNeeded - 1)
                  + " are needed: use a file covering them or request shallower layers"));
    }
    return problems;
  }

  /**
   * Number of leading convolutions whose weight and bias keys are both among {@code canonicalKeys}.
   */
  public static int coveredConvs(Set<String> canonicalKeys) {
    int conv = 0;
    while (conv < VggLayers.CONV_COUNT
        && canonicalKeys.contains(weightKey(conv))
        && canonicalKeys.contains(biasKey(conv))) {
      conv++;
    }
    return conv;
  }

  /** Joins problem messages into one error text. */
  public static String describe(List<Problem> problems) {
    return problems.stream().map(Problem::message).collect(Collectors.joining("; "));
  }

  private static String sampleKeys(List<TensorInfo> tensors) {
    if (tensors.isEmpty()) {
      return " (it holds no tensors)";
    }
    return " (its first keys: "
        + tensors.stream().limit(4).map(TensorInfo::key).collect(Collectors.joining(", "))
        + ")";
  }

  private static void checkShape(
      TensorInfo info,
      String key,
      long[] expected,
      int conv,
      String sourceName,
      List<Problem> problems) {
    if (info == null) {
      return;
    }
    if (!Arrays.equals(info.shape(), expected)) {
      problems.add(
          new Problem(
              key,
              formatShape(expected),
              formatShape(info.shape()),
              "weights '"
                  + sourceName
                  + "': "
                  + key
                  + " ("
                  + VggLayers.convName(conv)
                  + ", stored as '"
                  + info.key()
                  + "') has shape "
                  + formatShape(info.shape())
                  + ", expected "
                  + formatShape(expected)));
    } else if (!FLOAT_DTYPES.contains(info.dtype())) {
      problems.add(
          new Problem(
              key,
              formatShape(expected),
              formatShape(info.shape()),
              "weights '"
                  + sourceName
                  + "': "
                  + key
                  + " has dtype "
                  + info.dtype()
                  + ", expected a float type (F32, F16, BF16 or F64)"));
    }
  }

  private static List<TensorInfo> readSafetensorsHeader(InputStream in, String sourceName)
      throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] lengthBytes = new byte[8];
    data.readFully(lengthBytes);
    long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (length <= 0 || length > MAX_HEADER_BYTES) {
      throw new IOException(
          "weights '"
              + sourceName
              + "': safetensors header length "
              + length
              + " is not plausible; the file is damaged or not safetensors");
    }
    byte[] header = new byte[(int) length];
    data.readFully(header);
    JsonNode root = new ObjectMapper().readTree(new String(header, StandardCharsets.UTF_8));
    List<TensorInfo> infos = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if ("__metadata__".equals(field.getKey())) {
        continue;
      }
      JsonNode shapeNode = field.getValue().get("shape");
      JsonNode dtypeNode = field.getValue().get("dtype");
      if (shapeNode == null || dtypeNode == null || !shapeNode.isArray()) {
        throw new IOException(
            "weights '"
                + sourceName
                + "': safetensors entry '"
                + field.getKey()
                + "' lacks dtype or shape");
      }
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = shapeNode.get(i).asLong();
      }
      infos.add(new TensorInfo(field.getKey(), dtypeNode.asText(), shape));
    }
    return infos;
  }

  private static final Pattern NPY_DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern NPY_SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private static List<TensorInfo> readNpzHeader(InputStream in, String sourceName)
      throws IOException {
    List<TensorInfo> infos = new ArrayList<>();
    ZipInputStream zip = new ZipInputStream(in);
    ZipEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      String name = entry.getName();
      if (!name.endsWith(".npy")) {
        continue;
      }
      String key = name.substring(0, name.length() - 4);
      DataInputStream data = new DataInputStream(zip);
      byte[] magic = new byte[8];
      data.readFully(magic);
      if ((magic[0] & 0xff) != 0x93 || magic[1] != 'N' || magic[2] != 'U' || magic[3] != 'M') {
        throw new IOException(
            "weights '" + sourceName + "': npz entry '" + name + "' is not a .npy array");
      }
      int major = magic[6];
      byte[] lengthBytes = new byte[major == 1 ? 2 : 4];
      data.readFully(lengthBytes);
      ByteBuffer lengthBuffer = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength =
          major == 1 ? Short.toUnsignedInt(lengthBuffer.getShort()) : lengthBuffer.getInt();
      byte[] header = new byte[headerLength];
      data.readFully(header);
      String text = new String(header, StandardCharsets.ISO_8859_1);
      Matcher descr = NPY_DESCR.matcher(text);
      Matcher shape = NPY_SHAPE.matcher(text);
      if (!descr.find() || !shape.find()) {
        throw new IOException(
            "weights '"
                + sourceName
                + "': npz entry '"
                + name
                + "' has an unreadable header: "
                + text.trim());
      }
      long[] dims =
          Arrays.stream(shape.group(1).split(","))
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .mapToLong(Long::parseLong)
              .toArray();
      infos.add(new TensorInfo(key, npyDtype(descr.group(1)), dims));
    }
    return infos;
  }

  /** Maps a numpy dtype descriptor ({@code <f4}) to the safetensors spelling ({@code F32}). */
  private static String npyDtype(String descr) {
    String kind = descr.replaceAll("^[<>|=]", "");
    return switch (kind) {
      case "f2" -> "F16";
      case "f4" -> "F32";
      case "f8" -> "F64";
      case "i1" -> "I8";
      case "u1" -> "U8";
      case "i4" -> "I32";
      case "i8" -> "I64";
      case "b1" -> "BOOL";
      default -> "numpy:" + descr;
    };
  }
}
