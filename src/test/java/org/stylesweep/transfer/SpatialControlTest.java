package org.stylesweep.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stylesweep.model.Guidance;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.spec.MaskPropagation;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

/** Spatial control's engine part (issue 13): guided Gram matrices under region masks. */
class SpatialControlTest {
  private static Vgg19 model;

  @BeforeAll
  static void loadModel() {
    model = Vgg19.random(0, Pooling.MAX, Device.cpu());
  }

  @AfterAll
  static void closeModel() {
    model.close();
  }

  private static BufferedImage white(int w, int h) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.dispose();
    return image;
  }

  private static RunParams params(MaskPropagation how) {
    return RunParams.defaults()
        .with(Params.IMAGE_SIZE, 32)
        .with(Params.STEPS, 12)
        .with(Params.CONTENT_LAYERS, List.of("conv2_1"))
        .with(Params.STYLE_LAYERS, List.of("conv1_1", "relu2_1", "conv3_1"))
        .with(Params.MASK_PROPAGATION, how);
  }

  @Test
  void allOnesMaskReproducesThePlainRunsLossHistoryTo1e6() {
    BufferedImage content = TestImages.content(32, 24);
    BufferedImage style = TestImages.style(40, 40);
    TransferResult plain =
        StyleTransfer.run(
            model,
            Normalization.IMAGENET,
            Task.TRANSFER,
            content,
            style,
            params(MaskPropagation.SIMPLE),
            ProgressListener.NONE);
    for (MaskPropagation how : MaskPropagation.values()) {
      TransferResult guided =
          StyleTransfer.runGuided(
              model,
              Normalization.IMAGENET,
              content,
              null,
              List.of(new Region(white(32, 24), style, null, 1.0)),
              params(how),
              ProgressListener.NONE);
      assertThat(guided.error()).isNull();
      float[] a = plain.lossHistory();
      float[] b = guided.lossHistory();
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.length; i++) {
        assertThat((double) Math.abs(a[i] - b[i]) / Math.abs(a[i]))
            .as(how + " #" + i)
            .isLessThan(1e-6);
      }
    }
  }

  /** A mask that is white in the columns [0, width) and black elsewhere. */
  private static BufferedImage leftStrip(int w, int h, int width) {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, h);
    g.dispose();
    return image;
  }

  /**
   * mask_propagation inside erodes a region by every 3x3 convolution, so a region can vanish in
   * deep layers: those layers have no term for it (the run stays finite; it was NaN at the first
   * evaluation), and a region that vanishes at every style layer is rejected, saying what to do.
   */
  @Test
  void aRegionErodedAwayInDeepLayersLosesOnlyThoseTerms() {
    BufferedImage content = TestImages.content(32, 32);
    BufferedImage style = TestImages.style(32, 32);
    RunParams deep =
        params(MaskPropagation.INSIDE)
            .with(Params.STYLE_LAYERS, List.of("conv1_1", "conv2_1", "conv3_1", "conv4_1"));
    TransferResult eroded =
        StyleTransfer.runGuided(
            model,
            Normalization.IMAGENET,
            content,
            null,
            List.of(new Region(leftStrip(32, 32, 12), style, null, 1.0)),
            deep,
            ProgressListener.NONE);
    assertThat(eroded.error()).isNull();
    for (float loss : eroded.lossHistory()) {
      assertThat(Float.isFinite(loss)).isTrue();
    }

    TransferResult vanished =
        StyleTransfer.runGuided(
            model,
            Normalization.IMAGENET,
            content,
            null,
            List.of(new Region(leftStrip(32, 32, 1), style, null, 1.0)),
            deep.with(Params.STYLE_LAYERS, List.of("conv3_1", "conv4_1")),
            ProgressListener.NONE);
    assertThat(vanished.error())
        .contains("no region keeps a pixel at any of style_layers", "mask_propagation: simple");
  }

  @Test
  void guidancePropagationKeepsOnesAndErodesOrDilatesAnEdge() {
    List<VggLayers.Layer> layers = VggLayers.resolveAll(List.of("conv1_1", "conv2_1"));
    float[] half = new float[16 * 16];
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 8; x++) {
        half[y * 16 + x] = 1;
      }
    }
    Map<String, Guidance.Plane> simple =
        Guidance.propagate(new Guidance.Plane(16, 16, half), layers, MaskPropagation.SIMPLE);
    Map<String, Guidance.Plane> inside =
        Guidance.propagate(new Guidance.Plane(16, 16, half), layers, MaskPropagation.INSIDE);
    Map<String, Guidance.Plane> all =
        Guidance.propagate(new Guidance.Plane(16, 16, half), layers, MaskPropagation.ALL);
    assertThat(simple.get("conv2_1").width()).isEqualTo(8);
    assertThat(simple.get("conv2_1").mass()).isEqualTo(32.0);
    assertThat(inside.get("conv2_1").mass()).isLessThan(32.0);
    assertThat(all.get("conv2_1").mass()).isGreaterThan(32.0);
  }
}
