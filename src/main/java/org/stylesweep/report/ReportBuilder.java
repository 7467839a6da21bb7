package org.stylesweep.report;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.image.GridRenderer;
import org.stylesweep.image.GridRenderer.Cell;
import org.stylesweep.image.ImageStore;
import org.stylesweep.manifest.GridSpec;
import org.stylesweep.manifest.ManifestException;
import org.stylesweep.manifest.ManifestParser;
import org.stylesweep.report.ReportPage.Fact;
import org.stylesweep.report.ReportPage.Figure;
import org.stylesweep.report.ReportPage.Link;
import org.stylesweep.report.ReportPage.Section;
import org.stylesweep.report.ReportPage.Status;
import org.stylesweep.report.ReportPage.Table;
import org.stylesweep.spark.MetricsTable;
import org.stylesweep.spark.OutputLayout;
import org.stylesweep.spark.Schemas;
import org.stylesweep.spark.VideoLayout;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Spatial;
import org.stylesweep.spec.StyleBlend;
import org.stylesweep.spec.Task;
import org.stylesweep.transfer.QualityMetrics;

/**
 * Builds the grids and the HTML report of a sweep from what the sweep job wrote: the metrics
 * Parquet table ({@code <out>/metrics}), the result images and the manifest copy. Nothing is
 * recomputed, so {@code stylesweep report OUT} can run any time after (or during) a sweep.
 *
 * <p>Writes {@code <out>/grids/*.png} and a self-contained {@code <out>/report/} folder ({@code
 * index.html}, {@code style.css}, copies of the grids and result images, loss charts) that opens
 * from disk with no network. The output depends only on the data: the same table and images give
 * byte-identical files.
 */
