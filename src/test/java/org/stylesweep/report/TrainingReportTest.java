package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.stylesweep.cli.StyleSweep;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.TinyManifest;

/**
 * The feed-forward sections of the report from a real sweep on Spark local mode (random VGG-19
 * weights, tiny networks and images): a {@code train_style} run with two checkpoints, a {@code
 * train_texture} run with two checkpoints and its seed samples, then {@code stylize} runs through
 * the trained network, all into one output folder. The report then has both sections with the
 * expected images, every file it names exists, and Chromium loads every image.
 */
@Tag("slow")
class TrainingReportTest {
  private static final String SAMPLES = TinyManifest.SAMPLES.toString();

  private static SparkSession spark;
  private static Path out;
  private static String styleRun;
  private static String textureRun;
  private static String html;

  @BeforeAll
  static void runTheSweeps() throws IOException {
    spark = LocalSpark.start("TrainingReportTest");
    Path root = fresh(Path.of("target", "report-training-test").toAbsolutePath());
    out = root.resolve("out");

    run(
        root.resolve("train.yaml"),
        "name: train-tiny",
        "model: {weights: 'random:0'}",
        "task: train_style",
        "contents: [" + SAMPLES + "/content/cat.png, " + SAMPLES + "/content/coffee.png]",
        "styles: [" + SAMPLES + "/style/mosaic.png]",
        "defaults: {image_size: 32, steps: 4, checkpoint_every: 2, train_crop: 32,"
            + " train_batch_size: 1, train_width: 4, train_residual_blocks: 1, train_kernel: 3,"
            + " train_style_layers: [relu1_2, relu2_2], style_weight: 1000.0}");
    styleRun = onlyModel();

    run(
        root.resolve("stylize.yaml"),
        "name: stylize-tiny",
        "model: {weights: 'random:0'}",
        "task: stylize",
        "contents: [" + SAMPLES + "/content/cat.png, " + SAMPLES + "/content/coffee.png]",
        "styles: [" + out.resolve("models").resolve(styleRun).resolve("model.safetensors") + "]",
        "defaults: {image_size: 32}");

    run(
        root.resolve("texture.yaml"),
        "name: texture-tiny",
        "model: {weights: 'random:0'}",
        "task: train_texture",
        "styles: [" + SAMPLES + "/style/mosaic.png]",
        "defaults: {image_size: 16, steps: 4, checkpoint_every: 2, texture_scales: 2,"
            + " texture_channels: 4, train_batch_size: 1, style_layers: [relu1_1, relu2_1]}");
    try (Stream<Path> models = Files.list(out.resolve("models"))) {
      textureRun =
          models
              .map(p -> p.getFileName().toString())
              .filter(id -> !id.equals(styleRun))
              .findFirst()
              .orElseThrow();
    }
    html = Files.readString(out.resolve("report/index.html"), StandardCharsets.UTF_8);
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @Test
  void trainedNetworksShowTheirCurvesCheckpointSamplesAndSeeds() {
    String training = section("training");
    assertThat(training).contains("Style network: mosaic.png", "Texture network: mosaic.png");
    // one training curve per network
    assertThat(count(training, "src=\"charts/train-[0-9a-f]+\\.png\"")).isEqualTo(2);
    // steps 2 and 4 of each network, in order, labelled by step
    assertThat(srcs(training, "models/" + styleRun + "/sample-"))
        .containsExactly(
            "models/" + styleRun + "/sample-000002.png",
            "models/" + styleRun + "/sample-000004.png");
    assertThat(srcs(training, "models/" + textureRun + "/sample-")).hasSize(2);
    assertThat(training).contains("step 2", "step 4");
    // beside them what they compare with: the training image shown and the style (both networks)
    assertThat(srcs(training, "inputs/")).hasSize(3);
    assertThat(training).contains("training image cat.png", "style mosaic.png");
    // the texture network's seeds side by side; the style network has none
    assertThat(srcs(training, "models/" + textureRun + "/seed-"))
        .containsExactly(
            "models/" + textureRun + "/seed-0.png",
            "models/" + textureRun + "/seed-1.png",
            "models/" + textureRun + "/seed-2.png",
            "models/" + textureRun + "/seed-3.png");
    assertThat(srcs(training, "models/" + styleRun + "/seed-")).isEmpty();
    // key parameters: the network keys set away from their defaults, not the others
    assertThat(training)
        .contains("<dt>train_width</dt><dd>4</dd>", "<dt>train_kernel</dt><dd>3</dd>")
        .contains("<dt>texture_scales</dt><dd>2</dd>", "<dt>steps</dt><dd>4</dd>")
        .contains("<dt>style_weight</dt><dd>1000</dd>")
        .doesNotContain("<dt>train_lr</dt>");
    // each network lists only the keys it reads: train_crop is the style network's alone,
    // style_layers the texture network's (a style network has train_style_layers)
    assertThat(count(training, "<dt>train_crop</dt>")).isEqualTo(1);
    assertThat(count(training, "<dt>style_layers</dt>")).isEqualTo(1);
    assertThat(count(training, "<dt>train_batch_size</dt>")).isEqualTo(2);
  }

  @Test
  void seedSamplesAreTheFinalNetworksAndDifferFromEachOther() throws IOException {
    Path folder = out.resolve("models").resolve(textureRun);
    BufferedImage seed0 = ImageIO.read(folder.resolve("seed-0.png").toFile());
    BufferedImage seed1 = ImageIO.read(folder.resolve("seed-1.png").toFile());
    BufferedImage result =
        ImageIO.read(out.resolve("images").resolve(textureRun + ".png").toFile());
    // seed 0 is the run's own image, at twice the training size
    assertThat(seed0.getWidth()).isEqualTo(32);
    assertThat(pixels(seed0)).isEqualTo(pixels(result));
    assertThat(pixels(seed1)).isNotEqualTo(pixels(seed0));
  }

  @Test
  void stylizedImagesStandUnderTheirInputsWithMillisecondsGroupedByNetwork() {
    String stylize = section("stylize");
    assertThat(stylize).contains("Network of run " + styleRun + " (mosaic.png): 2 images");
    assertThat(stylize).contains("models/" + styleRun + "/model.safetensors");
    assertThat(srcs(stylize, "inputs/")).hasSize(2);
    assertThat(srcs(stylize, "images/")).hasSize(2);
    Matcher ms = Pattern.compile("(cat|coffee)\\.png \u00b7 ([0-9.]+) ms").matcher(stylize);
    List<Double> times = new ArrayList<>();
    while (ms.find()) {
      times.add(Double.parseDouble(ms.group(2)));
    }
    assertThat(times).hasSize(2).allSatisfy(t -> assertThat(t).isPositive());
  }

  @Test
  void everyFileThePageNamesIsInTheReportFolder() {
    Path report = out.resolve("report");
    Matcher m = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"").matcher(html);
    List<String> targets = new ArrayList<>();
    while (m.find()) {
      targets.add(m.group(1));
    }
    assertThat(targets).hasSizeGreaterThan(20);
    assertThat(targets)
        .filteredOn(t -> !t.startsWith("data:"))
        .allSatisfy(
            t -> {
              assertThat(t).as("relative URL").doesNotContain(":").doesNotStartWith("/");
              assertThat(report.resolve(URLDecoder.decode(t, StandardCharsets.UTF_8)))
                  .as("file of %s", t)
                  .isRegularFile();
            });
  }

