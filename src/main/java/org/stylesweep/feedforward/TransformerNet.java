package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The image transformation network of Johnson et al. (2016), as pytorch/examples' {@code
 * fast_neural_style} builds it, described here once:
 *
 * <pre>
 *   conv k×k c1, stride 1      → instance norm → ReLU     (conv1, in1)
 *   conv 3×3 c2, stride 2      → instance norm → ReLU     (conv2, in2)
 *   conv 3×3 c3, stride 2      → instance norm → ReLU     (conv3, in3)
 *   residual blocks × r: x + IN(conv 3×3 c3(ReLU(IN(conv 3×3 c3(x)))))   (res1 … resR)
 *   upsample ×2, conv 3×3 c2   → instance norm → ReLU     (deconv1, in4)
 *   upsample ×2, conv 3×3 c1   → instance norm → ReLU     (deconv2, in5)
 *   conv k×k 3, stride 1                                  (deconv3; no norm, no activation)
 * </pre>
 *
 * Every convolution pads by reflection ({@code kernel / 2}). The reference recipe is c1, c2, c3 =
 * 32, 64, 128, r = 5, k = 9 ({@link Recipe#JOHNSON}). Parameter names are PyTorch's {@code
 * state_dict} keys of that example ({@code conv1.conv2d.weight}, {@code res1.in1.bias}, ...), so a
 * model trained there, saved as safetensors, loads here, and {@code FeedforwardBlocksParityTest}
 * checks a whole network against PyTorch. Images are RGB in [0, 1]; the output is not clamped (the
 * loss sees it raw, as in the example), {@link #stylize} clamps.
 */
public final class TransformerNet {
  private TransformerNet() {}

  /**
   * The network's shape.
   *
   * @param channels c1, c2, c3: the widths at full, half and quarter resolution
   * @param residualBlocks r, the residual blocks at quarter resolution
   * @param outerKernel k, the kernel of the first and the last convolution
   */
  public record Recipe(List<Integer> channels, int residualBlocks, int outerKernel) {
    /** Johnson et al.'s network: 32, 64, 128 channels, 5 residual blocks, 9×9 outer kernels. */
    public static final Recipe JOHNSON = new Recipe(List.of(32, 64, 128), 5, 9);

    /** Checks the numbers; the message names the bad one. */
    public Recipe {
      channels = List.copyOf(channels);
      if (channels.size() != 3 || channels.stream().anyMatch(c -> c < 1)) {
        throw new IllegalArgumentException(
            "the transformation network needs three positive channel counts (c1, c2, c3), got "
                + channels);
      }
      if (residualBlocks < 0) {
        throw new IllegalArgumentException("residual blocks must be ≥ 0, got " + residualBlocks);
      }
      if (outerKernel < 1 || outerKernel % 2 == 0) {
        throw new IllegalArgumentException(
            "the outer kernel must be odd and positive, got " + outerKernel);
      }
    }

    /** The parameter shapes by name, in the order of the forward pass. */
    public Map<String, Shape> shapes() {
      int c1 = channels.get(0);
      int c2 = channels.get(1);
      int c3 = channels.get(2);
      Map<String, Shape> s = new LinkedHashMap<>();
      conv(s, "conv1.conv2d", c1, 3, outerKernel);
      norm(s, "in1", c1);
      conv(s, "conv2.conv2d", c2, c1, 3);
      norm(s, "in2", c2);
      conv(s, "conv3.conv2d", c3, c2, 3);
      norm(s, "in3", c3);
      for (int i = 1; i <= residualBlocks; i++) {
        conv(s, "res" + i + ".conv1.conv2d", c3, c3, 3);
        norm(s, "res" + i + ".in1", c3);
        conv(s, "res" + i + ".conv2.conv2d", c3, c3, 3);
        norm(s, "res" + i + ".in2", c3);
      }
      conv(s, "deconv1.conv2d", c2, c3, 3);
      norm(s, "in4", c2);
      conv(s, "deconv2.conv2d", c1, c2, 3);
      norm(s, "in5", c1);
      conv(s, "deconv3.conv2d", 3, c1, outerKernel);
      return s;
    }

    private static void conv(Map<String, Shape> s, String name, int out, int in, int k) {
      s.put(name + ".weight", new Shape(out, in, k, k));
      s.put(name + ".bias", new Shape(out));
    }

    private static void norm(Map<String, Shape> s, String name, int c) {
      s.put(name + ".weight", new Shape(c));
      s.put(name + ".bias", new Shape(c));
    }

    /**
     * The recipe of a set of weights, read from their shapes (so a file needs no extra metadata).
     *
     * @throws IllegalArgumentException naming the missing key when the weights are not a
     *     transformation network
     */
    public static Recipe of(Map<String, NDArray> weights, String source) {
      NDArray first = require(weights, "conv1.conv2d.weight", source);
      int c1 = (int) first.getShape().get(0);
      int c2 = (int) require(weights, "conv2.conv2d.weight", source).getShape().get(0);
      int c3 = (int) require(weights, "conv3.conv2d.weight", source).getShape().get(0);
      int blocks = 0;
      while (weights.containsKey("res" + (blocks + 1) + ".conv1.conv2d.weight")) {
        blocks++;
      }
      Recipe recipe = new Recipe(List.of(c1, c2, c3), blocks, (int) first.getShape().get(2));
      for (Map.Entry<String, Shape> e : recipe.shapes().entrySet()) {
        Shape found = require(weights, e.getKey(), source).getShape();
        if (!found.equals(e.getValue())) {
          throw new IllegalArgumentException(
              source
                  + ": "
                  + e.getKey()
                  + " has shape "
                  + found
                  + ", the network "
                  + recipe
                  + " needs "
                  + e.getValue());
        }
      }
      return recipe;
    }

    private static NDArray require(Map<String, NDArray> weights, String key, String source) {
      NDArray a = weights.get(key);
      if (a == null) {
        throw new IllegalArgumentException(
            source
                + " is not a transformation network: it has no '"
                + key
                + "' (expected pytorch/examples fast_neural_style key names)");
      }
      return a;
    }
  }

  /**
   * Fresh weights for a recipe: each convolution as PyTorch initialises {@code nn.Conv2d} (weight
   * and bias uniform in ±1/√fan_in), instance norms at scale 1 and shift 0. The draws come from
   * {@link SplittableRandom}, one stream per tensor, so a seed gives the same network everywhere.
   */
  public static Map<String, NDArray> initialWeights(Recipe recipe, long seed, NDManager manager) {
    Map<String, NDArray> weights = new LinkedHashMap<>();
    Map<String, Shape> shapes = recipe.shapes();
    int index = 0;
    Shape lastConvWeight = null;
    for (Map.Entry<String, Shape> e : shapes.entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue();
      boolean conv = name.contains("conv");
      NDArray value;
      if (conv) {
        if (name.endsWith(".weight")) {
          lastConvWeight = shape;
        }
        long fanIn = lastConvWeight.get(1) * lastConvWeight.get(2) * lastConvWeight.get(3);
        double bound = 1 / Math.sqrt(fanIn);
        float[] v = new float[Math.toIntExact(shape.size())];
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        value = manager.create(v, shape);
      } else {
        value =
            name.endsWith(".weight")
                ? manager.ones(shape, DataType.FLOAT32)
                : manager.zeros(shape, DataType.FLOAT32);
      }
      weights.put(name, value);
      index++;
    }
    return weights;
  }

  /**
   * The forward pass on an (N, 3, H, W) batch; H and W should be multiples of 4 for the output to
   * have the input's size. Differentiable with respect to {@code weights} when they require
   * gradients.
   */
  public static NDArray forward(Map<String, NDArray> w, Recipe recipe, NDArray x) {
    NDArray y = Activation.relu(normed(w, "in1", convLayer(w, "conv1", x, 1)));
    y = Activation.relu(normed(w, "in2", convLayer(w, "conv2", y, 2)));
    y = Activation.relu(normed(w, "in3", convLayer(w, "conv3", y, 2)));
    for (int i = 1; i <= recipe.residualBlocks(); i++) {
      String r = "res" + i + ".";
      NDArray h = Activation.relu(normed(w, r + "in1", convLayer(w, r + "conv1", y, 1)));
      y = normed(w, r + "in2", convLayer(w, r + "conv2", h, 1)).add(y);
    }
    y = Activation.relu(normed(w, "in4", convLayer(w, "deconv1", Blocks.upsampleNearest(y, 2), 1)));
    y = Activation.relu(normed(w, "in5", convLayer(w, "deconv2", Blocks.upsampleNearest(y, 2), 1)));
    return convLayer(w, "deconv3", y, 1);
  }

  private static NDArray convLayer(Map<String, NDArray> w, String name, NDArray x, int stride) {
    return Blocks.conv(x, w.get(name + ".conv2d.weight"), w.get(name + ".conv2d.bias"), stride);
  }

  private static NDArray normed(Map<String, NDArray> w, String name, NDArray x) {
    return Blocks.instanceNorm(x, w.get(name + ".weight"), w.get(name + ".bias"));
  }
}
