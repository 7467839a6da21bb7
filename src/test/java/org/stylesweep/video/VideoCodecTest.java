package org.stylesweep.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.image.ImageStore;
import org.stylesweep.spec.VideoInput;

class VideoCodecTest {
  static final Configuration CONF = new Configuration();
  @TempDir static java.nio.file.Path dir;
  static List<BufferedImage> source;
  static String mp4;

  @BeforeAll
  static void encodeASyntheticClip() throws IOException {
    // A pan over a photo: what a clip is made of (a synthetic texture's fine colour detail is
    // beyond 4:2:0 chroma; it gives 30 dB at any bitrate).
    BufferedImage cat =
        ImageStore.read(
            java.nio.file.Paths.get("samples/content/cat.png").toUri().toString(), CONF);
    source = SyntheticClip.pan(cat, 96, 64, 12, 3);
    mp4 = dir.resolve("clip.mp4").toUri().toString();
    VideoCodec.writeMp4(source, 12, 2.0, new Path(mp4), CONF);
  }

  @Test
  void decodingGivesTheFrameCountAndSizeTheContainerStates() throws IOException {
    VideoCodec.Info info = VideoCodec.probe(mp4, CONF);
    List<BufferedImage> frames = VideoCodec.decodeAll(VideoInput.whole(mp4), CONF);

    assertThat(info.frames()).isEqualTo(12);
    assertThat(info.width()).isEqualTo(96);
    assertThat(info.height()).isEqualTo(64);
    assertThat(info.fps()).isEqualTo(12.0);
    assertThat(frames).hasSize((int) info.frames());
    assertThat(frames)
        .allSatisfy(
            f -> assertThat(new int[] {f.getWidth(), f.getHeight()}).containsExactly(96, 64));
  }

  @Test
  void encodeThenDecodeKeepsEveryFrameAbove35Db() throws IOException {
    List<BufferedImage> frames = VideoCodec.decodeAll(VideoInput.whole(mp4), CONF);

    for (int i = 0; i < source.size(); i++) {
      assertThat(SyntheticClip.psnr(source.get(i), frames.get(i), 96, 64))
          .as("PSNR of frame %d", i)
          .isGreaterThanOrEqualTo(35.0);
    }
  }

  @Test
  void startCountAndStrideSelectTheFramesOfAnMp4() throws IOException {
    List<BufferedImage> frames = VideoCodec.decodeAll(new VideoInput(mp4, 2, 3, 3, 0), CONF);

    assertThat(frames).hasSize(3);
    // Frames 2, 5 and 8: each is closest to its own source frame.
    int[] expected = {2, 5, 8};
    for (int k = 0; k < 3; k++) {
      int best = 0;
      for (int i = 1; i < source.size(); i++) {
        if (SyntheticClip.psnr(source.get(i), frames.get(k), 96, 64)
            > SyntheticClip.psnr(source.get(best), frames.get(k), 96, 64)) {
          best = i;
        }
      }
      assertThat(best).as("source frame of selected frame %d", k).isEqualTo(expected[k]);
    }
  }

  @Test
  void aFolderOfFramesIsReadInNameOrderWithTheSelection() throws IOException {
    java.nio.file.Path folder = Files.createDirectories(dir.resolve("frames"));
    for (int i = 0; i < 6; i++) {
      ImageStore.writePng(
          source.get(i), folder.resolve(String.format("f%03d.png", i)).toUri().toString(), CONF);
    }
    Files.writeString(folder.resolve("notes.txt"), "not a frame");
    String uri = folder.toUri().toString();

    assertThat(VideoCodec.probe(uri, CONF).frames()).isEqualTo(6);
    List<BufferedImage> frames = VideoCodec.decodeAll(new VideoInput(uri, 1, 0, 2, 0), CONF);
    assertThat(frames).hasSize(3);
    assertThat(SyntheticClip.psnr(source.get(5), frames.get(2), 96, 64)).isInfinite();
    List<BufferedImage> glob =
        VideoCodec.decodeAll(new VideoInput(uri + "f00[0-1].png", 0, 0, 1, 0), CONF);
    assertThat(glob).hasSize(2);
  }

  @Test
  void thePreviewIsAnAnimatedGifOfEveryFrameAtTheSmallSize() throws IOException {
    String gif = dir.resolve("preview.gif").toUri().toString();
    VideoCodec.writeGif(source, 12, 48, new Path(gif), CONF);

    List<BufferedImage> frames = VideoCodec.decodeAll(VideoInput.whole(gif), CONF);
    assertThat(frames).hasSize(source.size());
    assertThat(frames.get(0).getWidth()).isEqualTo(48);
    assertThat(frames.get(0).getHeight()).isEqualTo(32);
  }

  @Test
  void aMissingClipIsNamed() {
    String missing = dir.resolve("nope.mp4").toUri().toString();
    assertThatThrownBy(() -> VideoCodec.probe(missing, CONF))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("nope.mp4");
    String empty = dir.resolve("empty").toUri() + "/";
    assertThatThrownBy(() -> VideoCodec.decodeAll(new VideoInput(empty, 0, 0, 1, 0), CONF))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("match no image");
  }
}
