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
}