public final class ReportBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(ReportBuilder.class);

  /** Folder of the loss charts inside the report folder (grids and images mirror the output's). */
  private static final String CHARTS = "charts";

  private static final int MIN_CELL = 128;
  static final int MAX_CELL = 256;
  private static final int CHART_WIDTH = 720;
  private static final int CHART_HEIGHT = 360;
  private static final int RUN_CHART_WIDTH = 480;
  private static final int RUN_CHART_HEIGHT = 240;
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final SparkSession spark;
  private final Path out;
  private final Configuration conf;
  private final Path reportDir;
  private final Map<String, BufferedImage> inputCache = new HashMap<>();
  private final List<Path> written = new ArrayList<>();

  private ReportBuilder(SparkSession spark, Path out, Configuration conf) {
    this.spark = spark;
    this.out = out;
    this.conf = conf;
    this.reportDir = OutputLayout.report(out);
  }

  /**
   * What a build wrote.
   *
   * @param index the report page
   * @param grids the grid PNGs under {@code <out>/grids}
   * @param files every file written, in writing order
   */
  public record Result(String index, List<String> grids, List<String> files) {}

  /**
   * Builds the grids and the report of the sweep output at {@code outDir} (any Hadoop URI).
   *
   * @throws IllegalArgumentException when {@code outDir} holds no metrics table, or the manifest's
   *     {@code grids} names an unknown axis
   * @throws UncheckedIOException when reading or writing fails
   */
  public static Result build(SparkSession spark, String outDir) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      Path out = new Path(outDir);
      out = out.getFileSystem(conf).makeQualified(out);
      return new ReportBuilder(spark, out, conf).build();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "building the report of " + outDir + " failed: " + e.getMessage(), e);
    }
  }

  private Result build() throws IOException {
    Path metricsPath = OutputLayout.metrics(out);
    // Without a complete table (a sweep still going, or a crash during the rebuild) the table's
    // owner reads the records instead, as show does.
    // A sweep of videos only has no image runs, only the video runs' table.
    boolean videos = HadoopFiles.exists(new Path(out, VideoLayout.METRICS), conf);
    if (!HadoopFiles.exists(metricsPath, conf)
        && !HadoopFiles.exists(new Path(out, OutputLayout.RECORDS), conf)
        && !videos) {
      throw new IllegalArgumentException(
          "no metrics table at "
              + metricsPath
              + " and no records; run the sweep first "
              + "(stylesweep run MANIFEST --out "
              + out
              + ") or pass the folder the sweep wrote");
    }
    // The manifest's grid list is checked before any Spark work, so a bad axis fails fast.
    List<GridSpec> explicit = manifestGrids();
    // Through the table's owner: it fills the parameters an older table lacks with their defaults.
    Dataset<Row> metrics = MetricsTable.read(spark, out.toString());
    if (metrics.isEmpty() && !videos) {
      throw new IllegalArgumentException(
          "no runs recorded under "
              + out
              + " (no metrics table and no records yet); run the sweep first (stylesweep run MANIFEST --out "
              + out
              + ")");
    }
    List<RunRow> allRuns = new ArrayList<>();
    List<Row> rows = metrics.collectAsList();
    for (Row row : rows) {
      allRuns.add(RunRow.fromRow(row));
    }
    allRuns.sort((a, b) -> a.runId().compareTo(b.runId()));
    // Successive halving: the screening runs get their own section; the rest shows the others.
    HalvingSection halving =
        HalvingSection.of(rows, HalvingSection.objectiveOf(OutputLayout.manifest(out), conf));
    List<RunRow> runs = halving == null ? allRuns : halving.shown(allRuns);
    MetricsSummary summary =
        new MetricsSummary(spark, halving == null ? metrics : halving.shown(metrics));
    List<GridPlan> plans = GridPlanner.plan(runs, explicit);

    Path gridDir = OutputLayout.grids(out);
    HadoopFiles.deleteRecursively(gridDir, conf);
    HadoopFiles.deleteRecursively(reportDir, conf);
    HadoopFiles.mkdirs(gridDir, conf);
    HadoopFiles.mkdirs(reportDir, conf);

    Map<String, String> thumbnails = copyResultImages(allRuns);
    // Plans are keyed by identity: each is drawn once.
    Map<GridPlan, Figure> figures = new IdentityHashMap<>();
    List<String> grids = new ArrayList<>();
    for (GridPlan plan : plans) {
      String stem = plan.fileStem();
      List<List<RunRow>> cellRuns = new ArrayList<>();
      org.stylesweep.image.GridRenderer.Drawn drawn =
          rendererFor(plan).draw(plan.title(), cells(plan, cellRuns));
      byte[] png = ImageStore.png(drawn.image());
      Path grid = new Path(gridDir, stem + ".png");
      write(grid, png);
      grids.add(grid.toString());
      String gridUrl = OutputLayout.GRIDS + "/" + stem + ".png";
      write(new Path(reportDir, gridUrl), png);
      String chart = null;
      BufferedImage curves =
          LossChart.render("Loss: " + plan.title(), lines(plan), CHART_WIDTH, CHART_HEIGHT);
      if (curves != null) {
        chart = CHARTS + "/" + stem + ".png";
        write(new Path(reportDir, chart), ImageStore.png(curves));
      }
      figures.put(
          plan,
          new Figure(
              plan.title(), gridUrl, chart, gridAlt(plan), links(drawn, cellRuns, thumbnails)));
    }

    Map<String, String> runCharts = new HashMap<>();
    for (RunRow run : runs) {
      BufferedImage curve =
          LossChart.render(
              "Loss: run " + run.runId(),
              List.of(new LossChart.Line("total", run.lossHistory())),
              RUN_CHART_WIDTH,
              RUN_CHART_HEIGHT);
      if (curve != null) {
        String chart = CHARTS + "/run-" + run.runId() + ".png";
        write(new Path(reportDir, chart), ImageStore.png(curve));
        runCharts.put(run.runId(), chart);
      }
    }

    Map<String, List<ReportPage.StageStep>> chains =
        StageChains.of(rows, out, reportDir, conf, this::write);
    List<Figure> fronts = frontCharts(runs);
    List<Row> videoRows = VideoSection.rows(spark, out, conf);
    Section videoSection = VideoSection.of(videoRows, out, reportDir, conf, this::write);
    List<Section> trainingSections =
        TrainingSection.of(rows, out, reportDir, conf, this::write, thumbnails);
    write(new Path(reportDir, "style.css"), resource("report/style.css"));
    ReportPage page =
        new PageBuilder(
                runs,
                summary,
                plans,
                figures,
                thumbnails,
                earlierRuns(runs),
                historyLines(),
                runCharts,
                fronts,
                chains)
            .withHalving(
                halving == null ? null : halving.section(allRuns, thumbnails, PageBuilder::anchor))
            .withVideos(
                videoSection, videoSection == null ? null : VideoSection.overview(videoRows))
            .withTrainings(trainingSections)
            .page();
    Path index = new Path(reportDir, "index.html");
    write(index, render(page).getBytes(StandardCharsets.UTF_8));
    LOG.info("report of {} runs with {} grids written to {}", runs.size(), grids.size(), index);
    return new Result(
        index.toString(), List.copyOf(grids), written.stream().map(Path::toString).toList());
  }

  /**
   * One scatter per content × style pair of transfer runs with both distances (at least two runs):
   * content against style distance, the Pareto front marked, points labelled by the parameters that
   * vary within the pair. Written under {@code charts/}.
   */
  private List<Figure> frontCharts(List<RunRow> runs) throws IOException {
    Map<String, List<RunRow>> pairs = new java.util.TreeMap<>();
    for (RunRow r : runs) {
      if (r.ok()
          && r.task().equals(Task.TRANSFER.key())
          && r.quality().containsKey(QualityMetrics.CONTENT_FEATURE)
          && r.quality().containsKey(QualityMetrics.STYLE_GRAM)) {
        pairs.computeIfAbsent(r.content() + " x " + r.style(), k -> new ArrayList<>()).add(r);
      }
    }
    List<Figure> out = new ArrayList<>();
    for (Map.Entry<String, List<RunRow>> pair : pairs.entrySet()) {
      List<RunRow> pairRuns = pair.getValue();
      if (pairRuns.size() < 2) {
        continue;
      }
      java.util.Set<String> front =
          ParetoFront.of(
              pairRuns.stream()
                  .map(
                      r ->
                          new ParetoFront.Point(
                              r.runId(),
                              pair.getKey(),
                              r.quality().get(QualityMetrics.CONTENT_FEATURE),
                              r.quality().get(QualityMetrics.STYLE_GRAM)))
                  .toList());
      List<String> varying =
          Params.keys().stream()
              .filter(
                  k ->
                      pairRuns.stream().map(r -> Axes.display(k, r.axis(k))).distinct().count() > 1)
              .toList();
      List<FrontChart.Point> points = new ArrayList<>();
      for (RunRow r : pairRuns) {
        String label =
            varying.stream()
                .map(k -> k + "=" + Axes.display(k, r.axis(k)))
                .collect(Collectors.joining(", "));
        points.add(
            new FrontChart.Point(
                label.isEmpty() ? r.runId() : label,
                r.quality().get(QualityMetrics.CONTENT_FEATURE),
                r.quality().get(QualityMetrics.STYLE_GRAM),
                front.contains(r.runId())));
      }
      String title =
          "Content against style distance: "
              + new Path(pairRuns.get(0).content()).getName()
              + " x "
              + new Path(pairRuns.get(0).style()).getName();
      BufferedImage image = FrontChart.render(title, points, CHART_WIDTH, CHART_HEIGHT);
      String url = CHARTS + "/front-" + String.format("%08x", pair.getKey().hashCode()) + ".png";
      write(new Path(reportDir, url), ImageStore.png(image));
      out.add(
          new Figure(
              title,
              url,
              null,
              title
                  + ": scatter of "
                  + pairRuns.size()
                  + " runs, content distance across, style distance up; "
                  + front.size()
                  + " on the Pareto front",
              List.of()));
    }
    return out;
  }

  /**
   * The grids the effective manifest names, checked by the manifest parser; none when the output
   * folder has no manifest copy.
   *
   * @throws IllegalArgumentException listing every problem of the manifest's grids
   */
  private List<GridSpec> manifestGrids() throws IOException {
    Path manifest = OutputLayout.manifest(out);
    if (!HadoopFiles.exists(manifest, conf)) {
      return List.of();
    }
    try {
      return ManifestParser.parseGrids(manifest.toString(), conf);
    } catch (ManifestException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private void write(Path path, byte[] bytes) throws IOException {
    HadoopFiles.writeDurably(path, bytes, conf);
    written.add(path);
  }

  /** Copies each result image into the report folder; returns run_id to relative URL. */
  private Map<String, String> copyResultImages(List<RunRow> runs) throws IOException {
    Map<String, String> urls = new HashMap<>();
    for (RunRow run : runs) {
      Path source = resultImage(run);
      if (source == null) {
        continue;
      }
      try {
        byte[] bytes = HadoopFiles.readAll(source, conf);
        String extension =
            source.getName().contains(".")
                ? source
                    .getName()
                    .substring(source.getName().lastIndexOf('.'))
                    .toLowerCase(Locale.ROOT)
                : ".png";
        String url =
            OutputLayout.IMAGES
                + "/"
                + safeName(run.runId())
                + extension.replaceAll("[^a-z0-9.]", "");
        write(new Path(reportDir, url), bytes);
        urls.put(run.runId(), url);
      } catch (IOException e) {
        LOG.warn(
            "result image of run {} is unreadable ({}); the report shows it as missing",
            run.runId(),
            e.toString());
      }
    }
    return urls;
  }

  /**
   * The run's image: {@code image_path} as written (absolute, or relative to the output folder).
   */
  private Path resultImage(RunRow run) {
    if (run.imagePath() == null || run.imagePath().isBlank()) {
      return run.ok() ? new Path(out, OutputLayout.image(run.runId())) : null;
    }
    Path path = new Path(run.imagePath());
    return path.isAbsoluteAndSchemeAuthorityNull() || path.toUri().getScheme() != null
        ? path
        : new Path(out, path);
  }

  static String safeName(String text) {
    String safe = text.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.equals(text) ? safe : safe + "-" + GridPlan.sha1(text).substring(0, 8);
  }

  // ---- grids -------------------------------------------------------------------------------

  /**
   * Cells sized by the results, not the inputs: a 32 px sweep gets compact 128 px cells even when
   * its inputs are 512 px photos, and large results get up to 256 px.
   */
  private static GridRenderer rendererFor(GridPlan plan) {
    int largest = 0;
    for (RunRow run : plan.runs()) {
      if (run.ok() && run.width() != null && run.height() != null) {
        largest = Math.max(largest, Math.max(run.width(), run.height()));
      }
    }
    int side = Math.max(MIN_CELL, Math.min(MAX_CELL, largest));
    return new GridRenderer(side, side, 14, 5);
  }

  /**
   * The links over a drawn grid: one per cell that shows a run with a result image, to that image
   * at full size.
   */
  private static List<ReportPage.CellLink> links(
      org.stylesweep.image.GridRenderer.Drawn drawn,
      List<List<RunRow>> cellRuns,
      Map<String, String> thumbnails) {
    List<ReportPage.CellLink> links = new ArrayList<>();
    double w = drawn.image().getWidth();
    double h = drawn.image().getHeight();
    for (int r = 0; r < cellRuns.size() && r < drawn.cells().size(); r++) {
      List<RunRow> row = cellRuns.get(r);
      for (int c = 0; c < row.size() && c < drawn.cells().get(r).size(); c++) {
        RunRow run = row.get(c);
        String href = run == null ? null : thumbnails.get(run.runId());
        if (href == null) {
          continue;
        }
        java.awt.Rectangle box = drawn.cells().get(r).get(c);
        links.add(
            new ReportPage.CellLink(
                percent(box.x / w),
                percent(box.y / h),
                percent(box.width / w),
                percent(box.height / h),
                href,
                "run " + run.runId() + ": full-size result"));
      }
    }
    return links;
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.4f", 100 * fraction);
  }

  /**
   * Run ids of the rows from earlier runs: an input (content or style) that the effective
   * manifest's expanded lists no longer hold. None without a manifest copy.
   */
  private java.util.Set<String> earlierRuns(List<RunRow> runs) throws IOException {
    Path manifest = OutputLayout.manifest(out);
    java.util.Set<String> earlier = new java.util.HashSet<>();
    if (!HadoopFiles.exists(manifest, conf)) {
      return earlier;
    }
    Map<String, List<String>> inputs;
    try {
      inputs = ManifestParser.inputLists(manifest.toString(), conf);
    } catch (ManifestException e) {
      return earlier;
    }
    List<String> contents = inputs.getOrDefault("contents", List.of());
    List<String> styles = inputs.getOrDefault("styles", List.of());
    for (RunRow run : runs) {
      if ((run.content() != null && !contents.contains(run.content()))
          || (run.style() != null && !styles.contains(run.style()))) {
        earlier.add(run.runId());
      }
    }
    return earlier;
  }

  /** The run history, newest first, at most {@value #HISTORY_LINES} lines and a note. */
  private List<String> historyLines() throws IOException {
    List<org.stylesweep.spark.RunHistory.Entry> entries =
        org.stylesweep.spark.RunHistory.read(out, conf);
    List<String> lines = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0 && lines.size() < HISTORY_LINES; i--) {
      lines.add(entries.get(i).describe());
    }
    if (entries.size() > HISTORY_LINES) {
      lines.add(
          (entries.size() - HISTORY_LINES) + " older runs in " + OutputLayout.HISTORY + " of OUT");
    }
    return lines;
  }

  private static final int HISTORY_LINES = 30;

  private List<List<Cell>> cells(GridPlan plan, List<List<RunRow>> cellRuns) {
    List<List<Cell>> rows = new ArrayList<>();
    if (plan.colAxis() != null && plan.rowAxis() != null) {
      cellRuns.add(new ArrayList<>());
      List<Cell> header = new ArrayList<>();
      header.add(Cell.blank());
      for (Object col : plan.colValues()) {
        header.add(axisHeader(plan.colAxis(), col));
      }
      rows.add(header);
    }
    for (Object rowValue : plan.rowValues()) {
      List<Cell> row = new ArrayList<>();
      List<RunRow> runsOfRow = new ArrayList<>();
      if (plan.rowAxis() != null) {
        row.add(axisHeader(plan.rowAxis(), rowValue));
        runsOfRow.add(null);
      }
      if (plan.targetsFirst()) {
        RunRow first = plan.runs().get(0);
        for (String input : GridPlanner.inputsOf(plan.task())) {
          String uri = (String) first.axis(input);
          if (uri != null) {
            row.add(inputCell(uri, input + ": " + Axes.fileName(uri)));
            runsOfRow.add(null);
          }
        }
      }
      for (Object colValue : plan.colValues()) {
        RunRow run = plan.at(rowValue, colValue);
        row.add(runCell(run, runCaption(plan, colValue, run)));
        runsOfRow.add(run);
      }
      rows.add(row);
      cellRuns.add(runsOfRow);
    }
    return rows;
  }

  private static String runCaption(GridPlan plan, Object colValue, RunRow run) {
    String value =
        plan.colAxis() == null || plan.rowAxis() != null
            ? ""
            : Axes.labelled(plan.colAxis(), colValue);
    String loss =
        run != null && run.ok() && run.finalLoss() != null ? "loss " + loss(run.finalLoss()) : "";
    return (value + (value.isEmpty() || loss.isEmpty() ? "" : "\n") + loss).strip();
  }

  private Cell axisHeader(String axis, Object value) {
    if (Axes.isInput(axis) && value != null) {
      return inputCell(value.toString(), Axes.fileName(value.toString()));
    }
    return Cell.label(Axes.labelled(axis, value));
  }

  private Cell inputCell(String uri, String caption) {
    BufferedImage image = inputCache.computeIfAbsent(uri, this::readInput);
    return image == null ? Cell.missing(caption + " (unreadable)") : Cell.image(image, caption);
  }

  private BufferedImage readInput(String uri) {
    try {
      if (Spatial.hasRegions(uri)) {
        // a content with regions: the image with each mask tinted and outlined
        BufferedImage image = ImageStore.read(Spatial.image(uri), conf, 2 * MAX_CELL);
        List<BufferedImage> masks = new ArrayList<>();
        for (String mask : Spatial.masks(uri).values()) {
          masks.add(ImageStore.read(mask, conf, 2 * MAX_CELL));
        }
        return tinted(image, masks);
      }
      if (Spatial.isRegionStyle(uri)) {
        // a region style: each region's style side by side, then the rest's
        List<BufferedImage> members = new ArrayList<>();
        for (Spatial.RegionStyle style : Spatial.regionStyles(uri).values()) {
          members.add(ImageStore.read(style.image(), conf, 2 * MAX_CELL));
        }
        if (Spatial.rest(uri) != null) {
          members.add(ImageStore.read(Spatial.rest(uri), conf, 2 * MAX_CELL));
        }
        return sideBySide(members);
      }
      if (StyleBlend.isBlend(uri)) {
        // a blended style: its images side by side
        List<BufferedImage> members = new ArrayList<>();
        for (String member : StyleBlend.members(uri)) {
          members.add(ImageStore.read(member, conf, 2 * MAX_CELL));
        }
        return sideBySide(members);
      }
      return ImageStore.read(uri, conf, 2 * MAX_CELL);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("input image {} is unreadable ({}); its grid cells are marked", uri, e.toString());
      return null;
    }
  }

  /** Region colours of {@link #tinted}, in region order (then repeating). */
  static final int[] REGION_COLOURS = {0xe41a1c, 0x377eb8, 0x4daf4a, 0xff7f00, 0x984ea3, 0xffff33};

  /**
   * The content with each region's mask tinted in its colour ({@link #REGION_COLOURS}, 40% at
   * white) and outlined where the mask crosses grey 0.5; masks are read at the image's size.
   */
  static BufferedImage tinted(BufferedImage image, List<BufferedImage> masks) {
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    out.getGraphics().drawImage(image, 0, 0, null);
    for (int r = 0; r < masks.size(); r++) {
      BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = scaled.createGraphics();
      g.setRenderingHint(
          java.awt.RenderingHints.KEY_INTERPOLATION,
          java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(masks.get(r), 0, 0, w, h, null);
      g.dispose();
      int colour = REGION_COLOURS[r % REGION_COLOURS.length];
      float[] level = new float[w * h];
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          level[y * w + x] = (scaled.getRGB(x, y) & 0xff) / 255f;
        }
      }
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          float m = level[y * w + x];
          boolean inside = m >= 0.5f;
          boolean edge =
              (x + 1 < w && (level[y * w + x + 1] >= 0.5f) != inside)
                  || (y + 1 < h && (level[(y + 1) * w + x] >= 0.5f) != inside);
          float a = edge ? 1f : 0.4f * m;
          if (a > 0) {
            out.setRGB(x, y, mix(out.getRGB(x, y), colour, a));
          }
        }
      }
    }
    return out;
  }

  private static int mix(int rgb, int colour, float a) {
    int result = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
      int c = (rgb >> shift) & 0xff;
      int t = (colour >> shift) & 0xff;
      result |= Math.round(c + a * (t - c)) << shift;
    }
    return result;
  }

  /** Images scaled to a common height and placed left to right. */
  static BufferedImage sideBySide(List<BufferedImage> images) {
    int height = images.stream().mapToInt(BufferedImage::getHeight).min().orElse(1);
    int width = 0;
    for (BufferedImage image : images) {
      width += Math.max(1, image.getWidth() * height / image.getHeight());
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        java.awt.RenderingHints.KEY_INTERPOLATION,
        java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    int x = 0;
    for (BufferedImage image : images) {
      int w = Math.max(1, image.getWidth() * height / image.getHeight());
      g.drawImage(image, x, 0, w, height, null);
      x += w;
    }
    g.dispose();
    return out;
  }

  private Cell runCell(RunRow run, String caption) {
    if (run == null) {
      return Cell.missing(caption);
    }
    if (!run.ok()) {
      return Cell.failed(caption.isEmpty() ? "" : caption);
    }
    Path image = resultImage(run);
    try {
      return Cell.image(ImageStore.read(image.toString(), conf, 2 * MAX_CELL), caption);
    } catch (IOException e) {
      LOG.warn("result image of run {} is unreadable ({})", run.runId(), e.toString());
      return Cell.missing((caption + " image missing").strip());
    }
  }

  private static List<LossChart.Line> lines(GridPlan plan) {
    List<LossChart.Line> lines = new ArrayList<>();
    for (Object rowValue : plan.rowValues()) {
      for (Object colValue : plan.colValues()) {
        RunRow run = plan.at(rowValue, colValue);
        if (run != null && run.lossHistory().length > 0) {
          String name = cellName(plan, rowValue, colValue) + (run.ok() ? "" : " (FAILED)");
          lines.add(new LossChart.Line(name, run.lossHistory()));
        }
      }
    }
    return lines;
  }

  /** A cell's name in legends and alt text: its axis values. */
  private static String cellName(GridPlan plan, Object rowValue, Object colValue) {
    List<String> parts = new ArrayList<>();
    if (plan.rowAxis() != null) {
      parts.add(Axes.labelled(plan.rowAxis(), rowValue));
    }
    if (plan.colAxis() != null) {
      parts.add(Axes.labelled(plan.colAxis(), colValue));
    }
    return String.join(" \u00d7 ", parts);
  }

  private static String gridAlt(GridPlan plan) {
    return "Grid "
        + plan.title()
        + ": "
        + plan.runs().size()
        + " run(s); "
        + plan.runs().stream().filter(r -> !r.ok()).count()
        + " failed";
  }

  // ---- page --------------------------------------------------------------------------------

  private static String render(ReportPage page) {
    DefaultMustacheFactory factory = new DefaultMustacheFactory("report");
    Mustache template = factory.compile("index.mustache");
    StringWriter html = new StringWriter();
    template.execute(html, page);
    return html.toString();
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ReportBuilder.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("resource " + name + " is missing from the stylesweep jar");
      }
      return in.readAllBytes();
    }
  }

  static String loss(Double value) {
    if (value == null) {
      return "\u2014";
    }
    return value == 0 ? "0" : String.format(Locale.ROOT, "%.4g", value);
  }

  static String seconds(Double value) {
    if (value == null) {
      return "\u2014";
    }
    if (value < 120) {
      return String.format(Locale.ROOT, "%.1f s", value);
    }
    long s = Math.round(value);
    return s < 7200
        ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60)
        : String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
  }

  static String decimal(Double value, String format) {
    return value == null ? "\u2014" : String.format(Locale.ROOT, format, value);
  }

  /** Builds the page's values from the runs, the Spark SQL aggregates and the drawn grids. */
  private static final class PageBuilder {
    private final List<RunRow> runs;
    private final MetricsSummary summary;
    private final List<GridPlan> plans;
    private final Map<GridPlan, Figure> figures;
    private final Map<String, String> thumbnails;
    private final java.util.Set<String> earlier;
    private final List<String> history;
    private final Map<String, String> runCharts;
    private final List<Figure> fronts;
    private final Map<String, List<ReportPage.StageStep>> chains;
    private Section halving;
    private Section videos;
    private List<Section> trainings = List.of();

    /** Adds the feed-forward sections (trained networks, stylized images) after the tasks'. */
    PageBuilder withTrainings(List<Section> sections) {
      this.trainings = sections;
      return this;
    }

    private VideoSection.Overview videosOverview;

    /**
     * Adds the videos section (after the other sections), or none for null, and what the header
     * says of the video runs when there are no image runs.
     */
    PageBuilder withVideos(Section section, VideoSection.Overview overview) {
      this.videos = section;
      this.videosOverview = overview;
      return this;
    }

    /** Adds the successive-halving section (after the task sections), or none for null. */
    PageBuilder withHalving(Section section) {
      this.halving = section;
      return this;
    }

    PageBuilder(
        List<RunRow> runs,
        MetricsSummary summary,
        List<GridPlan> plans,
        Map<GridPlan, Figure> figures,
        Map<String, String> thumbnails,
        java.util.Set<String> earlier,
        List<String> history,
        Map<String, String> runCharts,
        List<Figure> fronts,
        Map<String, List<ReportPage.StageStep>> chains) {
      this.chains = chains;
      this.runCharts = runCharts;
      this.earlier = earlier;
      this.history = history;
      this.fronts = fronts;
      this.runs = runs;
      this.summary = summary;
      this.plans = plans;
      this.figures = figures;
      this.thumbnails = thumbnails;
    }

    ReportPage page() {
      List<Section> sections = new ArrayList<>();
      addTaskSection(
          sections,
          Task.RECONSTRUCT,
          "reconstruction",
          "Content reconstruction",
          "Each result starts from the initial image and matches only the features of the content image "
              + "at the given layers: shallow layers give back the pixels, deep layers keep the arrangement.",
          "Per content-layer set",
          "final content loss",
          summary.contentLayers,
          Params.CONTENT_LAYERS.key());
      addTaskSection(
          sections,
          Task.TEXTURE,
          "texture",
          "Texture synthesis",
          "Each result matches only the Gram matrices of the style image at the given layers: more and "
              + "deeper layers add larger structures to the texture.",
          "Per style-layer set",
          "final style loss",
          summary.styleLayers,
          Params.STYLE_LAYERS.key());
      addTaskSection(
          sections,
          Task.TRANSFER,
          "transfer",
          "Style transfer",
          "Styles across the top, contents down the left; each cell is one run.",
          null,
          null,
          null,
          null);
      sections.addAll(trainings);
      Section init = initSection();
      if (init != null) {
        sections.add(init);
      }
      if (halving != null) {
        sections.add(halving);
      }
      if (videos != null) {
        sections.add(videos);
      }
      Table failed = failedTable();
      List<Link> nav = new ArrayList<>();
      for (Section s : sections) {
        nav.add(new Link("#" + s.id(), s.heading()));
      }
      if (failed != null) {
        nav.add(new Link("#failed", "Failed runs"));
      }
      List<ReportPage.RunDetail> details = runs.stream().map(this::detail).toList();
      if (!details.isEmpty()) {
        nav.add(new Link("#runs", "Runs"));
      }
      String title =
          !summary.sweeps.isEmpty()
              ? String.join(", ", summary.sweeps)
              : videosOverview != null ? videosOverview.title() : "(empty sweep)";
      return new ReportPage(
          title,
          summary.randomWeights(),
          String.join(", ", summary.weightsIds),
          statuses(),
          facts(),
          nav,
          sections,
          failed,
          "Built by stylesweep from the metrics table ("
              + runs.size()
              + " rows) and the result images.",
          history,
          details);
    }

    /** The detail view of one run: every parameter from the table, the outcome, its loss curve. */
    private ReportPage.RunDetail detail(RunRow run) {
      List<Fact> parameters = new ArrayList<>();
      for (String input : List.of(Axes.CONTENT, Axes.STYLE)) {
        if (run.axis(input) != null) {
          parameters.add(new Fact(input, run.axis(input).toString()));
        }
      }
      for (String parameter : Axes.PARAMETERS) {
        parameters.add(new Fact(parameter, Axes.display(parameter, run.axis(parameter))));
      }
      parameters.add(new Fact("weights_id", run.weightsId()));
      List<Fact> outcome = new ArrayList<>();
      outcome.add(new Fact("status", run.status()));
      if (run.stopReason() != null) {
        outcome.add(new Fact("stop reason", run.stopReason()));
      }
      outcome.add(new Fact("evaluations", Integer.toString(run.evaluations())));
      outcome.add(new Fact("final loss", loss(run.finalLoss())));
      outcome.add(new Fact("content loss", loss(run.finalContentLoss())));
      outcome.add(new Fact("style loss", loss(run.finalStyleLoss())));
      outcome.add(new Fact("seconds", decimal(run.secondsTotal(), "%.1f")));
      outcome.add(new Fact("ms/eval", decimal(run.msPerEvaluation(), "%.1f")));
      if (run.device() != null) {
        outcome.add(new Fact("device", run.device()));
      }
      if (run.error() != null) {
        outcome.add(new Fact("error", run.error()));
      }
      return new ReportPage.RunDetail(
          anchor(run),
          run.runId() + " · " + run.task() + " · " + run.status(),
          thumbnails.get(run.runId()),
          runCharts.get(run.runId()),
          parameters,
          outcome,
          chains.getOrDefault(run.runId(), List.of()));
    }

    private static String anchor(RunRow run) {
      return "run-" + run.runId();
    }

    private List<Status> statuses() {
      List<Status> out = new ArrayList<>();
      for (MetricsSummary.StatusCount s : summary.statuses) {
        String cls =
            Schemas.OK.equals(s.status())
                ? "ok"
                : Schemas.FAILED.equals(s.status()) ? "failed" : "other";
        out.add(new Status(s.status(), s.runs(), cls));
      }
      return out;
    }

    private List<Fact> facts() {
      if (summary.runs == 0 && videosOverview != null) {
        return videosOverview.facts(); // video runs only: image-run facts would all be empty
      }
      List<Fact> facts = new ArrayList<>();
      facts.add(new Fact("Runs", Long.toString(summary.runs)));
      facts.add(
          new Fact(
              "Total run time",
              seconds(summary.secondsTotal) + " (sum over runs; runs in parallel overlap)"));
      facts.add(
          new Fact(
              "Per finished run",
              "mean "
                  + seconds(summary.secondsPerOkRun)
                  + ", slowest "
                  + seconds(summary.secondsSlowest)));
      facts.add(new Fact("Loss evaluations", Long.toString(summary.evaluations)));
      facts.add(
          new Fact(
              "Devices",
              summary.devices.stream()
                  .map(d -> d.device() + " (" + d.runs() + (d.runs() == 1 ? " run)" : " runs)"))
                  .collect(Collectors.joining(", "))));
      facts.add(new Fact("Weights", String.join(", ", summary.weightsIds)));
      facts.add(new Fact("Model", "VGG-19, " + String.join("; ", summary.models)));
      if (summary.firstStarted != null) {
        facts.add(new Fact("First run started", UTC.format(summary.firstStarted)));
      }
      if (!earlier.isEmpty()) {
        facts.add(
            new Fact(
                "From earlier runs",
                earlier.size()
                    + " rows whose input images are no longer in the sweep (marked in the tables;"
                    + " run --prune deletes them)"));
      }
      return facts;
    }

    private List<Figure> figuresOf(String task, boolean startComparison) {
      List<Figure> out = new ArrayList<>();
      for (GridPlan plan : plans) {
        if ((task == null || plan.task().equals(task)) && plan.comparesStart() == startComparison) {
          out.add(figures.get(plan));
        }
      }
      return out;
    }

    private void addTaskSection(
        List<Section> sections,
        Task task,
        String id,
        String heading,
        String intro,
        String aggregateCaption,
        String lossName,
        List<MetricsSummary.Aggregate> aggregates,
        String layerAxis) {
      List<RunRow> taskRuns = runs.stream().filter(r -> r.task().equals(task.key())).toList();
      if (taskRuns.isEmpty()) {
        return;
      }
      List<Table> tables = new ArrayList<>();
      if (aggregates != null && !aggregates.isEmpty()) {
        boolean content = layerAxis.equals(Params.CONTENT_LAYERS.key());
        // The measures every run shares (the run's own losses are not comparable across layers).
        List<String> measures =
            (content
                    ? List.of(
                        QualityMetrics.CONTENT_FEATURE,
                        QualityMetrics.CONTENT_SSIM,
                        QualityMetrics.COLOR_CONTENT)
                    : List.of(
                        QualityMetrics.STYLE_GRAM,
                        QualityMetrics.STYLE_WASSERSTEIN,
                        QualityMetrics.COLOR_STYLE))
                .stream()
                    .filter(m -> aggregates.stream().anyMatch(a -> a.quality().containsKey(m)))
                    .toList();
        String rankedBy = measures.isEmpty() ? null : measures.get(0);
        List<ReportPage.Row> rows = new ArrayList<>();
        for (MetricsSummary.Aggregate a : aggregates) {
          Double lossValue = content ? a.finalContentLoss() : a.finalStyleLoss();
          List<ReportPage.Cell> cells =
              new ArrayList<>(
                  List.of(
                      ReportPage.Cell.text(Axes.display(layerAxis, a.key())),
                      ReportPage.Cell.number(Long.toString(a.runs())),
                      ReportPage.Cell.number(Long.toString(a.ok())),
                      ReportPage.Cell.number(loss(lossValue))));
          if (rankedBy != null) {
            cells.add(ReportPage.Cell.number(rank(aggregates, a, rankedBy)));
          }
          for (String m : measures) {
            cells.add(ReportPage.Cell.number(decimal(a.quality().get(m), "%.4f")));
          }
          cells.add(ReportPage.Cell.number(decimal(a.evaluations(), "%.1f")));
          cells.add(ReportPage.Cell.number(decimal(a.msPerEvaluation(), "%.1f")));
          cells.add(ReportPage.Cell.number(decimal(a.seconds(), "%.1f")));
          rows.add(new ReportPage.Row(cells));
        }
        List<String> headers = new ArrayList<>(List.of(layerAxis, "runs", "OK", lossName));
        if (rankedBy != null) {
          headers.add("rank by " + rankedBy.substring("quality_".length()));
        }
        measures.forEach(m -> headers.add(m.substring("quality_".length())));
        headers.addAll(List.of("evaluations", "ms/eval", "seconds"));
        tables.add(
            new Table(
                aggregateCaption
                    + " (means over finished runs; the quality columns mean the same in every run,"
                    + " see numerics.md)",
                headers,
                rows));
      }
      tables.add(runTable(task.key(), taskRuns));
      List<Figure> taskFigures = new ArrayList<>(figuresOf(task.key(), false));
      if (task == Task.TRANSFER) {
        taskFigures.addAll(fronts);
      }
      sections.add(new Section(id, heading, intro, taskFigures, tables));
    }

    /**
     * The 1-based rank of {@code a} among the aggregates by a quality measure (closest first; SSIM
     * highest first), or "-" without it.
     */
    private static String rank(
        List<MetricsSummary.Aggregate> all, MetricsSummary.Aggregate a, String measure) {
      Double value = a.quality().get(measure);
      if (value == null) {
        return "-";
      }
      boolean higherIsBetter = measure.equals(QualityMetrics.CONTENT_SSIM);
      long better =
          all.stream()
              .map(x -> x.quality().get(measure))
              .filter(v -> v != null && (higherIsBetter ? v > value : v < value))
              .count();
      return Long.toString(better + 1);
    }

    /** One row per run of a task: thumbnail, inputs, the parameters that vary, outcome. */
    private Table runTable(String task, List<RunRow> taskRuns) {
      List<String> inputs = GridPlanner.inputsOf(task);
      List<String> varying = varyingParameters(taskRuns);
      List<String> headers = new ArrayList<>(List.of("result", "run"));
      headers.addAll(inputs);
      headers.addAll(varying);
      headers.addAll(List.of("status", "final loss", "content loss", "style loss"));
      // the quality measures the task's runs have, and the Pareto front of content against style
      List<String> measures =
          QualityMetrics.COLUMNS.stream()
              .filter(m -> taskRuns.stream().anyMatch(r -> r.quality().containsKey(m)))
              .toList();
      measures.forEach(m -> headers.add(m.substring("quality_".length())));
      Set<String> front =
          ParetoFront.of(
              taskRuns.stream()
                  .filter(RunRow::ok)
                  .map(
                      r ->
                          new ParetoFront.Point(
                              r.runId(),
                              r.content() + " x " + r.style(),
                              r.quality().get(QualityMetrics.CONTENT_FEATURE),
                              r.quality().get(QualityMetrics.STYLE_GRAM)))
                  .toList());
      if (!front.isEmpty()) {
        headers.add("Pareto front");
      }
      headers.addAll(List.of("evaluations", "ms/eval", "seconds"));
      List<ReportPage.Row> rows = new ArrayList<>();
      for (RunRow run : sortedForTable(taskRuns, varying)) {
        List<ReportPage.Cell> cells = new ArrayList<>();
        String url = thumbnails.get(run.runId());
        cells.add(
            url == null
                ? ReportPage.Cell.text("")
                : ReportPage.Cell.image(url, "result of run " + run.runId()));
        cells.add(ReportPage.Cell.link(run.runId(), "#" + anchor(run)));
        for (String input : inputs) {
          cells.add(ReportPage.Cell.text(Axes.display(input, run.axis(input))));
        }
        for (String parameter : varying) {
          cells.add(ReportPage.Cell.text(Axes.display(parameter, run.axis(parameter))));
        }
        cells.add(
            earlier.contains(run.runId())
                ? ReportPage.Cell.styled(run.status() + " (from an earlier run)", "earlier")
                : ReportPage.Cell.styled(run.status(), run.ok() ? "ok" : "failed"));
        cells.add(ReportPage.Cell.number(loss(run.finalLoss())));
        cells.add(ReportPage.Cell.number(loss(run.finalContentLoss())));
        cells.add(ReportPage.Cell.number(loss(run.finalStyleLoss())));
        for (String m : measures) {
          cells.add(ReportPage.Cell.number(decimal(run.quality().get(m), "%.4f")));
        }
        if (!front.isEmpty()) {
          cells.add(ReportPage.Cell.text(front.contains(run.runId()) ? "on the front" : ""));
        }
        cells.add(ReportPage.Cell.number(Integer.toString(run.evaluations())));
        cells.add(ReportPage.Cell.number(decimal(run.msPerEvaluation(), "%.1f")));
        cells.add(ReportPage.Cell.number(decimal(run.secondsTotal(), "%.1f")));
        rows.add(new ReportPage.Row(cells));
      }
      return new Table("Runs (" + taskRuns.size() + ")", headers, rows);
    }

    private static List<String> varyingParameters(List<RunRow> taskRuns) {
      return Axes.PARAMETERS.stream()
          .filter(p -> GridPlanner.distinctValues(p, taskRuns).size() > 1)
          .toList();
    }

    private static List<RunRow> sortedForTable(List<RunRow> taskRuns, List<String> varying) {
      List<String> keys = new ArrayList<>(List.of(Axes.CONTENT, Axes.STYLE));
      keys.addAll(varying);
      List<RunRow> sorted = new ArrayList<>(taskRuns);
      sorted.sort(
          (a, b) -> {
            for (String key : keys) {
              int c = Axes.valueOrder(key).compare(a.axis(key), b.axis(key));
              if (c != 0) {
                return c;
              }
            }
            return a.runId().compareTo(b.runId());
          });
      return sorted;
    }

    /**
     * Init (noise vs content) and seed comparisons: strips, a Spark SQL aggregate, and pairs side
     * by side.
     */
    private Section initSection() {
      List<Figure> strips = figuresOf(null, true);
      String init = Params.INIT.key();
      boolean initVaries =
          plans.stream().anyMatch(p -> init.equals(p.colAxis()) || init.equals(p.rowAxis()));
      if (strips.isEmpty()) {
        return null;
      }
      List<Table> tables = new ArrayList<>();
      if (initVaries) {
        List<ReportPage.Row> rows = new ArrayList<>();
        for (MetricsSummary.Aggregate a : summary.inits) {
          rows.add(
              new ReportPage.Row(
                  List.of(
                      ReportPage.Cell.text(a.task()),
                      ReportPage.Cell.text(String.valueOf(a.key())),
                      ReportPage.Cell.number(Long.toString(a.runs())),
                      ReportPage.Cell.number(Long.toString(a.ok())),
                      ReportPage.Cell.number(loss(a.finalLoss())),
                      ReportPage.Cell.number(loss(a.finalContentLoss())),
                      ReportPage.Cell.number(loss(a.finalStyleLoss())),
                      ReportPage.Cell.number(decimal(a.evaluations(), "%.1f")),
                      ReportPage.Cell.number(decimal(a.msPerEvaluation(), "%.1f")),
                      ReportPage.Cell.number(decimal(a.seconds(), "%.1f")))));
        }
        tables.add(
            new Table(
                "Per init (means over finished runs)",
                List.of(
                    "task",
                    "init",
                    "runs",
                    "OK",
                    "final loss",
                    "content loss",
                    "style loss",
                    "evaluations",
                    "ms/eval",
                    "seconds"),
                rows));
        for (String task : GridPlanner.TASK_ORDER) {
          Table pairs = sideBySide(task);
          if (pairs != null) {
            tables.add(pairs);
          }
        }
      }
      String intro =
          initVaries
              ? "The same runs started from the content image and from noise: final losses and running time "
                  + "side by side, since quality and speed both matter."
              : "Runs that differ only in their random seed, side by side with their targets.";
      return new Section(
          "init", initVaries ? "Init comparison" : "Seed comparison", intro, strips, tables);
    }

    /**
     * One row per group of runs that differ only in init; per init: final loss, seconds,
     * evaluations.
     */
    private Table sideBySide(String task) {
      List<GridPlan> groups =
          plans.stream()
              .filter(
                  p ->
                      p.task().equals(task)
                          && Params.INIT.key().equals(p.colAxis())
                          && p.rowAxis() == null)
              .toList();
      if (groups.isEmpty()) {
        return null;
      }
      List<Object> inits = groups.get(0).colValues();
      List<String> headers = new ArrayList<>(List.of("runs compared"));
      for (Object init : inits) {
        headers.add(init + ": final loss");
        headers.add(init + ": seconds");
        headers.add(init + ": evaluations");
      }
      List<ReportPage.Row> rows = new ArrayList<>();
      for (GridPlan group : groups) {
        List<ReportPage.Cell> cells = new ArrayList<>();
        cells.add(ReportPage.Cell.text(groupName(group)));
        for (Object init : inits) {
          RunRow run = group.at(null, init);
          if (run == null) {
            cells.addAll(
                List.of(
                    ReportPage.Cell.text("no run"),
                    ReportPage.Cell.text(""),
                    ReportPage.Cell.text("")));
          } else if (!run.ok()) {
            cells.addAll(
                List.of(
                    ReportPage.Cell.styled("FAILED", "failed"),
                    ReportPage.Cell.text(""),
                    ReportPage.Cell.number(Integer.toString(run.evaluations()))));
          } else {
            cells.add(ReportPage.Cell.number(loss(run.finalLoss())));
            cells.add(ReportPage.Cell.number(decimal(run.secondsTotal(), "%.1f")));
            cells.add(ReportPage.Cell.number(Integer.toString(run.evaluations())));
          }
        }
        rows.add(new ReportPage.Row(cells));
      }
      return new Table(task + ": init side by side", headers, rows);
    }

    /** Names a group by its inputs and fixed parameters. */
    private static String groupName(GridPlan plan) {
      RunRow first = plan.runs().get(0);
      List<String> parts = new ArrayList<>();
      for (String input : GridPlanner.inputsOf(plan.task())) {
        if (first.axis(input) != null
            && plan.fixed().stream().noneMatch(e -> e.getKey().equals(input))) {
          parts.add(Axes.display(input, first.axis(input)));
        }
      }
      for (Map.Entry<String, Object> e : plan.fixed()) {
        parts.add(
            Axes.isInput(e.getKey())
                ? Axes.display(e.getKey(), e.getValue())
                : Axes.labelled(e.getKey(), e.getValue()));
      }
      return String.join(" \u00b7 ", parts);
    }

    private Table failedTable() {
      List<RunRow> failed = runs.stream().filter(r -> !r.ok()).toList();
      if (failed.isEmpty()) {
        return null;
      }
      List<ReportPage.Row> rows = new ArrayList<>();
      for (RunRow run : failed) {
        List<String> params = new ArrayList<>();
        for (String p :
            varyingParameters(runs.stream().filter(r -> r.task().equals(run.task())).toList())) {
          params.add(Axes.labelled(p, run.axis(p)));
        }
        rows.add(
            new ReportPage.Row(
                List.of(
                    ReportPage.Cell.link(run.runId(), "#" + anchor(run)),
                    ReportPage.Cell.text(run.task()),
                    ReportPage.Cell.text(Axes.display(Axes.CONTENT, run.content())),
                    ReportPage.Cell.text(Axes.display(Axes.STYLE, run.style())),
                    ReportPage.Cell.text(String.join(", ", params)),
                    ReportPage.Cell.number(Integer.toString(run.evaluations())),
                    ReportPage.Cell.preformatted(run.error()))));
      }
      return new Table(
          "Failed runs (" + failed.size() + ")",
          List.of("run", "task", "content", "style", "parameters", "evaluations", "error"),
          rows);
    }
  }
}
