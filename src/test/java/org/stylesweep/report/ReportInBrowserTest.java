package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.stylesweep.cli.StyleSweep;
import org.stylesweep.testing.LocalSpark;
import org.stylesweep.testing.TinyManifest;

/**
 * Opens the report in a real headless Chromium (Debian's {@code chromium} and {@code
 * chromium-driver}, driven by Selenium): every image must load, the console must stay free of
 * errors, and a screenshot is kept as a build artifact ({@code target/report-screenshot.png}).
 */
@Tag("slow")
class ReportInBrowserTest {
  private static final Path CHROMIUM =
      Path.of(setting("stylesweep.chromium", "CHROMIUM_BIN", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(setting("stylesweep.chromedriver", "CHROMEDRIVER", "/usr/bin/chromedriver"));

  /**
   * The real job end to end: a 2 x 2 transfer sweep with two inits (32 px, a few L-BFGS
   * evaluations, random weights) through the {@code run} command, which ends by writing the report;
   * then {@code report OUT} rebuilds it byte for byte, and Chromium opens it.
   */
  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.start("ReportInBrowserTest");
  }

  @AfterAll
  static void stopSpark() {
    LocalSpark.stop(spark);
  }

  @Test
  void reportOfARealSweepOpensFromDiskWithEveryImageLoadedAndNoConsoleErrors() throws IOException {
    Path root = freshFolder(Path.of("target", "report-browser-test"));
    Path manifest =
        TinyManifest.named("browser-two-by-two")
            .contents(
                TinyManifest.sample("content/cat.png"), TinyManifest.sample("content/coffee.png"))
            .styles(TinyManifest.sample("style/mosaic.png"), TinyManifest.sample("style/swirl.png"))
            .steps(5)
            .extra("sweep:\n  init: [content, noise]")
            .writeTo(root.resolve("two-by-two.yaml"));
    Path out = root.resolve("out");
    assertThat(StyleSweep.run(spark, "run", manifest.toString(), "--out", out.toString()))
        .as("exit code of run")
        .isZero();
    Map<String, String> afterRun = ReportFilesHashes.of(out);
    assertThat(StyleSweep.run(spark, "report", out.toString())).as("exit code of report").isZero();
    Map<String, String> afterRebuild = ReportFilesHashes.of(out);
    assertThat(afterRun).containsKey("report/index.html");
    assertThat(afterRebuild).as("files of `report OUT` after `run`").isEqualTo(afterRun);

    Page page = open(out.resolve("report/index.html"), Path.of("target", "report-screenshot.png"));

    // 2 content x style grids (one per init) + 4 init strips, each with its loss chart, 8
    // thumbnails, each run's detail view (its image and its loss curve), and 4 scatters of content
    // against style distance (one per pair, two runs each)
    assertThat(page.images()).as("images on the page").hasSize(6 + 6 + 8 + 8 + 8 + 4);
    assertThat(page.images())
        .allSatisfy(
            img ->
                assertThat(((Number) img.get("naturalWidth")).longValue())
                    .as("naturalWidth of <img src=%s>", img.get("src"))
                    .isPositive());
    assertThat(page.consoleErrors()).as("browser console errors").isEmpty();
    assertThat(page.text())
        .contains(
            "browser-two-by-two",
            "Style transfer",
            "Init comparison",
            "Random weights",
            "cat.png",
            "swirl.png");
    assertThat(Path.of("target", "report-screenshot.png")).isNotEmptyFile();
  }

  /**
   * The perceptual controls of issue 13 end to end on Spark: a content with two masked regions, a
   * region style assignment, a blend of two styles and a plain style, each with and without
   * original colours; the report shows the masks tinted, the blend and the colour mode as axes.
   */
  @Test
  void reportOfASweepWithRegionsBlendsAndColourControlShowsEverySection() throws IOException {
    Path root = freshFolder(Path.of("target", "report-browser-perceptual"));
    String samples = TinyManifest.SAMPLES.toString();
    Path manifest = root.resolve("perceptual.yaml");
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "name: perceptual",
            "model: {weights: 'random:0'}",
            "task: transfer",
            "contents:",
            "  - image: " + samples + "/content/cat.png",
            "    regions:",
            "      - {name: subject, mask: " + samples + "/masks/cat-cat.png}",
            "      - {name: background, mask: " + samples + "/masks/cat-background.png}",
            "styles:",
            "  - regions: {subject: "
                + samples
                + "/style/mosaic.png, background: "
                + samples
                + "/style/swirl.png}",
            "  - blend: [" + samples + "/style/mosaic.png, " + samples + "/style/swirl.png]",
            "  - " + samples + "/style/mosaic.png",
            "defaults: {image_size: 32, steps: 4, content_layers: [conv2_1],"
                + " style_layers: [conv1_1, conv2_1]}",
            "sweep:",
            "  color_control: [none, original_colors]",
            ""));
    Path out = root.resolve("out");
    assertThat(StyleSweep.run(spark, "run", manifest.toString(), "--out", out.toString()))
        .as("exit code of run")
        .isZero();

