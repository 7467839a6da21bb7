package org.stylesweep.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.stylesweep.spec.Pooling;

/**
 * VGG-19 {@code features} (Simonyan and Zisserman 2014) as plain tensors: 16 convolutions with
 * their biases, run functionally so that the forward pass stops at the deepest requested layer.
 *
 * <p>The weights never require gradients, so a backward pass computes only the gradient with
 * respect to the input. {@link #forward} only reads the weights, so one model may serve several
 * runs at once (an executor's model cache). Results of {@link #forward} attach to the input's
 * manager.
 */
public final class Vgg19 implements AutoCloseable {

  private static final Shape KERNEL_3 = new Shape(3, 3);
  private static final Shape STRIDE_1 = new Shape(1, 1);
  private static final Shape PAD_1 = new Shape(1, 1);
  private static final Shape DILATION_1 = new Shape(1, 1);
  private static final Shape POOL_2 = new Shape(2, 2);
  private static final Shape PAD_0 = new Shape(0, 0);

  private final NDManager manager;
  private final NDArray[] weights;
  private final NDArray[] biases;
  private final Pooling pooling;
  private final String source;

  private Vgg19(
      NDManager manager, NDArray[] weights, NDArray[] biases, Pooling pooling, String source) {
    this.manager = manager;
    this.weights = weights;
    this.biases = biases;
    this.pooling = pooling;
    this.source = source;
  }

