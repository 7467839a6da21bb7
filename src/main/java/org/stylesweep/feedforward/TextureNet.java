package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The multi-scale texture generator of Ulyanov et al. (2016, "Texture Networks"), described here
 * once: K noise images z_K-1 (coarsest, side s / 2^(K-1)) … z_0 (side s), 3 channels each. Each
 * passes through a block (conv 3×3, conv 3×3, conv 1×1, each followed by instance norm and
 * LeakyReLU 0.01) of c channels; going from coarse to fine, the running result is upsampled ×2
 * (nearest), joined channel-wise with the next scale's block, and passed through a block of the
 * joined width; a final 1×1 convolution gives RGB. Fully convolutional: any side that is a multiple
 * of 2^(K-1) works, so a network trained at s renders at 2s.
 */
public final class TextureNet {
  private TextureNet() {}

  /**
   * The generator's shape.
   *
   * @param scales K, the noise scales (Ulyanov et al.: 5 or 6)
   * @param channels c, the channels of each scale's block (Ulyanov et al.: 8)
   */
  public record Recipe(int scales, int channels) {
    /** Checks the numbers. */
    public Recipe {
      if (scales < 1 || scales > 8 || channels < 1) {
        throw new IllegalArgumentException(
            "the texture network needs 1..8 scales and ≥ 1 channel, got "
                + scales
                + ", "
                + channels);
      }
    }

    /**
     * The recipe of a set of weights, from their names and shapes.
     *
     * @throws IllegalArgumentException naming the file when the weights are not a texture network
     */
    public static Recipe of(Map<String, NDArray> weights, String source) {
      NDArray first = weights.get("noise0.conv0.weight");
      if (first == null) {
        throw new IllegalArgumentException(
            source
                + " is not a texture network (no 'noise0.conv0.weight'); train one with task:"
                + " train_texture");
      }
      int scales = 0;
      while (weights.containsKey("noise" + scales + ".conv0.weight")) {
        scales++;
      }
      Recipe recipe = new Recipe(scales, (int) first.getShape().get(0));
      for (Map.Entry<String, Shape> e : recipe.shapes().entrySet()) {
        NDArray a = weights.get(e.getKey());
        if (a == null || !a.getShape().equals(e.getValue())) {
          throw new IllegalArgumentException(
              source + ": " + e.getKey() + " is missing or not of shape " + e.getValue());
        }
      }
      return recipe;
    }

    /** The multiple every output side must be of. */
    public int sideMultiple() {
      return 1 << (scales - 1);
    }

    /** The parameter shapes by name. */
    public Map<String, Shape> shapes() {
      Map<String, Shape> s = new LinkedHashMap<>();
      for (int k = scales - 1; k >= 0; k--) {
        block(s, "noise" + k, 3, channels);
        if (k < scales - 1) {
          int joined = (scales - k) * channels;
          block(s, "join" + k, joined, joined);
        }
      }
      s.put("out.weight", new Shape(3, (long) scales * channels, 1, 1));
      s.put("out.bias", new Shape(3));
      return s;
    }

    private static void block(Map<String, Shape> s, String name, int in, int out) {
      int[][] convs = {{in, 3}, {out, 3}, {out, 1}};
      for (int j = 0; j < 3; j++) {
        s.put(
            name + ".conv" + j + ".weight", new Shape(out, convs[j][0], convs[j][1], convs[j][1]));
        s.put(name + ".conv" + j + ".bias", new Shape(out));
        s.put(name + ".norm" + j + ".weight", new Shape(out));
        s.put(name + ".norm" + j + ".bias", new Shape(out));
      }
    }
  }

  /**
   * Fresh weights: convolutions as PyTorch initialises them, norms at 1 and 0 (see TransformerNet).
   */
  public static Map<String, NDArray> initialWeights(Recipe recipe, long seed, NDManager manager) {
    Map<String, NDArray> weights = new LinkedHashMap<>();
    int index = 0;
    Shape lastConv = null;
    for (Map.Entry<String, Shape> e : recipe.shapes().entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue();
      if (name.contains(".norm")) {
        weights.put(
            name,
            name.endsWith(".weight")
                ? manager.ones(shape, DataType.FLOAT32)
                : manager.zeros(shape, DataType.FLOAT32));
      } else {
        if (name.endsWith(".weight")) {
          lastConv = shape;
        }
        double bound = 1 / Math.sqrt(lastConv.get(1) * lastConv.get(2) * lastConv.get(3));
        float[] v = new float[Math.toIntExact(shape.size())];
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        weights.put(name, manager.create(v, shape));
      }
      index++;
    }
    return weights;
  }

  /**
   * The noise of {@code batch} samples at output side {@code side} (a multiple of {@link
   * Recipe#sideMultiple}), uniform in [0, 1), drawn from {@code seed}: one array per scale, finest
   * first.
   */
  public static NDList noise(
      Recipe recipe, int batch, int height, int width, long seed, NDManager m) {
    int multiple = recipe.sideMultiple();
    if (height % multiple != 0 || width % multiple != 0) {
      throw new IllegalArgumentException(
          "a texture network with "
              + recipe.scales()
              + " scales renders sides that are multiples of "
              + multiple
              + "; got "
              + width
              + "x"
              + height);
    }
    SplittableRandom random = new SplittableRandom(seed);
    NDList list = new NDList();
    for (int k = 0; k < recipe.scales(); k++) {
      int h = height >> k;
      int w = width >> k;
      float[] v = new float[batch * 3 * h * w];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) random.nextDouble();
      }
      list.add(m.create(v, new Shape(batch, 3, h, w)));
    }
    return list;
  }

  /** The generator's output (N, 3, H, W) for the noise of {@link #noise}. */
  public static NDArray forward(Map<String, NDArray> w, Recipe recipe, NDList noise) {
    int last = recipe.scales() - 1;
    NDArray y = block(w, "noise" + last, noise.get(last));
    for (int k = last - 1; k >= 0; k--) {
      NDArray fine = block(w, "noise" + k, noise.get(k));
      NDArray joined = NDArrays.concat(new NDList(Blocks.upsampleNearest(y, 2), fine), 1);
      y = block(w, "join" + k, joined);
    }
    return ai.djl.nn.convolutional.Conv2d.conv2d(y, w.get("out.weight"), w.get("out.bias"))
        .singletonOrThrow();
  }

  private static NDArray block(Map<String, NDArray> w, String name, NDArray x) {
    NDArray y = x;
    for (int j = 0; j < 3; j++) {
      String c = name + ".conv" + j;
      String n = name + ".norm" + j;
      y = Blocks.conv(y, w.get(c + ".weight"), w.get(c + ".bias"), 1);
      y =
          Activation.leakyRelu(
              Blocks.instanceNorm(y, w.get(n + ".weight"), w.get(n + ".bias")), 0.01f);
    }
    return y;
  }
}
