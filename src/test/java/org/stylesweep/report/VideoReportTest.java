package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spark.Schemas;
import org.stylesweep.testing.LocalSpark;

/**
 * The report's Videos section on synthetic video outputs laid out as {@code VideoJob} writes them
 * ({@code video-metrics/} with {@link Schemas#VIDEO_FRAMES}, {@code videos/<run_id>/} with the
 * mp4s, the GIF preview and frame PNGs): one folder beside two image runs, one with videos only.
 */
@Tag("slow")
class VideoReportTest {
  private static final int FRAMES = 7;
  private static final String NONE = "vid-none";
  private static final String SHORT = "vid-short";

  private static SparkSession spark;
  @TempDir static Path root;
  private static Path mixed;
  private static Path videosOnly;
  private static String html;
  private static String videosOnlyHtml;

  @BeforeAll
  static void buildReports() throws IOException {
    spark = LocalSpark.start("VideoReportTest");
    SyntheticSweep sweep = new SyntheticSweep(root.resolve("mixed"));
    String cat = sweep.input("cat.png", Color.ORANGE, Color.BLACK);
    String mosaic = sweep.input("mosaic.png", Color.BLUE, Color.YELLOW);
    sweep.ok("transfer", cat, mosaic);
    sweep.ok("transfer", cat, sweep.input("swirl.png", Color.MAGENTA, Color.CYAN));
    sweep.writeMetrics(spark);
    mixed = sweep.out;
    writeVideoRuns(mixed, mosaic);
    ReportBuilder.build(spark, mixed.toString());
    html = Files.readString(mixed.resolve("report/index.html"), StandardCharsets.UTF_8);

    videosOnly = Files.createDirectories(root.resolve("videos-only"));
    writeVideoRuns(videosOnly, mosaic);
    ReportBuilder.build(spark, videosOnly.toString());
    videosOnlyHtml = Files.readString(videosOnly.resolve("report/index.html"));
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  /**
   * Two runs of a 7-frame clip with one style: frame by frame (temporal error 0.08 per frame) and
   * short-term temporal (0.02), every frame OK.
   */
  private static void writeVideoRuns(Path out, String style) throws IOException {
    List<Row> rows = new ArrayList<>();
    for (String run : List.of(NONE, SHORT)) {
      Path folder = Files.createDirectories(out.resolve("videos").resolve(run).resolve("frames"));
      boolean temporal = run.equals(SHORT);
      for (int i = 0; i < FRAMES; i++) {
        BufferedImage frame =
            SyntheticSweep.gradient(24, 16, Color.getHSBColor(i / 10f, 0.7f, 0.9f), Color.BLACK);
        ImageIO.write(frame, "png", folder.resolve(String.format("%06d.png", i)).toFile());
        rows.add(
            RowFactory.create(
                run,
                "file:/clips/pan.mp4",
                style,
                temporal ? "short" : "none",
                temporal ? 100.0 : 0.0,
                i,
                "OK",
                null,
                10.0 + i,
                4.0,
                temporal ? 6.0 : 5.0,
                4,
                0.5,
                temporal && i > 0,
                i == 0 ? null : (temporal ? 0.02 : 0.08),
                "videos/" + run + "/frames/" + String.format("%06d.png", i),
                temporal ? 3 : 10000,
                2));
      }
      Path dir = out.resolve("videos").resolve(run);
      Files.writeString(dir.resolve("video.mp4"), "mp4 of " + run);
      Files.writeString(dir.resolve("original.mp4"), "original mp4");
      ImageIO.write(
          SyntheticSweep.gradient(16, 12, Color.RED, Color.BLUE),
          "gif",
          dir.resolve("preview.gif").toFile());
    }
    spark
        .createDataFrame(rows, Schemas.VIDEO_FRAMES)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(out.resolve("video-metrics").toString());
  }

  private static String videosSection(String page) {
    int start = page.indexOf("<section id=\"videos\">");
    assertThat(start).as("videos section").isNotNegative();
    return page.substring(start, page.indexOf("</section>", start));
  }

  @Test
  void theVideosSectionShowsTheOriginalAndBothRunsSideBySideWithPosters() {
    assertThat(html)
        .contains("<section id=\"transfer\">", "<li><a href=\"#videos\">Videos</a></li>");
    String section = videosSection(html);
    assertThat(section).contains("<h3>pan.mp4 \u00d7 mosaic.png</h3>");
    Matcher videos = Pattern.compile("<video src=\"([^\"]+)\"").matcher(section);
    List<String> sources = new ArrayList<>();
    while (videos.find()) {
      sources.add(videos.group(1));
    }
    // the original first, then frame by frame, then temporal
    assertThat(sources)
        .containsExactly(
            "videos/" + NONE + "/original.mp4",
            "videos/" + NONE + "/video.mp4",
            "videos/" + SHORT + "/video.mp4");
    assertThat(section)
        .contains("poster=\"videos/" + NONE + "/preview.gif\"")
        .contains("poster=\"videos/" + SHORT + "/preview.gif\"")
        .contains(
            "frame by frame \u00b7 " + NONE,
            "temporal short (weight 100.0), chunks of 3, overlap 2 \u00b7 " + SHORT);
    assertThat(section.indexOf(NONE + "/video.mp4"))
        .isLessThan(section.indexOf(SHORT + "/video.mp4"));
  }

  @Test
  void everyLinkOfTheSectionResolvesToACopyInsideTheReportFolder() throws IOException {
    for (Path out : List.of(mixed, videosOnly)) {
      Path report = out.resolve("report");
      String section =
          videosSection(Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8));
      Matcher url = Pattern.compile("(?:src|poster)=\"([^\"]+)\"").matcher(section);
      int links = 0;
      while (url.find()) {
        String href = url.group(1);
        assertThat(href).doesNotContain("://", "..").doesNotStartWith("/");
        Path file = report.resolve(href).normalize();
        assertThat(file).startsWith(report).isRegularFile();
        if (href.endsWith(".png") || href.endsWith(".gif")) {
          assertThat(ImageIO.read(file.toFile())).as("decodable %s", href).isNotNull();
        }
        links++;
      }
      // 3 videos, 2 posters + 2 fallback GIFs, 2 strips of 5 frames, 1 chart
      assertThat(links).isEqualTo(3 + 4 + 10 + 1);
      assertThat(report.resolve("videos/" + SHORT + "/video.mp4")).hasContent("mp4 of " + SHORT);
    }
  }