    Page page = open(out.resolve("report/index.html"), root.resolve("screenshot.png"));

    assertThat(page.images())
        .isNotEmpty()
        .allSatisfy(
            img ->
                assertThat(((Number) img.get("naturalWidth")).longValue())
                    .as("naturalWidth of <img src=%s>", img.get("src"))
                    .isPositive());
    assertThat(page.consoleErrors()).as("browser console errors").isEmpty();
    assertThat(page.text())
        .contains("perceptual", "6 OK", "color_control", "original_colors")
        .contains("subject: mosaic.png", "background: swirl.png")
        .contains("mosaic.png + swirl.png")
        // blends and regions are inputs of this sweep, not rows left from an earlier one
        .doesNotContain("from an earlier run");
  }

  /**
   * The synthetic output has what a small real sweep rarely has: a failed run and markup in a file
   * name.
   */
  @Test
  void reportWithAFailedRunAndMarkupInAFileNameRendersCleanly() throws IOException {
    Path root = freshFolder(Path.of("target", "report-browser-synthetic"));
    SyntheticSweep sweep = SyntheticSweep.standard(spark, root);
    ReportBuilder.Result result = ReportBuilder.build(spark, sweep.out.toString());
    Path index = Path.of(result.index().replaceFirst("^file:", ""));
    List<String> landed = new ArrayList<>();
    Page page =
        open(
            index,
            Path.of("target", "report-browser-synthetic", "screenshot.png"),
            driver -> {
              String start = driver.getCurrentUrl();
              for (String selector : List.of("a.cell-link", "td.thumb a")) {
                driver.get(start);
                driver.findElement(org.openqa.selenium.By.cssSelector(selector)).click();
                new WebDriverWait(driver, Duration.ofSeconds(10))
                    .until(d -> !d.getCurrentUrl().equals(start));
                Number width =
                    (Number)
                        ((JavascriptExecutor) driver)
                            .executeScript(
                                "const i = document.images[0]; return i && i.complete ? i.naturalWidth : 0");
                landed.add(selector + " -> " + driver.getCurrentUrl() + " " + width + "px");
              }
              // A run id in a table opens that run's detail view: every parameter, its loss curve.
              driver.get(start);
              org.openqa.selenium.WebElement runLink =
                  driver.findElement(org.openqa.selenium.By.cssSelector("td a[href^='#run-']"));
              String target = runLink.getAttribute("href").replaceFirst(".*#", "");
              runLink.click();
              org.openqa.selenium.WebElement detail =
                  driver.findElement(org.openqa.selenium.By.id(target));
              new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> detail.isDisplayed());
              landed.add("detail " + target + ": " + detail.getText().replace('\n', ' '));
              driver.get(start);
            });

    // A grid cell and a table thumbnail both land on a result image at full size (32 px).
    assertThat(landed).hasSize(3);
    assertThat(landed.subList(0, 2))
        .allSatisfy(
            line -> assertThat(line).matches(".* -> file:.*/report/images/[^/]+\\.png 32px"));
    assertThat(landed.get(2)).contains("image_size", "lbfgs_history", "status", "evaluations");
    // ... plus the detail views (12 result images, the failed run has none, and 13 loss curves)
    // and 3 scatters of content against style distance
    assertThat(page.images()).hasSize(8 + 8 + 12 + 12 + 13 + 3);
    assertThat(page.images())
        .allSatisfy(
            img ->
                assertThat(((Number) img.get("naturalWidth")).longValue())
                    .as("naturalWidth of <img src=%s>", img.get("src"))
                    .isPositive());
    assertThat(page.consoleErrors()).as("browser console errors").isEmpty();
    // Shown as text, not interpreted as bold markup.
    assertThat(page.text()).contains("c<b>at.png", "Failed runs", "loss is NaN at evaluation 3");
  }

  /**
   * The Videos section's players in the browser: a video-only output folder laid out as {@code
   * VideoJob} writes it, with real H.264 mp4s (three 48 x 32 frames each, encoded by {@code
   * VideoCodec}, no Spark sweep) and its report. Every {@code <video>} must load its metadata from
   * its relative path inside the report folder, with no media error.
   */
  @Test
  void theVideosSectionsPlayersLoadTheirMp4sFromRelativePaths() throws IOException {
    Path out = freshFolder(Path.of("target", "report-browser-video")).resolve("out");
    org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
    List<org.apache.spark.sql.Row> rows = new ArrayList<>();
    for (String run : List.of("vid-none", "vid-short")) {
      Path folder = Files.createDirectories(out.resolve("videos").resolve(run));
      List<java.awt.image.BufferedImage> frames = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        java.awt.image.BufferedImage frame =
            SyntheticSweep.gradient(
                48, 32, java.awt.Color.getHSBColor(i / 3f, 0.8f, 0.9f), java.awt.Color.BLACK);
        frames.add(frame);
        String name = String.format("frames/%06d.png", i);
        Files.createDirectories(folder.resolve("frames"));
        javax.imageio.ImageIO.write(frame, "png", folder.resolve(name).toFile());
        rows.add(
            org.apache.spark.sql.RowFactory.create(
                run,
                "file:/clips/pan.mp4",
                "file:/styles/mosaic.png",
                run.endsWith("short") ? "short" : "none",
                100.0,
                i,
                "OK",
                null,
                1.0,
                0.5,
                0.5,
                4,
                0.1,
                i > 0,
                i == 0 ? null : 0.05,
                "videos/" + run + "/" + name,
                10000,
                4));
      }
      for (String mp4 : List.of("video.mp4", "original.mp4")) {
        org.stylesweep.video.VideoCodec.writeMp4(
            frames, 6, 0.5, new org.apache.hadoop.fs.Path(folder.resolve(mp4).toUri()), hadoop);
      }
      org.stylesweep.video.VideoCodec.writeGif(
          frames,
          6,
          48,
          new org.apache.hadoop.fs.Path(folder.resolve("preview.gif").toUri()),
          hadoop);
    }
    spark
        .createDataFrame(rows, org.stylesweep.spark.Schemas.VIDEO_FRAMES)
        .coalesce(1)
        .write()
        .parquet(out.resolve("video-metrics").toString());
    assertThat(StyleSweep.run(spark, "report", out.toString())).as("exit code of report").isZero();

    List<Map<String, Object>> videos = new ArrayList<>();
    Page page =
        open(
            out.resolve("report/index.html"),
            out.resolveSibling("videos.png"),
            driver -> {
              JavascriptExecutor js = driver;
              String all = "Array.from(document.querySelectorAll('video'))";
              new WebDriverWait(driver, Duration.ofSeconds(30))
                  .until(
                      d ->
                          (Boolean)
                              js.executeScript(
                                  "return " + all + ".every(v => v.readyState >= 1 || v.error)"));
              @SuppressWarnings("unchecked")
              List<Map<String, Object>> states =
                  (List<Map<String, Object>>)
                      js.executeScript(
                          "return "
                              + all
                              + ".map(v => ({src: v.getAttribute('src'), readyState:"
                              + " v.readyState, error: v.error ? v.error.code : null, width:"
                              + " v.videoWidth}))");
              videos.addAll(states);
            });

    // the original once, then each run's video
    assertThat(videos).as("<video> elements").hasSize(3);
    assertThat(videos)
        .allSatisfy(
            v -> {
              assertThat((String) v.get("src")).as("src").startsWith("videos/").endsWith(".mp4");
              assertThat(v.get("error")).as("media error of %s", v.get("src")).isNull();
              assertThat(((Number) v.get("readyState")).longValue())
                  .as("readyState of %s", v.get("src"))
                  .isGreaterThanOrEqualTo(1);
              assertThat(((Number) v.get("width")).longValue()).as("videoWidth").isEqualTo(48);
            });
    assertThat(page.consoleErrors()).as("browser console errors").isEmpty();
    assertThat(page.images())
        .allSatisfy(
            img ->
                assertThat(((Number) img.get("naturalWidth")).longValue())
                    .as("naturalWidth of <img src=%s>", img.get("src"))
                    .isPositive());
  }

  @Test
  void harnessSeesABrokenImageAndAConsoleError() throws IOException {
    // The checks above must be able to fail: a page with a missing image and a script error.
    Path folder = freshFolder(Path.of("target", "report-browser-broken"));
    Path html = folder.resolve("broken.html");
    Files.writeString(
        html,
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\">"
            + "<title>broken</title></head><body><img src=\"missing.png\" alt=\"missing\">"
            + "<script>console.error('deliberate error')</script></body></html>");
    Page page = open(html, folder.resolve("broken.png"));
    assertThat(page.images())
        .singleElement()
        .satisfies(img -> assertThat(((Number) img.get("naturalWidth")).longValue()).isZero());
    assertThat(page.consoleErrors()).anySatisfy(e -> assertThat(e).contains("missing.png"));
    assertThat(page.consoleErrors()).anySatisfy(e -> assertThat(e).contains("deliberate error"));
  }

  /** What the browser saw. */
  record Page(List<Map<String, Object>> images, List<String> consoleErrors, String text) {}

  /**
   * Loads a page from disk in headless Chromium, waits for its images, screenshots the full page.
   */
  static Page open(Path html, Path screenshot) throws IOException {
    return open(html, screenshot, driver -> {});
  }

  /** As {@link #open(Path, Path)}, then {@code clicks} drives the page before the browser quits. */
  static Page open(Path html, Path screenshot, java.util.function.Consumer<ChromeDriver> clicks)
      throws IOException {
    assertThat(Files.isExecutable(CHROMIUM))
        .withFailMessage(
            "Chromium is not installed at %s. The report's browser test needs Debian's chromium "
                + "and chromium-driver: sudo apt-get install chromium chromium-driver (.ci/run does this), "
                + "or point -Dstylesweep.chromium / CHROMIUM_BIN at a Chromium binary.",
            CHROMIUM)
        .isTrue();
    assertThat(Files.isExecutable(CHROMEDRIVER))
        .withFailMessage(
            "chromedriver is not installed at %s: sudo apt-get install chromium-driver "
                + "(.ci/run does this), or point -Dstylesweep.chromedriver / CHROMEDRIVER at it.",
            CHROMEDRIVER)
        .isTrue();
    Path profile = Files.createTempDirectory("stylesweep-chromium-profile");
    ChromeOptions options = new ChromeOptions();
    // An explicit binary and driver keep Selenium Manager from trying to download either.
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    LoggingPreferences logging = new LoggingPreferences();
    logging.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logging);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    try {
      driver.get(html.toAbsolutePath().toUri().toString());
      JavascriptExecutor js = driver;
      new WebDriverWait(driver, Duration.ofSeconds(30))
          .until(
              d ->
                  (Boolean)
                      js.executeScript(
                          "return document.readyState === 'complete' && Array.from(document.images).every(i => i.complete)"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> images =
          (List<Map<String, Object>>)
              js.executeScript(
                  "return Array.from(document.images).map(i => ({src: i.getAttribute('src'), naturalWidth: i.naturalWidth}))");
      List<String> errors = new ArrayList<>();
      for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
        if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
          errors.add(entry.getMessage());
        }
      }
      String text = driver.findElement(org.openqa.selenium.By.tagName("body")).getText();
      saveFullPageScreenshot(driver, screenshot);
      clicks.accept(driver);
      return new Page(images, errors, text);
    } finally {
      driver.quit();
      deleteRecursively(profile);
    }
  }

  /** Chrome's own full-page capture (beyond the viewport), through chromedriver. */
  private static void saveFullPageScreenshot(ChromeDriver driver, Path target) throws IOException {
    Map<String, Object> shot =
        driver.executeCdpCommand(
            "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
  }

  private static Path freshFolder(Path folder) throws IOException {
    deleteRecursively(folder);
    return Files.createDirectories(folder);
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String setting(String property, String env, String fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(env);
    }
    return value == null || value.isBlank() ? fallback : value;
  }
}