  /**
   * A VGG-19 with torchvision's initialization: every convolution's weight drawn from
   * Kaiming-normal (mode fan_out, ReLU gain), std = sqrt(2 / (out_channels · 3 · 3)), biases zero.
   * The draws come from Java's {@link SplittableRandom}, one stream per layer, so the weights are
   * the same for a given seed on every device and JVM (they are not torch's draws).
   */
  public static Vgg19 random(long seed, Pooling pooling, Device device) {
    Objects.requireNonNull(pooling, "pooling");
    NDManager manager = NDManager.newBaseManager(device);
    try {
      NDArray[] weights = new NDArray[VggLayers.CONV_COUNT];
      NDArray[] biases = new NDArray[VggLayers.CONV_COUNT];
      for (int conv = 0; conv < VggLayers.CONV_COUNT; conv++) {
        long[] shape = VggWeights.expectedWeightShape(conv);
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        double std = Math.sqrt(2.0 / (shape[0] * shape[2] * shape[3]));
        SplittableRandom random = new SplittableRandom(mix(seed, conv));
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) (random.nextGaussian() * std);
        }
        weights[conv] = manager.create(values, new Shape(shape));
        biases[conv] =
            manager.zeros(new Shape(VggWeights.expectedBiasShape(conv)), DataType.FLOAT32);
      }
      return new Vgg19(manager, weights, biases, pooling, "random:" + seed);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Reads weights from a safetensors or npz stream with torchvision key names (see {@link
   * VggWeights}). The file may hold only the first conv layers; {@link #layerCount()} says how
   * many, and a forward pass beyond them fails naming the first missing key.
   *
   * @param sourceName name used in error messages, e.g. the file name
   * @throws IllegalArgumentException if a conv key has a wrong shape or dtype, a key is duplicated,
   *     no conv layer is present, or the stream is in neither format; the message names the file,
   *     key, expected shape and shape found
   */
  public static Vgg19 fromStream(
      InputStream in, String sourceName, Pooling pooling, Device device) {
    Objects.requireNonNull(pooling, "pooling");
    NDManager manager = NDManager.newBaseManager(device);
    try (NDManager loading = NDManager.newBaseManager(Device.cpu())) {
      NDList decoded;
      try {
        decoded = NDList.decode(loading, in);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot read weights '" + sourceName + "' as safetensors or npz: " + e.getMessage(), e);
      }
      List<VggWeights.TensorInfo> infos = new ArrayList<>();
      Map<String, NDArray> byCanonical = new HashMap<>();
      for (NDArray array : decoded) {
        String name = array.getName();
        if (name == null) {
          continue;
        }
        infos.add(
            new VggWeights.TensorInfo(
                name, array.getDataType().asSafetensors(), array.getShape().getShape()));
        String canonical = VggWeights.canonicalKey(name);
        if (canonical != null) {
          byCanonical.putIfAbsent(canonical, array);
        }
      }
      List<VggWeights.Problem> problems = VggWeights.validate(infos, sourceName, 1);
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(VggWeights.describe(problems));
      }
      int count = VggWeights.coveredConvs(byCanonical.keySet());
      NDArray[] weights = new NDArray[count];
      NDArray[] biases = new NDArray[count];
      for (int conv = 0; conv < count; conv++) {
        weights[conv] = onDevice(byCanonical.get(VggWeights.weightKey(conv)), manager);
        biases[conv] = onDevice(byCanonical.get(VggWeights.biasKey(conv)), manager);
      }
      return new Vgg19(manager, weights, biases, pooling, sourceName);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Reads weights from a local file; see {@link #fromStream}. */
  public static Vgg19 fromFile(Path file, Pooling pooling, Device device) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
      return fromStream(in, file.getFileName().toString(), pooling, device);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read weights file " + file + ": " + e.getMessage(), e);
    }
  }

  private static NDArray onDevice(NDArray array, NDManager manager) {
    // duplicate() is a deep copy: NDList.decode's arrays may view a buffer that dies with the
    // decoding
    // manager, and toDevice/toType return views when nothing changes (same device, same dtype).
    NDArray moved =
        array.toType(DataType.FLOAT32, false).toDevice(manager.getDevice(), false).duplicate();
    moved.attach(manager);
    moved.setName(array.getName());
    return moved;
  }

  /**
   * A copy of this model whose weights have another float type (float64 for exact tests); the
   * caller closes it.
   */
  public Vgg19 withDataType(DataType dataType) {
    NDManager copyManager = NDManager.newBaseManager(device());
    NDArray[] w = new NDArray[weights.length];
    NDArray[] b = new NDArray[biases.length];
    for (int i = 0; i < weights.length; i++) {
      w[i] = weights[i].toType(dataType, true);
      w[i].attach(copyManager);
      b[i] = biases[i].toType(dataType, true);
      b[i].attach(copyManager);
    }
    return new Vgg19(copyManager, w, b, pooling, source);
  }

  /** The device the weights live on. */
  public Device device() {
    return manager.getDevice();
  }

  /** Number of conv layers present (16 for a full model; fewer for a partial weights file). */
  public int layerCount() {
    return weights.length;
  }

  /** The pooling this model uses. */
  public Pooling pooling() {
    return pooling;
  }

  /** Where the weights came from: {@code random:<seed>} or the source name given when reading. */
  public String source() {
    return source;
  }

  /** Float type of the weights; inputs to {@link #forward} must have it. */
  public DataType dataType() {
    return weights.length == 0 ? DataType.FLOAT32 : weights[0].getDataType();
  }

  /** The weight of the {@code conv}-th convolution (0-based); owned by the model. */
  public NDArray weight(int conv) {
    return weights[conv];
  }

  /** The bias of the {@code conv}-th convolution (0-based); owned by the model. */
  public NDArray bias(int conv) {
    return biases[conv];
  }

  /**
   * Checks that this model holds the weights to compute {@code layer}.
   *
   * @throws IllegalArgumentException naming the first missing key and its expected shape
   */
  public void requireLayer(VggLayers.Layer layer) {
    if (layer.convCount() > weights.length) {
      int conv = weights.length;
      throw new IllegalArgumentException(
          "weights '"
              + source
              + "' lack "
              + VggWeights.weightKey(conv)
              + " ("
              + VggLayers.convName(conv)
              + ", expected shape "
              + VggWeights.formatShape(VggWeights.expectedWeightShape(conv))
              + "); they hold "
              + (conv == 0 ? "no conv layers" : "conv layers up to " + VggLayers.convName(conv - 1))
              + ", but layer "
              + layer.name()
              + " needs "
              + VggLayers.convName(layer.convCount() - 1));
    }
  }

  /**
   * Runs {@code features} on a normalized (1, 3, H, W) input up to the deepest of {@code taps} and
   * returns the taps' outputs by canonical name. Nothing past the deepest tap is computed.
   *
   * @param input normalized image with this model's {@link #dataType()}; results attach to its
   *     manager
   * @throws IllegalArgumentException if the model lacks the weights for a tap
   */
  public Map<String, NDArray> forward(NDArray input, Collection<VggLayers.Layer> taps) {
    if (taps.isEmpty()) {
      return Map.of();
    }
    int last = 0;
    for (VggLayers.Layer tap : taps) {
      last = Math.max(last, tap.featureIndex());
    }
    VggLayers.Layer deepest = VggLayers.all().get(last);
    requireLayer(deepest);
    Map<Integer, List<String>> wanted = new HashMap<>();
    for (VggLayers.Layer tap : taps) {
      wanted.computeIfAbsent(tap.featureIndex(), k -> new ArrayList<>()).add(tap.name());
    }
    Map<String, NDArray> outputs = new LinkedHashMap<>();
    NDArray x = input;
    int conv = 0;
    for (int index = 0; index <= last; index++) {
      VggLayers.Layer layer = VggLayers.all().get(index);
      x =
          switch (layer.kind()) {
            case CONV -> {
              NDArray y =
                  Conv2d.conv2d(x, weights[conv], biases[conv], STRIDE_1, PAD_1, DILATION_1, 1)
                      .singletonOrThrow();
              conv++;
              yield y;
            }
            case RELU -> Activation.relu(x);
            case POOL ->
                pooling == Pooling.MAX
                    ? Pool.maxPool2d(x, POOL_2, POOL_2, PAD_0, false)
                    : Pool.avgPool2d(x, POOL_2, POOL_2, PAD_0, false, true);
          };
      List<String> names = wanted.get(index);
      if (names != null) {
        for (String name : names) {
          outputs.put(name, x);
        }
      }
    }
    return outputs;
  }

  /** Frees the weights. */
  @Override
  public void close() {
    manager.close();
  }

  /** Spreads (seed, layer) over the 64-bit seed space (SplitMix64's finalizer). */
  private static long mix(long seed, int layer) {
    long z = seed * 0x9E3779B97F4A7C15L + (layer + 1) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public String toString() {
    return "Vgg19["
        + source
        + ", "
        + weights.length
        + " conv layers, "
        + pooling.key()
        + " pooling, "
        + device()
        + "]";
  }
}
