package org.stylesweep.spec;

import org.stylesweep.common.Choice;

/**
 * The linear map of {@code color_control: match_histogram} (Gatys et al. 2017, Sec. 5.2), x' = A(x
 * − μ_s) + μ_c, both giving A Σ_s Aᵀ = Σ_c:
 *
 * <ul>
 *   <li>{@code sqrtm}: A = Σ_c^½ Σ_s^-½ with symmetric square roots (eigendecompositions), the
 *       paper's "3D colour matching" (default).
 *   <li>{@code cholesky}: A = L_c L_s⁻¹ with Σ = L Lᵀ.
 * </ul>
 */
public enum ColorMatch {
  SQRTM,
  CHOLESKY;

  /** The manifest spelling of this value. */
  public String key() {
    return Choice.key(this);
  }

  /** Parses a manifest value; the error names the value and the valid choices. */
  public static ColorMatch parse(String value) {
    return Choice.parse(ColorMatch.class, value);
  }
}
