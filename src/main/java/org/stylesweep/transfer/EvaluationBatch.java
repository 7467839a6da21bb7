package org.stylesweep.transfer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.Normalization;

/**
 * Batched runs: several runs evaluated together, one forward and one backward pass of the network
 * over a (B, C, H, W) batch of their images per evaluation, each run keeping its own optimizer
 * state (BENCHMARKS.md, "Batched mode").
 *
 * <p>Each run of a batch runs {@link StyleTransfer} unchanged on a thread of its own, with a {@link
 * Seat}. Its objective hands the point to this batch and waits; when every run still in the batch
 * has handed in its point, the last to arrive evaluates them all and wakes the others with their
 * loss and gradient. The runs do not interact (the batch's objective is the sum of theirs, so the
 * gradient of run i's rows is run i's own gradient), so each run's optimizer sees what it would see
 * alone, up to the rounding of a batched convolution. A run that stops (its budget, a tolerance, a
 * NaN, an error) leaves; the others go on in a smaller batch.
 *
 * <p>Runs whose network inputs differ (model, normalization, image shape or tapped layers) are
 * evaluated in one pass per kind; the caller groups runs so that this is rare.
 *
 * <p>Each run's loss terms are computed on its rows of the batch's features (the losses' own
 * numerics, unchanged); only the network is shared. The losses of all runs come to the host in one
 * copy per evaluation.
 */
public final class EvaluationBatch {
  private final Object lock = new Object();
  private final Map<Seat, Pending> pending = new LinkedHashMap<>();
  private final Map<Seat, Object> results = new HashMap<>();
  private int seated;
  private int passes;
  private long batchedEvaluations;

  private EvaluationBatch() {}

  /**
   * A batch of {@code runs} seats; each run takes one and must {@link Seat#leave} it when done
   * (runs do, in {@link StyleTransfer}; a run that never starts must leave its seat itself, or the
   * others wait for it).
   */
  public static List<Seat> seats(int runs) {
    if (runs < 1) {
      throw new IllegalArgumentException("a batch needs at least 1 run, got " + runs);
    }
    EvaluationBatch batch = new EvaluationBatch();
    List<Seat> seats = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      seats.add(batch.new Seat(i));
    }
    batch.seated = runs;
    return seats;
  }

  /** One run's place in a batch. */
  public final class Seat {
    private final int index;
    private boolean left;

    private Seat(int index) {
      this.index = index;
    }

    /** The run's position in the batch, 0-based. */
    public int index() {
      return index;
    }

    /**
     * Leaves the batch: the others stop waiting for this run. Idempotent; call it when the run ends
     * however it ends.
     */
    public void leave() {
      synchronized (lock) {
        if (left) {
          return;
        }
        left = true;
        seated--;
        if (!pending.isEmpty() && pending.size() == seated) {
          evaluateAll();
        }
      }
    }

    /** Network passes the batch has made so far, and evaluations they served (for logs). */
    public String passes() {
      synchronized (lock) {
        return passes + " passes for " + batchedEvaluations + " evaluations";
      }
    }

    /** Evaluates {@code objective} at {@code x} together with the other runs; blocks until then. */
    TransferObjective.Value evaluate(TransferObjective objective, NDArray x, NDManager scope) {
      objective.clampIfAsked(x);
      synchronized (lock) {
        if (left) {
          throw new IllegalStateException("run " + index + " left its batch and cannot evaluate");
        }
        pending.put(this, new Pending(objective, x, scope));
        if (pending.size() == seated) {
          evaluateAll();
        }
        while (!results.containsKey(this)) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            pending.remove(this);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the batch", e);
          }
        }
        Object result = results.remove(this);
        if (result instanceof RuntimeException e) {
          throw new IllegalStateException("the batched evaluation failed: " + e.getMessage(), e);
        }
        return (TransferObjective.Value) result;
      }
    }
  }

  private record Pending(TransferObjective objective, NDArray x, NDManager scope) {}

  /** What runs must share to go through the network in one pass. */
  private record Kind(
      Vgg19 model, Normalization normalization, Shape shape, List<VggLayers.Layer> taps) {}

  /** Evaluates every pending run, one network pass per kind, on the calling thread; holds lock. */
  private void evaluateAll() {
    Map<Kind, List<Map.Entry<Seat, Pending>>> kinds = new LinkedHashMap<>();
    for (Map.Entry<Seat, Pending> e : pending.entrySet()) {
      TransferObjective o = e.getValue().objective();
      kinds
          .computeIfAbsent(
              new Kind(o.model(), o.normalizer().normalization(), o.imageShape(), o.taps()),
              k -> new ArrayList<>())
          .add(e);
    }
    pending.clear();
    for (List<Map.Entry<Seat, Pending>> group : kinds.values()) {
      try {
        evaluate(group);
      } catch (RuntimeException | Error e) {
        // Every run of the group hears of it (none may wait forever), each failing on its own.
        RuntimeException failure =
            e instanceof RuntimeException r ? r : new IllegalStateException(e.toString(), e);
        group.forEach(member -> results.put(member.getKey(), failure));
      }
    }
    lock.notifyAll();
  }

  /** One forward and backward pass over the group's images. */
  private void evaluate(List<Map.Entry<Seat, Pending>> group) {
    TransferObjective first = group.get(0).getValue().objective();
    Shape shape = first.imageShape();
    int b = group.size();
    try (NDManager local = group.get(0).getValue().scope().newSubManager()) {
      NDList rows = new NDList();
      for (Map.Entry<Seat, Pending> member : group) {
        NDArray x = member.getValue().x();
        local.tempAttachAll(x);
        rows.add(x.reshape(shape));
      }
      // A fresh leaf: gradients never accumulate and no run's x requires a gradient.
      NDArray leaf = b == 1 ? rows.get(0).duplicate() : NDArrays.concat(rows, 0);
      NDArray[] lossRows = new NDArray[1];
      NDArray gradient =
          Autograd.withGradMode(
              true,
              () -> {
                leaf.setRequiresGradient(true);
                NDArray image = first.networkInput(leaf);
                Map<String, NDArray> features =
                    first.model().forward(first.normalizer().apply(image), first.taps());
                NDArray root = null;
                NDList losses = new NDList();
                for (int i = 0; i < b; i++) {
                  NDIndex row = new NDIndex("{}:{}", i, i + 1);
                  Map<String, NDArray> own = new HashMap<>();
                  for (Map.Entry<String, NDArray> f : features.entrySet()) {
                    own.put(f.getKey(), f.getValue().get(row));
                  }
                  TransferObjective.Sums sums =
                      group.get(i).getValue().objective().terms(own, image.get(row), local);
                  root = LossTerm.plus(root, sums.backward());
                  losses.add(sums.losses());
                }
                Autograd.backward(root);
                lossRows[0] = NDArrays.stack(losses);
                return leaf.getGradient();
              });
      // One host copy for the whole batch: (B, 3) losses.
      double[] host = lossRows[0].toType(DataType.FLOAT64, false).toDoubleArray();
      for (int i = 0; i < b; i++) {
        Pending member = group.get(i).getValue();
        NDArray own = gradient.get(i).reshape(member.x().getShape());
        // The row outlives this pass's manager in the run's own evaluation scope (a view keeps
        // the gradient's storage alive after the batch's arrays are closed).
        own.attach(member.scope());
        results.put(
            group.get(i).getKey(),
            new TransferObjective.Value(host[3 * i], host[3 * i + 1], host[3 * i + 2], own));
      }
      passes++;
      batchedEvaluations += b;
    }
  }
}
