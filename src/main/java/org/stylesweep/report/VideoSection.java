package org.stylesweep.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.image.ImageStore;
import org.stylesweep.spark.Schemas;
import org.stylesweep.spark.VideoLayout;
import org.stylesweep.spec.Temporal;

/**
 * The report's "Videos" section, from what the video runs wrote: the per-frame table {@code
 * video-metrics/} and each run's {@code videos/<run_id>/} folder. Per clip × style: the original
 * and every run side by side as HTML5 videos (their GIF previews as poster and fallback), a strip
 * of evenly spaced frames per run, a chart of the per-frame temporal error (one line per run); and
 * one table of every run's mean temporal error and mean style loss. Every file shown is copied
 * under the report folder's {@code videos/} and {@code charts/}, so the page works offline.
 */
final class VideoSection {
  private static final Logger LOG = LoggerFactory.getLogger(VideoSection.class);

  /** Frames per run in the strip (fewer when the run has fewer OK frames). */
  static final int STRIP_FRAMES = 5;

  private static final int CHART_WIDTH = 720;
  private static final int CHART_HEIGHT = 320;

  private VideoSection() {}

  /** One frame of a run, as {@code video-metrics/} has it. */
  private record Frame(
      int index, boolean ok, Double temporalError, Double styleLoss, String image) {}

  /** One video run with its frames in order. */
  private record Run(
      String runId,
      String video,
      String style,
      String temporal,
      double weight,
      int chunkFrames,
      int chunkOverlap,
      List<Frame> frames) {

    Temporal mode() {
      try {
        return Temporal.parse(temporal);
      } catch (RuntimeException e) {
        return Temporal.LONG;
      }
    }

    String label() {
      return mode() == Temporal.NONE
          ? "frame by frame"
          : "temporal "
              + temporal
              + " (weight "
              + ReportBuilder.loss(weight)
              + ")"
              + (chunkFrames > 0 && chunkFrames < frames.size()
                  ? ", chunks of " + chunkFrames + ", overlap " + chunkOverlap
                  : "");
    }

    Double meanTemporalError() {
      return mean(frames.stream().map(Frame::temporalError).toList());
    }

    Double meanStyleLoss() {
      return mean(frames.stream().filter(Frame::ok).map(Frame::styleLoss).toList());
    }

    long okFrames() {
      return frames.stream().filter(Frame::ok).count();
    }
  }

  /**
   * The rows of the output folder's {@code video-metrics/} table, read once for the section and the
   * header's overview; empty when there is none.
   */
  static List<Row> rows(SparkSession spark, Path out, Configuration conf) throws IOException {
    Path table = new Path(out, VideoLayout.METRICS);
    return HadoopFiles.exists(table, conf)
        ? spark.read().parquet(table.toString()).collectAsList()
        : List.of();
  }

