package org.stylesweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.TinyManifest;

/**
 * A video sweep end to end on a five-frame clip (a pan over the cat, as a folder of frames), 32 px,
 * 4 evaluations, random weights: frame by frame against temporal, the outputs, and a chain that
 * resumes.
 */
@Tag("slow")
class VideoSweepTest {
  static SparkSession spark;
  @TempDir static Path dir;
  static Path out;
  static CliResult first;

  @BeforeAll
  static void runTheSweep() throws IOException {
    spark = LocalSpark.start("VideoSweepTest");
    Path frames = Files.createDirectories(dir.resolve("clip"));
    BufferedImage cat = ImageIO.read(TinyManifest.sample("content/cat.png").toFile());
    BufferedImage big = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
    big.getGraphics().drawImage(cat, 0, 0, 96, 64, null);
    for (int t = 0; t < 5; t++) {
      ImageIO.write(
          big.getSubimage(2 * t, 0, 48, 32), "png", frames.resolve("f" + t + ".png").toFile());
    }
    out = dir.resolve("out");
    first = runInto(manifest("video", "clip/"), out);
  }

  @AfterAll
  static void stop() {
    LocalSpark.stop(spark);
  }

  static Path manifest(String name, String video) throws IOException {
    Path file = dir.resolve(name + ".yaml");
    Files.writeString(
        file,
        String.join(
            "\n",
            "name: " + name,
            "model: {weights: \"random:0\"}",
            "videos: [{path: " + video + ", stride: 1, fps: 5}]",
            "styles: [" + TinyManifest.sample("style/mosaic.png") + "]",
            "defaults: {image_size: 32, steps: 4, content_layers: [conv2_1],"
                + " style_layers: [conv1_1, conv2_1], temporal_weight: 100.0}",
            "sweep: {temporal: [none, short]}",
            ""));
    return file;
  }

  /** The run folders under videos/, by temporal mode (read from the metrics table). */
  static Map<String, String> runsByMode() {
    Map<String, String> runs = new HashMap<>();
    for (Row r :
        spark
            .read()
            .parquet(out.resolve("video-metrics").toString())
            .select("temporal", "run_id")
            .distinct()
            .collectAsList()) {
      runs.put(r.getString(0), r.getString(1));
    }
    return runs;
  }

  @Test
  void everyFrameOfBothRunsIsOkWithOutputsAndTemporalErrors() throws IOException {
    assertThat(first.code()).as(first.err()).isZero();
    List<Row> rows = spark.read().parquet(out.resolve("video-metrics").toString()).collectAsList();
    assertThat(rows).hasSize(10);
    assertThat(rows).allSatisfy(r -> assertThat(r.getAs("status").toString()).isEqualTo("OK"));
    assertThat(rows.stream().filter(r -> r.getAs("temporal_error") != null)).hasSize(8);
    for (String run : runsByMode().values()) {
      Path folder = out.resolve("videos").resolve(run);
      assertThat(folder.resolve("video.mp4")).isNotEmptyFile();
      assertThat(folder.resolve("preview.gif")).isNotEmptyFile();
      assertThat(folder.resolve("original.mp4")).isNotEmptyFile();
    }
    // Flows are cached: four pairs, both directions.
    try (Stream<Path> flows = Files.walk(out.resolve("video-inputs"))) {
      assertThat(flows.filter(p -> p.toString().endsWith(".flo"))).hasSize(8);
    }
  }

  @Test
  void theReportOfTheVideoSweepShowsBothRunsWithCopiesOfTheirVideosAndTheChart()
      throws IOException {
    CliResult report = CliResult.execute(spark, "report", out.toString());

    assertThat(report.code()).as(report.err()).isZero();
    Path reportDir = out.resolve("report");
    String html = Files.readString(reportDir.resolve("index.html"));
    assertThat(html).contains("<section id=\"videos\">");
    for (String run : runsByMode().values()) {
      assertThat(html).contains("<video src=\"videos/" + run + "/video.mp4\"");
      assertThat(reportDir.resolve("videos").resolve(run).resolve("video.mp4"))
          .hasSameBinaryContentAs(out.resolve("videos").resolve(run).resolve("video.mp4"));
      assertThat(reportDir.resolve("videos").resolve(run).resolve("preview.gif")).isNotEmptyFile();
      assertThat(html).contains("src=\"videos/" + run + "/frame-000004.png\"");
    }
    java.util.regex.Matcher chart =
        java.util.regex.Pattern.compile("src=\"(charts/temporal-[^\"]+)\"").matcher(html);
    assertThat(chart.find()).isTrue();
    assertThat(ImageIO.read(reportDir.resolve(chart.group(1)).toFile())).isNotNull();
  }

