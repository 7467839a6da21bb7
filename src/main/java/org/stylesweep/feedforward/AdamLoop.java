package org.stylesweep.feedforward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.transfer.Autograd;

/**
 * The training loop the feed-forward networks share: for each step, fresh leaf copies of the
 * weights, the network's loss on that step's batch, one backward pass through libtorch's per-thread
 * autograd, and {@code torch.optim.Adam}'s update (β = 0.9, 0.999, ε = 1e-8; no weight decay), with
 * a checkpoint every N steps and at the end. Copying the weights into leaves each step means
 * gradients never accumulate and the weights themselves never require a gradient.
 */
final class AdamLoop {
  private AdamLoop() {}

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPS = 1e-8;

  /** The loss of one step. */
  @FunctionalInterface
  interface StepLoss {
    /**
     * Computes {total, weighted content, weighted style} from the leaves (inside grad mode for the
     * parts that need gradients), all attached to {@code scope}.
     */
    NDArray[] apply(int step, Map<String, NDArray> leaves, NDManager scope);
  }

  /**
   * Trains from {@code initial} (arrays in {@code state}) or from {@code resume} (copied into
   * {@code state}) until {@code steps}.
   *
   * @throws IllegalStateException naming the step when the loss is NaN or infinite
   */
  static Checkpoint run(
      Map<String, NDArray> initial,
      Checkpoint resume,
      int steps,
      double lr,
      int checkpointEvery,
      StepLoss loss,
      StyleTrainer.Listener listener,
      NDManager state) {
    Map<String, NDArray> weights = new LinkedHashMap<>();
    Map<String, NDArray> m = new LinkedHashMap<>();
    Map<String, NDArray> v = new LinkedHashMap<>();
    float[] total = new float[steps];
    float[] content = new float[steps];
    float[] style = new float[steps];
    int done = 0;
    if (resume == null) {
      weights.putAll(initial);
    } else {
      resume.weights().forEach((k, a) -> weights.put(k, copy(a, state)));
      resume.adamM().forEach((k, a) -> m.put(k, copy(a, state)));
      resume.adamV().forEach((k, a) -> v.put(k, copy(a, state)));
      done = Math.min(resume.step(), steps);
      System.arraycopy(resume.total(), 0, total, 0, done);
      System.arraycopy(resume.content(), 0, content, 0, done);
      System.arraycopy(resume.style(), 0, style, 0, done);
    }
    for (Map.Entry<String, NDArray> e : weights.entrySet()) {
      m.computeIfAbsent(e.getKey(), k -> state.zeros(e.getValue().getShape(), DataType.FLOAT32));
      v.computeIfAbsent(e.getKey(), k -> state.zeros(e.getValue().getShape(), DataType.FLOAT32));
    }
    List<String> names = new ArrayList<>(weights.keySet());
    for (int step = done + 1; step <= steps; step++) {
      double[] losses;
      try (NDManager scope = state.newSubManager()) {
        List<NDArray> grads = new ArrayList<>();
        int k = step;
        NDArray values =
            Autograd.withGradMode(
                true,
                () -> {
                  Map<String, NDArray> leaves = new LinkedHashMap<>();
                  for (String name : names) {
                    NDArray leaf = weights.get(name).duplicate();
                    leaf.attach(scope);
                    leaf.setRequiresGradient(true);
                    leaves.put(name, leaf);
                  }
                  NDArray[] parts = loss.apply(k, leaves, scope);
                  Autograd.backward(parts[0]);
                  for (NDArray leaf : leaves.values()) {
                    grads.add(leaf.getGradient());
                  }
                  return NDArrays.stack(new NDList(parts)).stopGradient();
                });
        losses = values.toType(DataType.FLOAT64, false).toDoubleArray();
        if (!Double.isFinite(losses[0])) {
          throw new IllegalStateException(
              "the training loss became " + losses[0] + " at step " + step + "; lower train_lr");
        }
        double biasCorrection1 = 1 - Math.pow(BETA1, step);
        double biasCorrection2 = 1 - Math.pow(BETA2, step);
        double stepSize = lr / biasCorrection1;
        for (int i = 0; i < names.size(); i++) {
          NDArray p = weights.get(names.get(i));
          NDArray g = grads.get(i);
          NDArray mi = m.get(names.get(i));
          NDArray vi = v.get(names.get(i));
          // results of ops on the long-lived arrays land in the step's scope while attached to it
          scope.tempAttachAll(p, mi, vi);
          mi.muli(BETA1).addi(g.mul(1 - BETA1));
          vi.muli(BETA2).addi(g.mul(1 - BETA2).muli(g));
          NDArray denom = vi.sqrt().divi(Math.sqrt(biasCorrection2)).addi(EPS);
          p.addi(mi.div(denom).muli(-stepSize));
        }
      }
      total[step - 1] = (float) losses[0];
      content[step - 1] = (float) losses[1];
      style[step - 1] = (float) losses[2];
      listener.onStep(step, steps, losses[0], losses[1], losses[2]);
      if (step % checkpointEvery == 0 || step == steps) {
        listener.onCheckpoint(
            new Checkpoint(
                weights,
                m,
                v,
                Arrays.copyOf(total, step),
                Arrays.copyOf(content, step),
                Arrays.copyOf(style, step)));
      }
    }
    return new Checkpoint(weights, m, v, total, content, style);
  }

  private static NDArray copy(NDArray a, NDManager manager) {
    NDArray c = a.duplicate();
    c.attach(manager);
    return c;
  }
}