  /**
   * The section, or null when the output folder has no video frames.
   *
   * @param rows the {@code video-metrics/} table ({@link #rows})
   * @param out the output folder (qualified)
   * @param reportDir the report folder, where the videos, frames and charts are copied
   */
  static ReportPage.Section of(
      List<Row> rows, Path out, Path reportDir, Configuration conf, StageChains.Writer writer)
      throws IOException {
    if (rows.isEmpty()) {
      return null;
    }
    // clip x style -> run id -> run
    Map<String, Map<String, Run>> groups = new TreeMap<>();
    Map<String, List<Frame>> framesOf = new LinkedHashMap<>();
    for (Row row : rows) {
      String runId = row.getAs("run_id");
      String video = row.getAs("video");
      String style = row.getAs("style");
      List<Frame> frames = framesOf.computeIfAbsent(runId, k -> new ArrayList<>());
      groups
          .computeIfAbsent(video + "\u0000" + style, k -> new TreeMap<>())
          .computeIfAbsent(
              runId,
              k ->
                  new Run(
                      runId,
                      video,
                      style,
                      row.getAs("temporal"),
                      ((Number) row.getAs("temporal_weight")).doubleValue(),
                      intOrZero(row, "chunk_frames"),
                      intOrZero(row, "chunk_overlap"),
                      frames));
      frames.add(
          new Frame(
              ((Number) row.getAs("frame")).intValue(),
              Schemas.OK.equals(row.getAs("status")),
              row.getAs("temporal_error"),
              row.getAs("style_loss"),
              row.getAs("image_path")));
    }
    framesOf.values().forEach(f -> f.sort(Comparator.comparingInt(Frame::index)));

    List<ReportPage.VideoGroup> videoGroups = new ArrayList<>();
    List<ReportPage.Row> tableRows = new ArrayList<>();
    for (Map<String, Run> group : groups.values()) {
      List<Run> runs = new ArrayList<>(group.values());
      runs.sort(
          Comparator.comparing(Run::mode)
              .thenComparingDouble(Run::weight)
              .thenComparing(Run::runId));
      Run first = runs.get(0);
      String title = Axes.fileName(first.video()) + " \u00d7 " + Axes.fileName(first.style());
      List<ReportPage.VideoPlayer> players = new ArrayList<>();
      // the original: the same in every run of the group; the first run that has it
      for (Run run : runs) {
        String original =
            copy(out, reportDir, conf, writer, run.runId(), "original.mp4", "original.mp4");
        if (original != null) {
          players.add(new ReportPage.VideoPlayer("original", original, null, List.of()));
          break;
        }
      }
      Run base = runs.stream().filter(r -> r.mode() == Temporal.NONE).findFirst().orElse(null);
      for (Run run : runs) {
        String video = copy(out, reportDir, conf, writer, run.runId(), "video.mp4", "video.mp4");
        String poster =
            copy(out, reportDir, conf, writer, run.runId(), "preview.gif", "preview.gif");
        List<ReportPage.StripFrame> strip = new ArrayList<>();
        for (Frame frame : sampled(run.frames().stream().filter(Frame::ok).toList())) {
          Path source =
              frame.image() == null
                  ? VideoLayout.frame(out.toString(), run.runId(), frame.index())
                  : resolve(out, frame.image());
          String name = String.format(Locale.ROOT, "frame-%06d.png", frame.index());
          String url = copy(reportDir, conf, writer, source, run.runId(), name);
          if (url != null) {
            strip.add(new ReportPage.StripFrame(url, run.label() + ", frame " + frame.index()));
          }
        }
        if (video != null || poster != null || !strip.isEmpty()) {
          players.add(
              new ReportPage.VideoPlayer(run.label() + " · " + run.runId(), video, poster, strip));
        }
        Double te = run.meanTemporalError();
        Double baseTe = base == null ? null : base.meanTemporalError();
        tableRows.add(
            new ReportPage.Row(
                List.of(
                    ReportPage.Cell.text(Axes.fileName(run.video())),
                    ReportPage.Cell.text(Axes.fileName(run.style())),
                    ReportPage.Cell.text(run.temporal()),
                    ReportPage.Cell.number(ReportBuilder.loss(run.weight())),
                    ReportPage.Cell.text(run.runId()),
                    run.okFrames() == run.frames().size()
                        ? ReportPage.Cell.styled(run.okFrames() + " OK", "ok")
                        : ReportPage.Cell.styled(
                            run.okFrames() + " of " + run.frames().size() + " OK", "failed"),
                    ReportPage.Cell.number(ReportBuilder.decimal(te, "%.5f")),
                    ReportPage.Cell.number(
                        te == null || baseTe == null || baseTe == 0
                            ? "\u2014"
                            : String.format(Locale.ROOT, "%.2f", te / baseTe)),
                    ReportPage.Cell.number(ReportBuilder.loss(run.meanStyleLoss())))));
      }
      String chart = null;
      BufferedImage image = chart("Temporal error per frame: " + title, runs);
      if (image != null) {
        chart =
            "charts/temporal-"
                + ReportBuilder.safeName(Axes.fileName(first.video()))
                + "-"
                + GridPlan.sha1(first.video() + "\u0000" + first.style()).substring(0, 8)
                + ".png";
        writer.write(new Path(reportDir, chart), ImageStore.png(image));
      }
      videoGroups.add(
          new ReportPage.VideoGroup(
              title, players, chart, "Temporal error against frame, one line per run: " + title));
    }
    ReportPage.Table means =
        new ReportPage.Table(
            "Video runs: mean temporal error (over frames 1..n; lower is steadier) and mean style"
                + " loss (over OK frames)",
            List.of(
                "clip",
                "style",
                "temporal",
                "temporal_weight",
                "run",
                "frames",
                "mean temporal error",
                "vs frame by frame",
                "mean style loss"),
            tableRows);
    return new ReportPage.Section(
        "videos",
        "Videos",
        "Each clip and style: the original, the frame-by-frame run and the temporal runs (Ruder et"
            + " al. 2016) side by side, with evenly spaced frames of each run and the temporal"
            + " error of every frame against the previous stylised frame warped by the optical"
            + " flow.",
        List.of(),
        List.of(means),
        videoGroups);
  }

  /**
   * What the report's header says of a folder whose only runs are video runs.
   *
   * @param title e.g. {@code video runs: cat-pan.mp4 × mosaic.png, 3 runs (temporal none, short,
   *     long), 72 frames (72 OK)}
   * @param facts the runs, frames, frame time and loss evaluations
   */
  record Overview(String title, List<ReportPage.Fact> facts) {}

