package org.stylesweep.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stylesweep.spec.MaskPropagation;

/**
 * Guidance channels for guided Gram matrices (Gatys et al. 2017, "Controlling Perceptual Factors in
 * Neural Style Transfer", Sec. 4.1): a region's mask T (values in [0, 1], image resolution) brought
 * to each layer's resolution, T_l. The layer table is walked in network order: {@code simple} (the
 * paper's "simply downsampled" guidance) averages 2×2 at each pooling; {@code inside} also erodes
 * by each 3×3 convolution's support (a minimum over the 3×3 neighbourhood) and takes 2×2 minima, so
 * that only neurons whose receptive field lies inside the region count; {@code all} dilates
 * (maxima) instead. Borders replicate the edge, so an all-ones mask stays all ones.
 */
public final class Guidance {
  private Guidance() {}

  /** One layer's guidance: {@code height × width} values, row-major. */
  public record Plane(int width, int height, float[] values) {

    /** Σ T², the guidance mass the guided Gram matrix is normalised by. */
    public double mass() {
      double sum = 0;
      for (float v : values) {
        sum += (double) v * v;
      }
      return sum;
    }
  }

  /**
   * The guidance of a mask at each of {@code layers}.
   *
   * @param mask the mask at the image's resolution
   * @return the guidance per layer name
   */
  public static Map<String, Plane> propagate(
      Plane mask, List<VggLayers.Layer> layers, MaskPropagation how) {
    int deepest = layers.stream().mapToInt(VggLayers.Layer::featureIndex).max().orElse(-1);
    Map<String, Plane> result = new LinkedHashMap<>();
    Plane current = mask;
    for (VggLayers.Layer layer : VggLayers.all()) {
      if (layer.featureIndex() > deepest) {
        break;
      }
      if (layer.kind() == VggLayers.Kind.CONV && how != MaskPropagation.SIMPLE) {
        current = neighbourhood(current, how == MaskPropagation.INSIDE);
      } else if (layer.kind() == VggLayers.Kind.POOL) {
        current = pool(current, how);
      }
      for (VggLayers.Layer wanted : layers) {
        if (wanted.featureIndex() == layer.featureIndex()) {
          result.put(wanted.name(), current);
        }
      }
    }
    return result;
  }

  private static Plane neighbourhood(Plane p, boolean min) {
    int w = p.width();
    int h = p.height();
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float best = p.values()[y * w + x];
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int yy = Math.min(h - 1, Math.max(0, y + dy));
            int xx = Math.min(w - 1, Math.max(0, x + dx));
            float v = p.values()[yy * w + xx];
            best = min ? Math.min(best, v) : Math.max(best, v);
          }
        }
        out[y * w + x] = best;
      }
    }
    return new Plane(w, h, out);
  }

  /** 2×2, stride 2, floor (VGG's max pooling's sizes). */
  private static Plane pool(Plane p, MaskPropagation how) {
    int w = p.width() / 2;
    int h = p.height() / 2;
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        float a = p.values()[(2 * y) * p.width() + 2 * x];
        float b = p.values()[(2 * y) * p.width() + 2 * x + 1];
        float c = p.values()[(2 * y + 1) * p.width() + 2 * x];
        float d = p.values()[(2 * y + 1) * p.width() + 2 * x + 1];
        out[y * w + x] =
            switch (how) {
              case SIMPLE -> (a + b + c + d) / 4;
              case INSIDE -> Math.min(Math.min(a, b), Math.min(c, d));
              case ALL -> Math.max(Math.max(a, b), Math.max(c, d));
            };
      }
    }
    return new Plane(w, h, out);
  }
}