  @Test
  void eachRunHasAStripOfFiveEvenlySpacedFrames() {
    String section = videosSection(html);
    for (String run : List.of(NONE, SHORT)) {
      Matcher frames =
          Pattern.compile("src=\"videos/" + run + "/frame-(\\d{6})\\.png\"").matcher(section);
      List<Integer> indices = new ArrayList<>();
      while (frames.find()) {
        indices.add(Integer.parseInt(frames.group(1)));
      }
      // 7 frames: 0, 1.5, 3, 4.5, 6 rounded
      assertThat(indices).containsExactly(0, 2, 3, 5, 6);
    }
  }

  @Test
  void theTemporalErrorChartAndTheTableOfMeans() throws IOException {
    String section = videosSection(html);
    Matcher chart = Pattern.compile("<img src=\"(charts/temporal-[^\"]+\\.png)\"").matcher(section);
    assertThat(chart.find()).isTrue();
    BufferedImage image = ImageIO.read(mixed.resolve("report").resolve(chart.group(1)).toFile());
    assertThat(image.getWidth()).isEqualTo(720);
    // per run: mean temporal error, ratio to frame by frame, mean style loss
    assertThat(section)
        .containsPattern(
            "<td class=\"num\">0\\.08000</td><td class=\"num\">1\\.00</td><td class=\"num\">5\\.000</td>")
        .containsPattern(
            "<td class=\"num\">0\\.02000</td><td class=\"num\">0\\.25</td><td class=\"num\">6\\.000</td>");
  }

  @Test
  void aFolderWithVideosOnlyGetsAReportWithTheVideosSection() {
    assertThat(videosOnlyHtml)
        .contains("<section id=\"videos\">", "videos/" + SHORT + "/video.mp4");
    assertThat(videosOnlyHtml).doesNotContain("<section id=\"transfer\">");
    // The header says what is there instead of "(empty sweep)".
    assertThat(videosOnlyHtml)
        .containsPattern(
            "<h1>video runs: pan\\.mp4 \u00d7 [^,<]+\\.png, 2 runs \\(temporal none, short\\),"
                + " 14 frames \\(14 OK\\)</h1>")
        .doesNotContain("(empty sweep)")
        .contains(
            "<dt>Video runs</dt><dd>2 (temporal none, short)</dd>",
            "<dt>Frames</dt><dd>14 frames (14 OK)</dd>",
            "<dt>Loss evaluations</dt><dd>56</dd>")
        .doesNotContain("Per finished run");
  }
}
