package org.stylesweep.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The layer table of VGG-19's {@code features}: canonical names, aliases, and where each layer sits
 * in torchvision's {@code nn.Sequential} (its index is the {@code features.<i>} of the weights
 * keys).
 *
 * <p>Canonical names are {@code conv1_1 … conv5_4} (the convolution's output, before ReLU), {@code
 * relu1_1 … relu5_4} and {@code pool1 … pool5}. The PyTorch tutorial's names are accepted as
 * aliases: {@code conv_N} and {@code relu_N} count the 16 convolutions from 1 ({@code conv_4} is
 * {@code conv2_2}), {@code pool_N} counts the 5 pools.
 */
public final class VggLayers {

  /** What a layer computes. */
  public enum Kind {
    CONV,
    RELU,
    POOL
  }

  /**
   * One layer of VGG-19 {@code features}.
   *
   * @param name canonical name, e.g. {@code conv4_2}
   * @param kind convolution, ReLU or pooling
   * @param featureIndex index in torchvision's {@code vgg19().features} (0..36)
   * @param convCount convolutions needed to compute this layer (1..16): the conv layers a weights
   *     file must hold to reach it
   * @param channels number of channels of the layer's output
   */
  public record Layer(String name, Kind kind, int featureIndex, int convCount, int channels) {}

  /** Convolutions per block and their output channels, as in torchvision's cfg "E". */
  private static final int[] CONVS_PER_BLOCK = {2, 2, 4, 4, 4};

  private static final int[] BLOCK_CHANNELS = {64, 128, 256, 512, 512};

  /** Number of convolutions in VGG-19. */
  public static final int CONV_COUNT = 16;

  private static final List<Layer> LAYERS;
  private static final Map<String, Layer> BY_NAME;
  private static final Map<String, Layer> BY_ALIAS;
  private static final int[] CONV_FEATURE_INDEX = new int[CONV_COUNT];
  private static final int[] CONV_IN_CHANNELS = new int[CONV_COUNT];
  private static final int[] CONV_OUT_CHANNELS = new int[CONV_COUNT];

  static {
    List<Layer> layers = new ArrayList<>();
    Map<String, Layer> aliases = new LinkedHashMap<>();
    int index = 0;
    int conv = 0;
    int inChannels = 3;
    for (int block = 0; block < CONVS_PER_BLOCK.length; block++) {
      int channels = BLOCK_CHANNELS[block];
      for (int i = 1; i <= CONVS_PER_BLOCK[block]; i++) {
        CONV_FEATURE_INDEX[conv] = index;
        CONV_IN_CHANNELS[conv] = inChannels;
        CONV_OUT_CHANNELS[conv] = channels;
        inChannels = channels;
        conv++;
        String suffix = (block + 1) + "_" + i;
        Layer convLayer = new Layer("conv" + suffix, Kind.CONV, index++, conv, channels);
        Layer reluLayer = new Layer("relu" + suffix, Kind.RELU, index++, conv, channels);
        layers.add(convLayer);
        layers.add(reluLayer);
        aliases.put("conv_" + conv, convLayer);
        aliases.put("relu_" + conv, reluLayer);
      }
      Layer pool = new Layer("pool" + (block + 1), Kind.POOL, index++, conv, channels);
      layers.add(pool);
      aliases.put("pool_" + (block + 1), pool);
    }
    LAYERS = Collections.unmodifiableList(layers);
    Map<String, Layer> byName = new LinkedHashMap<>();
    for (Layer layer : layers) {
      byName.put(layer.name(), layer);
    }
    BY_NAME = Collections.unmodifiableMap(byName);
    BY_ALIAS = Collections.unmodifiableMap(aliases);
  }

  private VggLayers() {}

  /** All 37 layers in forward order. */
  public static List<Layer> all() {
    return LAYERS;
  }

  /** Canonical names of all layers, in forward order. */
  public static List<String> canonicalNames() {
    return List.copyOf(BY_NAME.keySet());
  }

  /**
   * Resolves a canonical name or an alias (case and surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the value and listing the valid names
   */
  public static Layer resolve(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    Layer layer = BY_NAME.get(key);
    if (layer == null) {
      layer = BY_ALIAS.get(key);
    }
    if (layer == null) {
      throw new IllegalArgumentException(
          "unknown VGG-19 layer '"
              + name
              + "'; valid names: "
              + String.join(", ", BY_NAME.keySet())
              + " (aliases: conv_1..conv_16, relu_1..relu_16, pool_1..pool_5)");
    }
    return layer;
  }

  /**
   * The canonical name of a layer or alias ({@code conv_4} gives {@code conv2_2}); fits the
   * manifest's {@code LayerNames} as {@code VggLayers::canonical}.
   *
   * @throws IllegalArgumentException naming the value and listing the valid names
   */
  public static String canonical(String name) {
    return resolve(name).name();
  }

  /** True when {@link #resolve} accepts the name. */
  public static boolean isValid(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    return BY_NAME.containsKey(key) || BY_ALIAS.containsKey(key);
  }

  /**
   * Resolves every name to its canonical form, keeping the order.
   *
   * @throws IllegalArgumentException naming every unknown value and listing the valid names
   */
  public static List<String> validate(List<String> names) {
    List<String> unknown = new ArrayList<>();
    List<String> canonical = new ArrayList<>();
    for (String name : names) {
      if (isValid(name)) {
        canonical.add(resolve(name).name());
      } else {
        unknown.add("'" + name + "'");
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown VGG-19 layer"
              + (unknown.size() > 1 ? "s " : " ")
              + String.join(", ", unknown)
              + "; valid names: "
              + String.join(", ", BY_NAME.keySet())
              + " (aliases: conv_1..conv_16, relu_1..relu_16, pool_1..pool_5)");
    }
    return List.copyOf(canonical);
  }

  /** Resolves every name (see {@link #resolve}). */
  public static List<Layer> resolveAll(Collection<String> names) {
    return names.stream().map(VggLayers::resolve).toList();
  }

  /**
   * The deepest of the given layers: the one the forward pass must reach.
   *
   * @throws IllegalArgumentException if {@code names} is empty or holds an unknown name
   */
  public static Layer deepest(Collection<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no layers given");
    }
    Layer deepest = null;
    for (String name : names) {
      Layer layer = resolve(name);
      if (deepest == null || layer.featureIndex() > deepest.featureIndex()) {
        deepest = layer;
      }
    }
    return deepest;
  }

  /** Index in {@code features} of the {@code conv}-th convolution (0-based, 0..15). */
  public static int convFeatureIndex(int conv) {
    return CONV_FEATURE_INDEX[conv];
  }

  /** Input channels of the {@code conv}-th convolution (0-based). */
  public static int convInChannels(int conv) {
    return CONV_IN_CHANNELS[conv];
  }

  /** Output channels of the {@code conv}-th convolution (0-based). */
  public static int convOutChannels(int conv) {
    return CONV_OUT_CHANNELS[conv];
  }

  /** Canonical name of the {@code conv}-th convolution (0-based), e.g. 4 gives {@code conv3_1}. */
  public static String convName(int conv) {
    for (Layer layer : LAYERS) {
      if (layer.kind() == Kind.CONV && layer.convCount() == conv + 1) {
        return layer.name();
      }
    }
    throw new IllegalArgumentException(
        "VGG-19 has convolutions 0.." + (CONV_COUNT - 1) + ", not " + conv);
  }
}
