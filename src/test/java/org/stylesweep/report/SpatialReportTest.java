package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.Spatial;

/** The report's view of spatial control: tinted masks on the content, short labels. */
class SpatialReportTest {

  @Test
  void masksAreTintedInTheirColourAndOutlined() {
    BufferedImage content = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 20; x++) {
        content.setRGB(x, y, 0x808080);
      }
    }
    BufferedImage left = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 10; x++) {
        left.getRaster().setSample(x, y, 0, 255);
      }
    }
    BufferedImage tinted = ReportBuilder.tinted(content, List.of(left));
    int inside = tinted.getRGB(2, 5) & 0xffffff;
    assertThat((inside >> 16) & 0xff).isGreaterThan(0x80); // towards red
    assertThat(inside & 0xff).isLessThan(0x80);
    assertThat(tinted.getRGB(15, 5) & 0xffffff).isEqualTo(0x808080); // outside untouched
    assertThat(tinted.getRGB(9, 5) & 0xffffff)
        .isEqualTo(ReportBuilder.REGION_COLOURS[0]); // the edge
  }

  @Test
  void labelsNameTheRegionsAndTheirStyles() {
    Map<String, String> masks = new LinkedHashMap<>();
    masks.put("cat", "file:/m/cat.png");
    masks.put("room", "file:/m/room.png");
    String content = Spatial.content("file:/c/cat.png", masks);
    Map<String, Spatial.RegionStyle> styles = new LinkedHashMap<>();
    styles.put("cat", new Spatial.RegionStyle("file:/s/mosaic.png", null));
    styles.put("room", new Spatial.RegionStyle("file:/s/swirl.png", "file:/s/top.png"));
    String style = Spatial.style(styles, null);
    assertThat(Axes.fileName(content)).isEqualTo("cat.png [cat, room]");
    assertThat(Axes.fileName(style))
        .isEqualTo("cat: mosaic.png, room: swirl.png (masked), rest: none");
    assertThat(Spatial.regionStyles(style)).isEqualTo(styles);
    assertThat(Spatial.masks(content)).isEqualTo(masks);
    assertThat(Spatial.image(content)).isEqualTo("file:/c/cat.png");
  }
}