  @Test
  void aFrameByFrameFrameEqualsTheSingleImageRunOnThatFrame() throws IOException {
    String run = runsByMode().get("none");
    Path content;
    try (Stream<Path> files = Files.walk(out.resolve("video-inputs"))) {
      content =
          files
              .filter(p -> p.getFileName().toString().equals("000002.png"))
              .findFirst()
              .orElseThrow();
    }
    Path single = dir.resolve("single.yaml");
    Files.writeString(
        single,
        String.join(
            "\n",
            "name: single",
            "model: {weights: \"random:0\"}",
            "contents: [" + content + "]",
            "styles: [" + TinyManifest.sample("style/mosaic.png") + "]",
            "defaults: {image_size: 32, steps: 4, content_layers: [conv2_1],"
                + " style_layers: [conv1_1, conv2_1], temporal_weight: 100.0}",
            ""));
    Path singleOut = dir.resolve("single-out");
    CliResult result = runInto(single, singleOut);
    assertThat(result.code()).as(result.err()).isZero();
    File image;
    try (Stream<Path> images = Files.list(singleOut.resolve("images"))) {
      image = images.findFirst().orElseThrow().toFile();
    }
    BufferedImage expected = ImageIO.read(image);
    BufferedImage frame =
        ImageIO.read(out.resolve("videos").resolve(run).resolve("frames/000002.png").toFile());
    assertThat(frame.getWidth()).isEqualTo(expected.getWidth());
    assertThat(frame.getHeight()).isEqualTo(expected.getHeight());
    assertThat(frame.getRGB(0, 0, frame.getWidth(), frame.getHeight(), null, 0, frame.getWidth()))
        .containsExactly(
            expected.getRGB(
                0, 0, expected.getWidth(), expected.getHeight(), null, 0, expected.getWidth()));
  }

  static Path chunkedOut;

  /**
   * A long-term chain in chunks [0, 3) and [3, 5) (chunk_frames 3, chunk_overlap 2): both start at
   * once on local[2], so the second finds frame 2 unfinished and starts at frame 1.
   */
  static synchronized Path chunked() throws IOException {
    if (chunkedOut == null) {
      Path chunked = dir.resolve("chunked.yaml");
      Files.writeString(
          chunked,
          Files.readString(manifest("video", "clip/"))
              .replace("name: video", "name: chunked")
              .replace(
                  "temporal: [none, short]",
                  "temporal: [long], chunk_frames: [3], chunk_overlap: [2]"));
      chunkedOut = dir.resolve("chunked-out");
      CliResult result = runInto(chunked, chunkedOut);
      assertThat(result.code()).as(result.err()).isZero();
    }
    return chunkedOut;
  }

  static List<Row> frameRows(Path out) {
    return spark
        .read()
        .parquet(out.resolve("video-metrics").toString())
        .orderBy("frame")
        .collectAsList();
  }

