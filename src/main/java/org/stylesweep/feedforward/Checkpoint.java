package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training's state after {@code step} steps: the network's weights, Adam's two moments per weight
 * and the loss curve so far. As a file it is one safetensors: the weights under their PyTorch names
 * (so the file is also a model {@link Stylizer} and PyTorch read), {@code adam.m.<name>} and {@code
 * adam.v.<name>}, and {@code train.loss} (3 × step: total, weighted content, weighted style); the
 * step is the curve's length.
 *
 * @param weights the network's weights by name
 * @param adamM Adam's first moments by weight name (empty in a model file)
 * @param adamV Adam's second moments by weight name (empty in a model file)
 * @param total the total loss of each step so far
 * @param content the weighted content loss of each step
 * @param style the weighted style loss of each step
 */
public record Checkpoint(
    Map<String, NDArray> weights,
    Map<String, NDArray> adamM,
    Map<String, NDArray> adamV,
    float[] total,
    float[] content,
    float[] style) {

  private static final String M = "adam.m.";
  private static final String V = "adam.v.";
  private static final String LOSS = "train.loss";

  /** The steps done. */
  public int step() {
    return total.length;
  }

  /** The safetensors bytes of this checkpoint. */
  public byte[] encode() {
    NDList list = new NDList();
    NDManager manager = weights.values().iterator().next().getManager();
    try (NDManager scope = manager.newSubManager()) {
      weights.forEach((k, v) -> list.add(named(v, k)));
      adamM.forEach((k, v) -> list.add(named(v, M + k)));
      adamV.forEach((k, v) -> list.add(named(v, V + k)));
      if (step() > 0) {
        float[] losses = new float[3 * step()];
        System.arraycopy(total, 0, losses, 0, step());
        System.arraycopy(content, 0, losses, step(), step());
        System.arraycopy(style, 0, losses, 2 * step(), step());
        NDArray curve = scope.create(losses, new Shape(3, step()));
        curve.setName(LOSS);
        list.add(curve);
      }
      return list.encode(NDList.Encoding.SAFETENSORS);
    }
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }

  /**
   * Reads a checkpoint or a model file (weights only: no moments, an empty curve) into {@code
   * manager}.
   *
   * @param source the file's name, for error messages
   * @throws IllegalArgumentException naming the file when it is not safetensors or holds no weights
   *     (which network the weights are is checked by their user)
   */
  public static Checkpoint decode(byte[] bytes, String source, NDManager manager) {
    NDList list;
    try {
      list = NDList.decode(manager, new ByteArrayInputStream(bytes));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cannot read " + source + " as safetensors: " + e.getMessage(), e);
    }
    Map<String, NDArray> weights = new LinkedHashMap<>();
    Map<String, NDArray> m = new LinkedHashMap<>();
    Map<String, NDArray> v = new LinkedHashMap<>();
    float[] losses = new float[0];
    for (NDArray a : list) {
      String name = a.getName();
      if (name == null) {
        continue;
      }
      // A deep copy: decoded arrays may view a buffer that dies with the decoding.
      NDArray owned = a.duplicate();
      if (name.startsWith(M)) {
        m.put(name.substring(M.length()), owned);
      } else if (name.startsWith(V)) {
        v.put(name.substring(V.length()), owned);
      } else if (name.equals(LOSS)) {
        losses = owned.toFloatArray();
      } else {
        weights.put(name, owned);
      }
    }
    if (weights.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no network weights");
    }
    int steps = losses.length / 3;
    return new Checkpoint(
        weights,
        m,
        v,
        Arrays.copyOfRange(losses, 0, steps),
        Arrays.copyOfRange(losses, steps, 2 * steps),
        Arrays.copyOfRange(losses, 2 * steps, 3 * steps));
  }
}