  /** The overview of the video runs ({@link #rows}); null when there are none. */
  static Overview overview(List<Row> rows) {
    if (rows.isEmpty()) {
      return null;
    }
    java.util.Set<String> pairs = new java.util.TreeSet<>();
    java.util.Set<String> runs = new java.util.HashSet<>();
    java.util.Set<Temporal> modes = new java.util.TreeSet<>();
    int ok = 0;
    long evaluations = 0;
    double seconds = 0;
    for (Row row : rows) {
      pairs.add(Axes.fileName(row.getAs("video")) + " \u00d7 " + Axes.fileName(row.getAs("style")));
      runs.add(row.getAs("run_id"));
      modes.add(Temporal.valueOf(row.<String>getAs("temporal").toUpperCase(Locale.ROOT)));
      ok += Schemas.OK.equals(row.getAs("status")) ? 1 : 0;
      evaluations += ((Number) row.getAs("evaluations")).longValue();
      seconds += ((Number) row.getAs("seconds")).doubleValue();
    }
    String modeList = String.join(", ", modes.stream().map(Temporal::key).toList());
    String frames = String.format(Locale.ROOT, "%d frames (%d OK)", rows.size(), ok);
    String title =
        String.format(
            Locale.ROOT,
            "video runs: %s, %d run%s (temporal %s), %s",
            String.join(", ", pairs),
            runs.size(),
            runs.size() == 1 ? "" : "s",
            modeList,
            frames);
    return new Overview(
        title,
        List.of(
            new ReportPage.Fact("Video runs", runs.size() + " (temporal " + modeList + ")"),
            new ReportPage.Fact("Clips \u00d7 styles", String.join(", ", pairs)),
            new ReportPage.Fact("Frames", frames),
            new ReportPage.Fact(
                "Total frame time",
                ReportBuilder.seconds(seconds) + " (sum over frames; frames in parallel overlap)"),
            new ReportPage.Fact("Loss evaluations", Long.toString(evaluations))));
  }

  /** A column's value, or 0 in a table written before the column existed. */
  private static int intOrZero(Row row, String column) {
    return java.util.Arrays.asList(row.schema().fieldNames()).contains(column)
        ? ((Number) row.getAs(column)).intValue()
        : 0;
  }

  /** Up to {@link #STRIP_FRAMES} evenly spaced frames, first and last included. */
  static <T> List<T> sampled(List<T> frames) {
    int n = frames.size();
    if (n <= STRIP_FRAMES) {
      return frames;
    }
    List<T> out = new ArrayList<>();
    for (int k = 0; k < STRIP_FRAMES; k++) {
      out.add(frames.get((int) Math.round(k * (n - 1) / (double) (STRIP_FRAMES - 1))));
    }
    return out;
  }

  private static Double mean(List<Double> values) {
    double sum = 0;
    int count = 0;
    for (Double v : values) {
      if (v != null && Double.isFinite(v)) {
        sum += v;
        count++;
      }
    }
    return count == 0 ? null : sum / count;
  }

  private static Path resolve(Path out, String path) {
    Path p = new Path(path);
    return p.isAbsoluteAndSchemeAuthorityNull() || p.toUri().getScheme() != null
        ? p
        : new Path(out, p);
  }

  /** Copies {@code videos/<run_id>/<name>} of the output; its URL in the report, or null. */
  private static String copy(
      Path out,
      Path reportDir,
      Configuration conf,
      StageChains.Writer writer,
      String runId,
      String name,
      String as)
      throws IOException {
    Path source = new Path(VideoLayout.run(out.toString(), runId), name);
    if (!HadoopFiles.exists(source, conf)) {
      return null;
    }
    return copy(reportDir, conf, writer, source, runId, as);
  }

  private static String copy(
      Path reportDir,
      Configuration conf,
      StageChains.Writer writer,
      Path source,
      String runId,
      String as) {
    String url = VideoLayout.VIDEOS + "/" + ReportBuilder.safeName(runId) + "/" + as;
    try {
      writer.write(new Path(reportDir, url), HadoopFiles.readAll(source, conf));
      return url;
    } catch (IOException e) {
      LOG.warn(
          "{} of video run {} is unreadable ({}); the report leaves it out",
          as,
          runId,
          e.toString());
      return null;
    }
  }

  /** Temporal error against frame, one line per run; null when no run has one. */
  private static BufferedImage chart(String title, List<Run> runs) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    for (Run run : runs) {
      XYSeries series = new XYSeries(run.label() + " · " + run.runId(), true, true);
      for (Frame frame : run.frames()) {
        if (frame.temporalError() != null && Double.isFinite(frame.temporalError())) {
          series.add(frame.index(), frame.temporalError());
        }
      }
      if (series.getItemCount() > 0) {
        dataset.addSeries(series);
      }
    }
    if (dataset.getSeriesCount() == 0) {
      return null;
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            null, "frame", "temporal error", dataset, PlotOrientation.VERTICAL, true, false, false);
    chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 14)));
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < dataset.getSeriesCount(); s++) {
      renderer.setSeriesStroke(s, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    return chart.createBufferedImage(CHART_WIDTH, CHART_HEIGHT);
  }
}