  @Test
  void reportCommandRebuildsTheSameFiles() throws IOException {
    Map<String, String> afterRun = ReportFilesHashes.of(out);
    assertThat(StyleSweep.run(spark, "report", out.toString())).as("exit code of report").isZero();
    assertThat(afterRun).containsKeys("report/models/" + textureRun + "/seed-3.png");
    assertThat(ReportFilesHashes.of(out))
        .as("files of `report OUT` after `run`")
        .isEqualTo(afterRun);
  }

  @Test
  void theSectionsRenderInABrowserWithEveryImageLoaded() throws IOException {
    ReportInBrowserTest.Page page =
        ReportInBrowserTest.open(
            out.resolve("report/index.html"), out.getParent().resolve("screenshot.png"));
    assertThat(page.images())
        .filteredOn(img -> String.valueOf(img.get("src")).startsWith("models/"))
        .hasSize(2 + 2 + 4);
    assertThat(page.images())
        .allSatisfy(
            img ->
                assertThat(((Number) img.get("naturalWidth")).longValue())
                    .as("naturalWidth of <img src=%s>", img.get("src"))
                    .isPositive());
    assertThat(page.consoleErrors()).as("browser console errors").isEmpty();
    assertThat(page.text()).contains("Trained networks", "Stylized images", "seed 3", " ms");
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static void run(Path manifest, String... lines) throws IOException {
    Files.writeString(manifest, String.join("\n", lines) + "\n");
    assertThat(StyleSweep.run(spark, "run", manifest.toString(), "--out", out.toString()))
        .as("exit code of run %s", manifest.getFileName())
        .isZero();
  }

  private static String onlyModel() throws IOException {
    try (Stream<Path> models = Files.list(out.resolve("models"))) {
      List<String> ids = models.map(p -> p.getFileName().toString()).toList();
      assertThat(ids).hasSize(1);
      return ids.get(0);
    }
  }

  /** The HTML of the section with this id. */
  private static String section(String id) {
    int start = html.indexOf("<section id=\"" + id + "\">");
    assertThat(start).as("section #%s", id).isNotNegative();
    return html.substring(start, html.indexOf("</section>", start));
  }

  private static List<String> srcs(String html, String prefix) {
    Matcher m =
        Pattern.compile("<img[^>]* src=\"(" + Pattern.quote(prefix) + "[^\"]*)\"").matcher(html);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int count(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static int[] pixels(BufferedImage image) {
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  private static Path fresh(Path folder) throws IOException {
    if (Files.exists(folder)) {
      try (Stream<Path> files = Files.walk(folder)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(folder);
  }
}
