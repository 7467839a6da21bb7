package org.stylesweep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

  private static BufferedImage checkerboard(int width, int height, int cell) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean white = ((x / cell) + (y / cell)) % 2 == 0;
        image.setRGB(x, y, white ? 0xffffff : 0x000000);
      }
    }
    return image;
  }

  @Test
  void tensorRoundTripKeepsEveryPixelAndChannelOrder() {
    BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        image.setRGB(x, y, (x * 50) << 16 | (y * 100) << 8 | (x + y) * 20);
      }
    }
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray tensor = ImageTensors.toTensor(image, manager);
      assertThat(tensor.getShape()).isEqualTo(new Shape(1, 3, 3, 5));
      assertThat(tensor.getFloat(0, 0, 1, 4)).isEqualTo(200 / 255f); // red of (x=4, y=1)
      assertThat(tensor.getFloat(0, 1, 2, 0)).isEqualTo(200 / 255f); // green of (x=0, y=2)
      assertThat(tensor.getFloat(0, 2, 2, 4)).isEqualTo(120 / 255f); // blue of (x=4, y=2)
      BufferedImage back = ImageTensors.toImage(tensor);
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 5; x++) {
          assertThat(back.getRGB(x, y) & 0xffffff).isEqualTo(image.getRGB(x, y) & 0xffffff);
        }
      }
    }
  }

  @Test
  void toImageClampsOutOfRangeValues() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray tensor = manager.create(new float[] {-0.5f, 1.7f, 0.5f}, new Shape(3, 1, 1));
      assertThat(ImageTensors.toImage(tensor).getRGB(0, 0) & 0xffffff).isEqualTo(0x00ff80);
    }
  }

  @Test
  void longestSideScalingKeepsAspectRatio() {
    assertThat(ImageTensors.scaledSize(640, 480, 256)).containsExactly(256, 192);
    assertThat(ImageTensors.scaledSize(480, 640, 256)).containsExactly(192, 256);
    assertThat(ImageTensors.scaledSize(1000, 3, 100)).containsExactly(100, 1);
    assertThatThrownBy(() -> ImageTensors.scaledSize(10, 10, 0)).hasMessageContaining("positive");
    BufferedImage resized = ImageTensors.resizeLongestSide(checkerboard(90, 60, 3), 30);
    assertThat(resized.getWidth()).isEqualTo(30);
    assertThat(resized.getHeight()).isEqualTo(20);
  }

  @Test
  void downscalingAveragesAwayFineDetailInsteadOfAliasing() {
    // A 1-pixel checkerboard shrunk 4x must become flat grey (area average), not black or white
    // samples as nearest-neighbour or plain bilinear sampling would give.
    BufferedImage resized = ImageTensors.resize(checkerboard(64, 64, 1), 16, 16);
    for (int y = 1; y < 15; y++) {
      for (int x = 1; x < 15; x++) {
        int grey = resized.getRGB(x, y) & 0xff;
        assertThat(grey).isBetween(120, 135);
      }
    }
  }

  @Test
  void resizingKeepsFlatColourAndBlockAverages() {
    BufferedImage flat = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = flat.createGraphics();
    g.setColor(new Color(10, 128, 250));
    g.fillRect(0, 0, 37, 23);
    g.dispose();
    for (int[] size : new int[][] {{16, 10}, {80, 50}, {37, 5}}) {
      BufferedImage resized = ImageTensors.resize(flat, size[0], size[1]);
      for (int y = 0; y < size[1]; y++) {
        for (int x = 0; x < size[0]; x++) {
          assertThat(resized.getRGB(x, y) & 0xffffff).isEqualTo(0x0a80fa);
        }
      }
    }
    // Upscaling then downscaling by the same integer factor gives the image back closely.
    BufferedImage smooth = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        smooth.setRGB(x, y, (x * 16) << 16 | (y * 16) << 8 | 128);
      }
    }
    BufferedImage back = ImageTensors.resize(ImageTensors.resize(smooth, 64, 64), 16, 16);
    for (int y = 2; y < 14; y++) {
      for (int x = 2; x < 14; x++) {
        assertThat((back.getRGB(x, y) >> 16) & 0xff).isCloseTo(x * 16, within(2));
      }
    }
  }

  @Test
  void alphaIsCompositedOverWhite() {
    BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x00000000); // fully transparent black
    assertThat(ImageTensors.toPlanar(image).data()).containsExactly(1f, 1f, 1f);
    image.setRGB(0, 0, 0x80ff0000); // half-transparent red
    float[] rgb = ImageTensors.toPlanar(image).data();
    assertThat(rgb[0]).isEqualTo(1f);
    assertThat(rgb[1]).isCloseTo(1 - 128 / 255f, within(1e-6f));
  }

  @Test
  void sizesWhoseFloatCountOverflowsAnIntFailWithAMessage() {
    assertThat(ImageTensors.planarLength(4096, 4096)).isEqualTo(3 * 4096 * 4096);
    assertThatThrownBy(() -> ImageTensors.planarLength(30000, 30000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("30000 x 30000 pixels is too large");
    assertThatThrownBy(
            () -> ImageTensors.resize(new ImageTensors.Planar(1, 1, new float[3]), 100000, 100000))
        .hasMessageContaining("100000 x 100000 pixels is too large");
  }
}
