package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.testing.LocalSpark;

@Tag("slow")
class ReportBuilderTest {
  private static SparkSession spark;

  @TempDir static Path shared;
  private static SyntheticSweep sweep;
  private static ReportBuilder.Result result;
  private static String html;

  @BeforeAll
  static void buildStandardReport() throws IOException {
    spark = LocalSpark.start("ReportBuilderTest");
    sweep = SyntheticSweep.standard(spark, shared);
    result = ReportBuilder.build(spark, sweep.out.toString());
    html = Files.readString(sweep.out.resolve("report/index.html"), StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @Test
  void writesOneGridPerGroupOfEveryTask() {
    List<String> names =
        result.grids().stream().map(g -> g.substring(g.lastIndexOf('/') + 1)).toList();
    // transfer: content x style per init (2) + init strips per content/style pair (4);
    // reconstruct: one content_layers strip; texture: one style_layers strip.
    assertThat(names).hasSize(8);
    assertThat(names.stream().filter(n -> n.startsWith("transfer-content-style-init-"))).hasSize(2);
    assertThat(names.stream().filter(n -> n.startsWith("transfer-init-content-"))).hasSize(4);
    assertThat(names.stream().filter(n -> n.startsWith("reconstruct-content_layers"))).hasSize(1);
    assertThat(names.stream().filter(n -> n.startsWith("texture-style_layers"))).hasSize(1);
    for (String grid : result.grids()) {
      assertThat(Path.of(grid.replaceFirst("^file:", ""))).isRegularFile();
    }
  }

  @Test
  void reportHasASectionPerTaskThePerLayerTablesAndRandomWeightsBanner() {
    assertThat(html)
        .contains(
            "<section id=\"reconstruction\">",
            "<section id=\"texture\">",
            "<section id=\"transfer\">",
            "<section id=\"init\">",
            "<section id=\"failed\">")
        .contains("class=\"banner\"", "random:0", "not an ImageNet-trained network")
        .contains("synthetic-sweep")
        .contains(
            "<nav><ul><li><a href=\"#reconstruction\">Content reconstruction</a></li>",
            "<li><a href=\"#failed\">Failed runs</a></li><li><a href=\"#runs\">Runs</a></li></ul></nav>")
        .contains("Per content-layer set", "Per style-layer set", "Per init")
        .contains(
            "<span class=\"status ok\">12 OK</span>",
            "<span class=\"status failed\">1 FAILED</span>");
    // the per-layer table row of conv2_1 (one run, the 10th of the sweep: final content loss
    // (1000+100*10)*exp(-3.3)+5, float-rounded, formatted %.4g)
    double conv2Loss = (float) ((1000 + 100 * 10) * Math.exp(-0.3 * 11) + 5);
    assertThat(html)
        .containsPattern(
            "<td class=\"\">\\[conv2_1\\]</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">"
                + Pattern.quote(ReportBuilder.loss(conv2Loss)));
  }

  @Test
  void everyImageTheReportShowsIsInsideTheReportFolder() throws IOException {
    Path reportDir = sweep.out.resolve("report");
    Matcher src = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    int images = 0;
    while (src.find()) {
      String url = src.group(1);
      assertThat(url).doesNotContain("://").doesNotStartWith("/").doesNotContain("..");
      Path file = reportDir.resolve(url);
      assertThat(file).isRegularFile();
      BufferedImage decoded = ImageIO.read(file.toFile());
      assertThat(decoded).as("decodable image %s", url).isNotNull();
      images++;
    }
    // 8 grids + 8 charts + 12 result thumbnails (the failed run has no image) + 3 scatters of
    // content against style distance (the transfer pairs with two or more OK runs)
    assertThat(images).isEqualTo(8 + 8 + 12 + 3);
    assertThat(html).contains("Content against style distance", "on the Pareto front");
    assertThat(html).doesNotContain("http://", "https://");
  }

  @Test
  void fileNameWithMarkupIsEscaped() {
    assertThat(html).contains("c&lt;b&gt;at.png").doesNotContain("<b>at", "c<b>");
  }

  @Test
  void failedRunIsAMarkedCellAndListedWithItsError() throws IOException {
    assertThat(html).contains("java.lang.IllegalStateException: loss is NaN at evaluation 3");
    Path failedGrid = grid("transfer-content-style-init-noise");
    Path okGrid = grid("transfer-content-style-init-content");
    assertThat(redMarkPixels(failedGrid)).isGreaterThan(200);
    assertThat(redMarkPixels(okGrid)).isZero();
  }

  @Test
  void rebuildingAnExistingOutputGivesTheSameFiles() throws IOException {
    Map<String, String> before = hashes(sweep.out);
    // A stale file from an older build must not survive a rebuild.
    Files.writeString(sweep.out.resolve("grids/stale.png"), "old");
    ReportBuilder.Result again = ReportBuilder.build(spark, sweep.out.toString());
    Map<String, String> after = hashes(sweep.out);
    assertThat(after).isEqualTo(before);
    assertThat(again.grids()).isEqualTo(result.grids());
    assertThat(after).containsKeys("report/index.html", "report/style.css");
  }

  @Test
  void withoutACompleteMetricsTableTheReportIsBuiltFromTheRecords(@TempDir Path root)
      throws IOException {
    SyntheticSweep own = SyntheticSweep.standard(spark, root);
    Path metrics = own.out.resolve("metrics");
    Path records = own.out.resolve("records");
    String staging = own.out.resolve("records-staging").toString();
    spark
        .read()
        .parquet(metrics.toString())
        .coalesce(1)
        .write()
        .option("timestampFormat", org.stylesweep.spark.RunRecord.TIMESTAMP_FORMAT)
        .json(staging);
    Files.createDirectories(records);
    try (var parts = Files.list(Path.of(staging))) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        int i = 0;
        for (String line : Files.readAllLines(part)) {
          Files.writeString(records.resolve("run" + i++ + ".json"), line);
        }
      }
    }
    long rows = spark.read().parquet(metrics.toString()).count();
    // A crash during the metrics rebuild leaves only metrics/_temporary/0.
    org.apache.commons.io.FileUtils.deleteDirectory(metrics.toFile());
    org.apache.commons.io.FileUtils.deleteDirectory(Path.of(staging).toFile());
    Files.createDirectories(metrics.resolve("_temporary/0"));

    ReportBuilder.Result fromRecords = ReportBuilder.build(spark, own.out.toString());
    assertThat(fromRecords.index()).isNotNull();
    assertThat(Files.readString(own.out.resolve("report/index.html"))).contains(rows + " rows");
  }

