package org.stylesweep.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The limited L-BFGS history and torch's two-loop recursion, computed from inner products: two
 * matrix products over the history per iteration instead of 4m vector operations.
 *
 * <p>Why: torch's recursion runs, per pair and per loop, a dot product (a host round trip) and an
 * in-place update: ~600 small operations and ~200 host synchronizations per iteration at m = 100.
 * On two CPU threads that cost 35-57 ms per iteration at 128-256 px, up to a quarter of an
 * evaluation, and on a GPU the synchronizations dominate. Every quantity the recursion reads is an
 * inner product of {@code g} with a pair or of two pairs, so the same recursion runs on the host
 * over m×m tables of {@code s_i·y_j} and {@code y_i·y_j}, kept up to date by one matrix product per
 * iteration (the rows times {@code g} and the new y), and the direction is one matrix-vector
 * product:
 *
 * <pre>
 *   loop 1, i = newest … oldest:  α_i = ρ_i (−s_i·g − Σ_{j&gt;i} α_j s_i·y_j)
 *   y_i·r₀ = H₀ (−y_i·g − Σ_j α_j y_i·y_j)                 r₀ = H₀ q, q = −g − Σ_j α_j y_j
 *   loop 2, i = oldest … newest:  β_i = ρ_i (y_i·r₀ + Σ_{j&lt;i} (α_j − β_j) s_j·y_i)
 *   d = −H₀ g + Σ_j (α_j − β_j) s_j − H₀ Σ_j α_j y_j
 * </pre>
 *
 * <p>This is torch's recursion term by term, with the vector updates expanded (exact in exact
 * arithmetic); only the rounding differs: the scalars are accumulated in double precision, and
 * float32 inner products by a matrix kernel rather than one dot at a time. The parity tests hold it
 * to torch's sequence of losses.
 *
 * <p>The pairs live in one (2·capacity, D) array on the optimizer's device, row 2k holding {@code
 * s} and row 2k+1 {@code y} of slot k, used as a ring once full. It is allocated once, at the first
 * pair, so a run makes no image-sized allocation that outlives an iteration: long-lived pairs
 * interleaved with per-evaluation temporaries are the pattern that fragments a heap.
 */
final class LbfgsHistory implements AutoCloseable {

  private final NDManager manager;
  private final int capacity;
  private final double[] rho;

  /** {@code sy[i][j] = s_i·y_j} by slot, kept for pair i older than pair j. */
  private final double[][] sy;

  /** {@code yy[i][j] = y_i·y_j}, by slot. */
  private final double[][] yy;

  private NDArray rows;
  private int count;
  private int oldest;

  /** The slot written by {@link #add} whose inner products are not in the tables yet, or −1. */
  private int pending = -1;

  /**
   * Creates an empty history.
   *
   * @param manager where the pair buffer and every returned direction live (the run's)
   * @param capacity the most pairs kept (torch's {@code history_size}, capped by the run's budget)
   */
  LbfgsHistory(NDManager manager, int capacity) {
    this.manager = manager;
    this.capacity = capacity;
    this.rho = new double[capacity];
    this.sy = new double[capacity][capacity];
    this.yy = new double[capacity][capacity];
  }

  /** The number of pairs held. */
  int size() {
    return count;
  }

  /**
   * Stores a pair (copies of {@code s} and {@code y}; the caller keeps its arrays), replacing the
   * oldest when full.
   *
   * @param rho {@code 1 / yᵀs}
   */
  void add(NDArray s, NDArray y, double rho) {
    if (rows == null) {
      rows = manager.create(new Shape(2L * capacity, s.size()), s.getDataType());
    }
    int slot;
    if (count < capacity) {
      slot = count++;
    } else {
      // shift history by one (limited-memory): the oldest slot takes the new pair
      slot = oldest;
      oldest = (oldest + 1) % capacity;
    }
    rows.set(new NDIndex("{}", 2 * slot), s);
    rows.set(new NDIndex("{}", 2 * slot + 1), y);
    this.rho[slot] = rho;
    pending = slot;
  }