  @Test
  void chunksOverlapAndTheOverlapFramesShownAreCrossFadesOfTheTwoChains() throws IOException {
    Path out = chunked();
    List<Row> rows = frameRows(out);
    assertThat(rows).hasSize(5);
    assertThat(rows).allSatisfy(r -> assertThat(r.getAs("status").toString()).isEqualTo("OK"));
    // Only frame 0 starts cold: frame 3 is tied (long-term: 1, 2 back) to the second chunk's own
    // chain through frames 1 and 2.
    assertThat(rows.stream().map(r -> (Boolean) r.getAs("warm_start")).toList())
        .containsExactly(false, true, true, true, true);
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.<Integer>getAs("chunk_frames")).isEqualTo(3);
              assertThat(r.<Integer>getAs("chunk_overlap")).isEqualTo(2);
            });
    Path run = out.resolve("videos").resolve(rows.get(0).getString(0));
    try (Stream<Path> overlap = Files.list(run.resolve("overlap"))) {
      assertThat(overlap.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("000001.png", "000002.png");
    }
    for (int i = 1; i <= 2; i++) {
      String name = String.format("%06d.png", i);
      BufferedImage a = ImageIO.read(run.resolve("frames").resolve(name).toFile());
      BufferedImage b = ImageIO.read(run.resolve("overlap").resolve(name).toFile());
      BufferedImage shown = ImageIO.read(run.resolve("blended").resolve(name).toFile());
      double alpha = i / 3.0; // overlap frame k = i - 1 of 2: (k + 1)/(L + 1)
      assertThat(differingPixels(a, b)).as("the two chains differ at frame " + i).isPositive();
      for (int y = 0; y < a.getHeight(); y++) {
        for (int x = 0; x < a.getWidth(); x++) {
          for (int shift = 0; shift <= 16; shift += 8) {
            int ca = (a.getRGB(x, y) >> shift) & 0xff;
            int cb = (b.getRGB(x, y) >> shift) & 0xff;
            assertThat((shown.getRGB(x, y) >> shift) & 0xff)
                .as("frame %d at (%d, %d)", i, x, y)
                .isEqualTo((int) Math.round((1 - alpha) * ca + alpha * cb));
          }
        }
      }
    }
    // The table, the mp4 and the report show the blends in place of frames 1 and 2.
    assertThat(rows.stream().map(r -> r.<String>getAs("image_path")).toList())
        .containsExactly(
            "videos/" + run.getFileName() + "/frames/000000.png",
            "videos/" + run.getFileName() + "/blended/000001.png",
            "videos/" + run.getFileName() + "/blended/000002.png",
            "videos/" + run.getFileName() + "/frames/000003.png",
            "videos/" + run.getFileName() + "/frames/000004.png");
  }

  @Test
  void aRerunOfAChunkedRunRecomputesNothingAndBlendsTheSameBytes() throws IOException {
    Path out = chunked();
    Path run = out.resolve("videos").resolve(frameRows(out).get(0).getString(0));
    Map<Path, Long> times = new HashMap<>();
    Map<Path, byte[]> bytes = new HashMap<>();
    for (String folder : List.of("records", "frames", "overlap", "blended")) {
      try (Stream<Path> files = Files.list(run.resolve(folder))) {
        for (Path f : files.toList()) {
          times.put(f, Files.getLastModifiedTime(f).toMillis());
          bytes.put(f, Files.readAllBytes(f));
        }
      }
    }

    CliResult again = runInto(dir.resolve("chunked.yaml"), out);

    assertThat(again.code()).as(again.err()).isZero();
    for (Path f : times.keySet()) {
      assertThat(Files.readAllBytes(f)).as(f.toString()).isEqualTo(bytes.get(f));
      if (!f.getParent().getFileName().toString().equals("blended")) {
        assertThat(Files.getLastModifiedTime(f).toMillis())
            .as(f.toString())
            .isEqualTo(times.get(f));
      }
    }
  }

  @Test
  void aChunkRecomputedAfterItsPredecessorFinishedChainsToItAndDropsItsOverlap()
      throws IOException {
    Path source = chunked();
    // What a driver killed before frame 3 was written leaves, once frames 0-2 are done: the
    // overlap of the chunk's first try, and no record of frame 3.
    Path out = dir.resolve("chunked-stale");
    copyTree(source, out);
    String id = frameRows(source).get(0).getString(0);
    Path run = out.resolve("videos").resolve(id);
    forgetFrame(run, 3);

    CliResult again = runInto(dir.resolve("chunked.yaml"), out);

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(run.resolve("overlap/000001.png")).doesNotExist();
    assertThat(run.resolve("overlap/000002.png")).doesNotExist();
    List<Row> rows = frameRows(out);
    assertThat(rows).allSatisfy(r -> assertThat(r.getAs("status").toString()).isEqualTo("OK"));
    assertThat(rows.stream().map(r -> r.<String>getAs("image_path")))
        .allSatisfy(p -> assertThat(p).contains("/frames/"));
    assertThat(Files.readString(run.resolve("records/000003.json"))).contains("\"warmStart\":true");
  }

  @Test
  void aChunkResumedInsideReadsItsOverlapBackAndRecomputesTheSameFrame() throws IOException {
    Path source = chunked();
    // A driver killed after frame 3: frame 4 (long-term: 1, 2 and 4 back) must again see the
    // chunk's own overlap frame 2, not the previous chunk's frame 2.
    Path out = dir.resolve("chunked-resumed");
    copyTree(source, out);
    Path run = out.resolve("videos").resolve(frameRows(source).get(0).getString(0));
    byte[] before = Files.readAllBytes(run.resolve("frames/000004.png"));
    forgetFrame(run, 4);

    CliResult again = runInto(dir.resolve("chunked.yaml"), out);

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(Files.readAllBytes(run.resolve("frames/000004.png"))).isEqualTo(before);
    assertThat(run.resolve("overlap/000002.png")).exists();
  }

  @Test
  void aChunkThatStartedColdResumesWithoutTyingToThePreviousChunk() throws IOException {
    // chunk_overlap 0: the chunk from frame 3 starts cold; resumed at frame 4 (long-term: 1, 2
    // and 4 back) it must again ignore frame 2 of the previous chunk, now on disk.
    Path cold = dir.resolve("cold.yaml");
    Files.writeString(
        cold,
        Files.readString(manifest("video", "clip/"))
            .replace("name: video", "name: cold")
            .replace(
                "temporal: [none, short]",
                "temporal: [long], chunk_frames: [3], chunk_overlap: [0]"));
    Path out = dir.resolve("cold-out");
    CliResult first = runInto(cold, out);
    assertThat(first.code()).as(first.err()).isZero();
    List<Row> rows = frameRows(out);
    assertThat(rows.stream().map(r -> (Boolean) r.getAs("warm_start")).toList())
        .containsExactly(false, true, true, false, true);
    Path run = out.resolve("videos").resolve(rows.get(0).getString(0));
    assertThat(run.resolve("overlap")).doesNotExist();
    byte[] before = Files.readAllBytes(run.resolve("frames/000004.png"));
    forgetFrame(run, 4);

    CliResult again = runInto(cold, out);

    assertThat(again.code()).as(again.err()).isZero();
    assertThat(Files.readAllBytes(run.resolve("frames/000004.png"))).isEqualTo(before);
  }

  static int differingPixels(BufferedImage a, BufferedImage b) {
    int n = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        n += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
      }
    }
    return n;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  @Test
  void aChainCutShortResumesWithoutRecomputingAFinishedFrame() throws IOException {
    String run = runsByMode().get("short");
    Path records = out.resolve("videos").resolve(run).resolve("records");
    // What a driver killed after frame 2 leaves: records 0..2, nothing of 3 and 4.
    for (int i = 3; i < 5; i++) {
      Files.delete(records.resolve(String.format("%06d.json", i)));
      Files.delete(out.resolve("videos").resolve(run).resolve(String.format("frames/%06d.png", i)));
    }
    Map<Integer, Long> before = new HashMap<>();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path r = records.resolve(String.format("%06d.json", i));
      before.put(i, Files.getLastModifiedTime(r).toMillis());
      kept.add(Files.readString(r));
    }

    CliResult again = runInto(dir.resolve("video.yaml"), out);

    assertThat(again.code()).as(again.err()).isZero();
    for (int i = 0; i < 3; i++) {
      Path r = records.resolve(String.format("%06d.json", i));
      assertThat(Files.getLastModifiedTime(r).toMillis()).isEqualTo(before.get(i));
      assertThat(Files.readString(r)).isEqualTo(kept.get(i));
    }
    assertThat(records.resolve("000003.json")).exists();
    assertThat(Files.readString(records.resolve("000004.json")))
        .contains("\"status\":\"OK\"")
        .contains("\"warmStart\":true");
  }

  /** {@code run MANIFEST --out OUT --no-report} in the test's Spark session. */
  private static CliResult runInto(Path manifest, Path out) {
    return CliResult.execute(
        spark, "run", manifest.toString(), "--out", out.toString(), "--no-report");
  }

  /** Deletes frame {@code i}'s record and image from a video run's folder, as a kill before it. */
  private static void forgetFrame(Path run, int i) throws IOException {
    Files.delete(run.resolve(String.format("records/%06d.json", i)));
    Files.delete(run.resolve(String.format("frames/%06d.png", i)));
  }
}