  @Test
  void missingMetricsTableNamesThePathAndWhatToDo(@TempDir Path empty) {
    assertThatThrownBy(() -> ReportBuilder.build(spark, empty.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no metrics table at")
        .hasMessageContaining(empty.resolve("metrics").toString())
        .hasMessageContaining("no records")
        .hasMessageContaining("run the sweep first");
  }

  @Test
  void multiScaleRunShowsItsChainOfStagesInItsDetail(@TempDir Path root) throws IOException {
    SyntheticSweep own = new SyntheticSweep(root);
    String cat = own.input("cat.png", java.awt.Color.RED, java.awt.Color.BLUE);
    String style = own.input("x.png", java.awt.Color.GREEN, java.awt.Color.BLACK);
    String runId = (String) own.staged("transfer", cat, style).get("run_id");
    own.ok("transfer", cat, style).put("init", "noise");
    own.writeMetrics(spark);
    ReportBuilder.build(spark, own.out.toString());
    String page = Files.readString(own.out.resolve("report/index.html"));
    assertThat(page).containsOnlyOnce("class=\"stage-chain\"");
    assertThat(page)
        .contains(
            "stage 1: 16:7",
            "7 evaluations · loss 123.4 · 0.5 s",
            "stage 2: 32:5",
            "images/" + runId + ".stage1.png");
    assertThat(own.out.resolve("report/images/" + runId + ".stage1.png")).isRegularFile();
  }

  @Test
  void manifestGridsAddTheNamedLayout(@TempDir Path root) throws IOException {
    SyntheticSweep own = new SyntheticSweep(root);
    String cat = own.input("cat.png", java.awt.Color.RED, java.awt.Color.BLUE);
    for (String style :
        List.of(
            own.input("x.png", java.awt.Color.GREEN, java.awt.Color.BLACK),
            own.input("y.png", java.awt.Color.CYAN, java.awt.Color.BLACK))) {
      own.ok("transfer", cat, style).put("init", "noise");
      own.ok("transfer", cat, style).put("init", "content");
    }
    own.writeMetrics(spark);
    own.writeManifest("name: synthetic-sweep\ngrids:\n  - {rows: init, cols: style}\n");
    ReportBuilder.Result built = ReportBuilder.build(spark, own.out.toString());
    assertThat(built.grids()).anySatisfy(g -> assertThat(g).contains("/transfer-init-style-"));
    String page = Files.readString(own.out.resolve("report/index.html"));
    assertThat(page).contains("transfer: init \u00d7 style");
  }

  @Test
  void manifestGridWithUnknownAxisIsRejectedNamingIt(@TempDir Path root) throws IOException {
    SyntheticSweep own = new SyntheticSweep(root);
    // The manifest is checked before the table is read: an empty metrics folder is enough.
    Files.createDirectories(own.out.resolve("metrics"));
    own.writeManifest(
        "name: x\ngrids:\n  - {rows: colour, cols: style}\n  - {rows: init, cols: init}\n");
    assertThatThrownBy(() -> ReportBuilder.build(spark, own.out.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(own.out.resolve("manifest.yaml").toString())
        .hasMessageContaining("grids[0].rows: unknown key 'colour'")
        .hasMessageContaining("content_layers")
        .hasMessageContaining(
            "grids[1] = {\"rows\":\"init\",\"cols\":\"init\"}: rows and cols must be different axes");
  }

  @Test
  void tableOfAnOlderVersionLackingAParameterIsReadWithItsDefault(@TempDir Path root)
      throws IOException {
    SyntheticSweep own = new SyntheticSweep(root);
    String cat = own.input("cat.png", java.awt.Color.RED, java.awt.Color.BLUE);
    String swirl = own.input("swirl.png", java.awt.Color.GREEN, java.awt.Color.BLACK);
    own.ok("transfer", cat, swirl).put("init", "noise");
    own.ok("transfer", cat, swirl).put("init", "content");
    // Written before clamp existed: the runs computed with its default.
    own.writeMetrics(spark, "clamp");
    own.writeManifest("name: synthetic-sweep\ngrids:\n  - {rows: clamp, cols: init}\n");
    ReportBuilder.Result built = ReportBuilder.build(spark, own.out.toString());
    assertThat(built.grids()).anySatisfy(g -> assertThat(g).contains("/transfer-clamp-init"));
    String page = Files.readString(own.out.resolve("report/index.html"));
    assertThat(page)
        .contains("<span class=\"status ok\">2 OK</span>", "transfer: clamp \u00d7 init");
    // One clamp value (the default) for both runs: clamp does not vary, so no column for it.
    assertThat(page).doesNotContain("<th scope=\"col\">clamp</th>");
  }

  private static Path grid(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(sweep.out.resolve("grids"))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .findFirst()
          .orElseThrow();
    }
  }

  /** Pixels of the FAILED mark's red (#D32F2F, within antialiasing tolerance). */
  private static int redMarkPixels(Path png) throws IOException {
    BufferedImage image = ImageIO.read(png.toFile());
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        if (Math.abs(r - 0xD3) < 6 && Math.abs(g - 0x2F) < 6 && Math.abs(b - 0x2F) < 6) {
          count++;
        }
      }
    }
    return count;
  }

  private static Map<String, String> hashes(Path out) throws IOException {
    return ReportFilesHashes.of(out);
  }
}
