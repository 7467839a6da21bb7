package org.stylesweep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.BombPng;

class ImageStoreTest {
  @TempDir Path dir;

  @Test
  void pngRoundTripsThroughHadoopFileSystem() throws IOException {
    BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
    image.setRGB(4, 2, 0x123456);
    String uri = dir.resolve("out/images/x.png").toUri().toString();

    ImageStore.writePng(image, uri, new Configuration());
    BufferedImage back = ImageStore.read(uri, new Configuration());

    assertThat(back.getWidth()).isEqualTo(5);
    assertThat(back.getHeight()).isEqualTo(3);
    assertThat(back.getRGB(4, 2) & 0xFFFFFF).isEqualTo(0x123456);
  }

  @Test
  void undecodableFileIsNamedInTheError() throws IOException {
    Path bad = dir.resolve("corrupt.png");
    Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3, 4, 5});

    assertThatThrownBy(() -> ImageStore.read(bad.toString(), new Configuration()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot decode image " + bad);
  }

  @Test
  void decompressionBombIsRefusedFromItsHeaderNamingFileAndSize() throws IOException {
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, BombPng.of(20000, 20000));
    assertThat(Files.size(bomb)).isLessThan(200_000);

    assertThatThrownBy(() -> ImageStore.read(bomb.toString(), new Configuration(), 512))
        .isInstanceOf(ImageStore.TooLargeException.class)
        .hasMessageContaining(bomb.toString())
        .hasMessageContaining("20000 x 20000 pixels")
        .hasMessageContaining("400.0 megapixels")
        .hasMessageContaining("100.0 megapixels")
        .hasMessageContaining(ImageStore.MAX_INPUT_PIXELS_KEY);
  }

  @Test
  void pixelBudgetComesFromTheHadoopConfiguration() throws IOException {
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
    String uri = dir.resolve("small.png").toString();
    ImageStore.writePng(image, uri, new Configuration());
    Configuration tight = new Configuration();
    tight.set(ImageStore.MAX_INPUT_PIXELS_KEY, "1000");

    assertThat(ImageStore.maxInputPixels(new Configuration()))
        .isEqualTo(ImageStore.DEFAULT_MAX_INPUT_PIXELS);
    assertThatThrownBy(() -> ImageStore.read(uri, tight))
        .isInstanceOf(ImageStore.TooLargeException.class)
        .hasMessageContaining("40 x 30 pixels");
    tight.set(ImageStore.MAX_INPUT_PIXELS_KEY, "lots");
    assertThatThrownBy(() -> ImageStore.maxInputPixels(tight)).hasMessageContaining("'lots'");
  }

  @Test
  void bigButAllowedImageIsDecodedSubsampledToWhatTheCallerNeeds() throws IOException {
    Path big = dir.resolve("big.png");
    Files.write(
        big, BombPng.of(9000, 6000)); // 54 megapixels: under the budget, over the full-decode size
    Configuration conf = new Configuration();

    BufferedImage image = ImageStore.read(big.toString(), conf, 512);

    // Every 17th pixel: the longest side stays at least the 512 asked for, and below twice that.
    assertThat(image.getWidth()).isBetween(512, 1024);
    assertThat(image.getHeight()).isEqualTo((6000 + 16) / 17);
    assertThat(ImageStore.subsampling(9000, 6000, 512)).isEqualTo(17);
    assertThat(ImageStore.subsampling(4000, 3000, 512)).as("12 MP is decoded in full").isEqualTo(1);
    assertThat(ImageStore.subsampling(9000, 6000, 0)).isEqualTo(1);
  }
}
