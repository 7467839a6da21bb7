package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.image.Colors;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.loss.GuidedGram;
import org.stylesweep.model.Guidance;
import org.stylesweep.model.InputNormalizer;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.MaskPropagation;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;

/**
 * Spatial control with two regions (issue 13's "done when"): a content with a left and a right
 * mask, the left region styled by stripes (A) and the right by dots (B). After the run each
 * region's guided-Gram distance to its own style is at most 10% of where it started and at most a
 * third of its distance to the other style.
 */
class SpatialRegionsTest {
  private static final int W = 48;
  private static final int H = 32;
  private static final List<String> LAYERS = List.of("conv1_1", "conv2_1", "conv3_1");
  private static Vgg19 model;

  @BeforeAll
  static void loadModel() {
    model = Vgg19.random(0, Pooling.MAX, Device.cpu());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  /** Vertical dark and light grey stripes, 2 px each. */
  static BufferedImage stripes(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, (x / 2) % 2 == 0 ? 0x303030 : 0xd0d0d0);
      }
    }
    return image;
  }

  /**
   * Red dots of 3 px on a blue ground (mid tones, so the clamp to [0, 1] does not bind), every 6
   * px.
   */
  static BufferedImage dots(int size) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, x % 6 < 3 && y % 6 < 3 ? 0xc04040 : 0x4060b0);
      }
    }
    return image;
  }

  /** White on the left half (left = true) or the right half, black elsewhere. */
  static BufferedImage half(boolean left) {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.BLACK);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.WHITE);
    g.fillRect(left ? 0 : W / 2, 0, W / 2, H);
    g.dispose();
    return image;
  }

  /**
   * Σ_l mean((G_r^l(x) − G^l(s))²): the guided Gram matrices of {@code x} under {@code mask}
   * (simple propagation) against the plain Gram matrices of the style.
   */
  static double distance(BufferedImage x, BufferedImage mask, BufferedImage style) {
    List<VggLayers.Layer> layers = VggLayers.resolveAll(LAYERS);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      int w = x.getWidth();
      int h = x.getHeight();
      Map<String, NDArray> fx = forward(x, layers, manager);
      Map<String, NDArray> fs = forward(style, layers, manager);
      Map<String, Guidance.Plane> guide =
          Guidance.propagate(
              new Guidance.Plane(w, h, Colors.luminance(ImageTensors.planarAt(mask, w, h))),
              layers,
              MaskPropagation.SIMPLE);
      double sum = 0;
      for (VggLayers.Layer layer : layers) {
        Guidance.Plane p = guide.get(layer.name());
        NDArray t = manager.create(p.values(), new Shape(1, 1, p.height(), p.width()));
        NDArray gx = GuidedGram.of(fx.get(layer.name()), t, p.mass(), GramNorm.CHW);
        NDArray s = fs.get(layer.name());
        Shape shape = s.getShape();
        NDArray ones = manager.ones(new Shape(1, 1, shape.get(2), shape.get(3)));
        NDArray gs = GuidedGram.of(s, ones, shape.get(2) * shape.get(3), GramNorm.CHW);
        sum += gx.sub(gs).square().mean().getFloat();
      }
      return sum;
    }
  }

  @Test
  void eachRegionTakesItsOwnStyle() {
    BufferedImage content = TestImages.content(W, H);
    BufferedImage a = stripes(W);
    BufferedImage b = dots(W);
    BufferedImage left = half(true);
    BufferedImage right = half(false);
    RunParams params =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, W)
            .with(Params.STEPS, 150)
            .with(Params.CONTENT_WEIGHT, 0.0)
            .with(Params.CONTENT_LAYERS, List.of("conv2_1"))
            .with(Params.STYLE_LAYERS, LAYERS)
            .with(Params.STYLE_WEIGHT, 1e8);
    TransferResult result =
        StyleTransfer.runGuided(
            model,
            Normalization.IMAGENET,
            content,
            null,
            List.of(new Region(left, a, null, 1.0), new Region(right, b, null, 1.0)),
            params,
            ProgressListener.NONE);
    assertThat(result.error()).isNull();
    BufferedImage x = result.image();
    double leftStart = distance(content, left, a);
    double leftToA = distance(x, left, a);
    double leftToB = distance(x, left, b);
    double rightStart = distance(content, right, b);
    double rightToB = distance(x, right, b);
    double rightToA = distance(x, right, a);
    System.out.printf(
        "left: start %.4g, to A %.4g (%.1f%%), to B %.4g; right: start %.4g, to B %.4g (%.1f%%),"
            + " to A %.4g%n",
        leftStart,
        leftToA,
        100 * leftToA / leftStart,
        leftToB,
        rightStart,
        rightToB,
        100 * rightToB / rightStart,
        rightToA);
    assertThat(leftToA).isLessThanOrEqualTo(0.10 * leftStart);
    assertThat(leftToA).isLessThanOrEqualTo(leftToB / 3);
    assertThat(rightToB).isLessThanOrEqualTo(0.10 * rightStart);
    assertThat(rightToB).isLessThanOrEqualTo(rightToA / 3);
  }

  /**
   * Per-region histograms: with only the histogram loss at relu1_1 (no Gram, no content), each
   * half's activation histogram moves to its own style's: its Wasserstein distance to its style at
   * most 0.4× where it started (measured 0.34× for stripes, 0.12× for dots; the 3×3 receptive field
   * straddles the mask edge) and at most a third of its distance to the other style.
   */
  @Test
  void histogramLossMatchesEachRegionToItsOwnStyle() {
    BufferedImage content = TestImages.content(W, H);
    BufferedImage a = stripes(W);
    BufferedImage b = dots(W);
    BufferedImage left = half(true);
    BufferedImage right = half(false);
    RunParams params =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, W)
            .with(Params.STEPS, 100)
            .with(Params.CONTENT_WEIGHT, 0.0)
            .with(Params.STYLE_WEIGHT, 0.0)
            .with(Params.STYLE_LAYERS, LAYERS)
            .with(Params.HISTOGRAM_WEIGHT, 1.0)
            .with(Params.HISTOGRAM_LAYERS, List.of("relu1_1"));
    TransferResult result =
        StyleTransfer.runGuided(
            model,
            Normalization.IMAGENET,
            content,
            null,
            List.of(new Region(left, a, null, 1.0), new Region(right, b, null, 1.0)),
            params,
            ProgressListener.NONE);
    assertThat(result.error()).isNull();
    BufferedImage x = result.image();
    double leftStart = halfWasserstein(content, true, a);
    double leftToA = halfWasserstein(x, true, a);
    double leftToB = halfWasserstein(x, true, b);
    double rightStart = halfWasserstein(content, false, b);
    double rightToB = halfWasserstein(x, false, b);
    double rightToA = halfWasserstein(x, false, a);
    System.out.printf(
        "histogram regions: left start %.4f, to A %.4f, to B %.4f; right start %.4f, to B %.4f,"
            + " to A %.4f%n",
        leftStart, leftToA, leftToB, rightStart, rightToB, rightToA);
    assertThat(leftToA).isLessThanOrEqualTo(0.4 * leftStart).isLessThanOrEqualTo(leftToB / 3);
    assertThat(rightToB).isLessThanOrEqualTo(0.4 * rightStart).isLessThanOrEqualTo(rightToA / 3);
  }

  /** The relu1_1 Wasserstein distance of one half of x to a whole style image. */
  static double halfWasserstein(BufferedImage x, boolean leftHalf, BufferedImage style) {
    List<VggLayers.Layer> layers = VggLayers.resolveAll(List.of("relu1_1"));
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray fx = forward(x, layers, manager).get("relu1_1");
      NDArray fs = forward(style, layers, manager).get("relu1_1");
      int from = leftHalf ? 0 : W / 2;
      NDArray kept = fx.get(":, :, :, " + from + ":" + (from + W / 2));
      return QualityMetrics.wasserstein(kept, fs);
    }
  }

  /** The model's features of an image at its own size (imagenet normalization). */
  private static Map<String, NDArray> forward(
      BufferedImage image, List<VggLayers.Layer> layers, NDManager manager) {
    InputNormalizer normalizer =
        InputNormalizer.create(Normalization.IMAGENET, manager, model.dataType());
    NDArray tensor = ImageTensors.toTensor(image, image.getWidth(), image.getHeight(), manager);
    return model.forward(normalizer.apply(tensor), layers);
  }
}