  /**
   * The L-BFGS direction {@code −H g} for {@code H₀ = hDiag·I} and the pairs held: the result of
   * torch's two-loop recursion, attached to this history's manager.
   */
  NDArray direction(NDArray g, double hDiag) {
    if (count == 0) {
      return attach(g.mul(-hDiag));
    }
    int n = count;
    double[][] products = innerProducts(g, n);
    double[] sg = new double[n];
    double[] yg = new double[n];
    for (int slot = 0; slot < n; slot++) {
      sg[slot] = products[2 * slot][0];
      yg[slot] = products[2 * slot + 1][0];
    }

    int[] slotOf = new int[n];
    for (int l = 0; l < n; l++) {
      slotOf[l] = (oldest + l) % capacity;
    }
    double[] al = new double[n];
    for (int l = n - 1; l >= 0; l--) {
      int i = slotOf[l];
      double sq = -sg[i];
      for (int k = l + 1; k < n; k++) {
        sq -= al[k] * sy[i][slotOf[k]];
      }
      al[l] = sq * rho[i];
    }
    double[] be = new double[n];
    double[] coefficients = new double[2 * n];
    for (int l = 0; l < n; l++) {
      int i = slotOf[l];
      double yq = -yg[i];
      for (int k = 0; k < n; k++) {
        yq -= al[k] * yy[i][slotOf[k]];
      }
      double yr = hDiag * yq;
      for (int k = 0; k < l; k++) {
        yr += (al[k] - be[k]) * sy[slotOf[k]][i];
      }
      be[l] = yr * rho[i];
      coefficients[2 * i] = al[l] - be[l];
      coefficients[2 * i + 1] = -hDiag * al[l];
    }

    NDArray filled = rows.get(new NDIndex("0:{}", 2 * n));
    NDArray c = toDevice(coefficients, g.getDataType());
    NDArray filledT = filled.transpose();
    NDArray combination = filledT.matMul(c);
    filledT.close();
    NDArray scaledGradient = g.mul(hDiag);
    combination.subi(scaledGradient);
    scaledGradient.close();
    c.close();
    filled.close();
    return attach(combination);
  }

  /**
   * One matrix product over the filled rows: each row's inner product with {@code g} (column 0)
   * and, when a pair was just added, with its y (column 1), which fills the new pair's column of
   * {@code s·y} (the recursion reads {@code s_i·y_j} only for i older than j, so a new s needs no
   * products) and its row and column of {@code y·y}.
   */
  private double[][] innerProducts(NDArray g, int n) {
    NDArray filled = rows.get(new NDIndex("0:{}", 2 * n));
    NDArray gRow = g.reshape(1, g.size());
    NDArray columns;
    if (pending >= 0) {
      NDArray newY = rows.get(new NDIndex("{}:{}", 2 * pending + 1, 2 * pending + 2));
      columns = gRow.concat(newY, 0);
      newY.close();
      gRow.close();
    } else {
      columns = gRow;
    }
    NDArray columnsT = columns.transpose();
    NDArray product = filled.matMul(columnsT);
    double[] flat = FlatVectors.toHostArray(product);
    int width = (int) columns.getShape().get(0);
    product.close();
    columnsT.close();
    columns.close();
    filled.close();

    double[][] products = new double[2 * n][width];
    for (int row = 0; row < 2 * n; row++) {
      System.arraycopy(flat, row * width, products[row], 0, width);
    }
    if (pending >= 0) {
      int k = pending;
      for (int j = 0; j < n; j++) {
        sy[j][k] = products[2 * j][1]; // s_j·y_k
        yy[k][j] = products[2 * j + 1][1];
        yy[j][k] = yy[k][j];
      }
      pending = -1;
    }
    return products;
  }

  private NDArray toDevice(double[] values, DataType type) {
    if (type == DataType.FLOAT64) {
      return manager.create(values);
    }
    float[] narrow = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      narrow[i] = (float) values[i];
    }
    return manager.create(narrow);
  }

  private NDArray attach(NDArray array) {
    array.attach(manager);
    return array;
  }

  /** Frees the pair buffer. */
  @Override
  public void close() {
    if (rows != null) {
      rows.close();
      rows = null;
    }
  }
}
