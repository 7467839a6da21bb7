package org.stylesweep.report;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylesweep.common.HadoopFiles;
import org.stylesweep.image.ImageStore;
import org.stylesweep.report.ReportPage.Fact;
import org.stylesweep.report.ReportPage.Gallery;
import org.stylesweep.report.ReportPage.Section;
import org.stylesweep.report.ReportPage.Tile;
import org.stylesweep.report.ReportPage.TileRow;
import org.stylesweep.spark.Schemas;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.StyleBlend;
import org.stylesweep.spec.Task;

/**
 * The report's sections on feed-forward networks (issue 16), from the metrics rows and what the
 * trainings wrote under {@code OUT/models/<run id>/}:
 *
 * <ul>
 *   <li>"Trained networks" ({@code #training}): per {@code train_style} and {@code train_texture}
 *       run, its key parameters, its training curve (total, weighted content and weighted style
 *       loss per Adam step, from the metrics table's loss histories), the sample of every
 *       checkpoint ({@code sample-NNNNNN.png}) in a row labelled by step after the training image
 *       it shows and the style, and for a texture network the samples of several seeds ({@code
 *       seed-<k>.png}) side by side.
 *   <li>"Stylized images" ({@code #stylize}): per network that {@code stylize} runs applied, each
 *       input above its stylized output with the milliseconds of the forward pass.
 * </ul>
 *
 * Every image shown is copied under the report folder ({@code models/}, {@code inputs/}, {@code
 * charts/}), so the page works offline; inputs are scaled down to thumbnails.
 */
final class TrainingSection {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingSection.class);

  /** Folder of trained networks in the output folder, and of their copied images in the report. */
  static final String MODELS = "models";

  /** Folder of the stylize runs' input thumbnails in the report. */
  static final String INPUTS = "inputs";

  /** The final network's file in a model folder (what {@code stylize} reads). */
  static final String MODEL_FILE = "model.safetensors";

  /** Most checkpoint samples in a row; a longer training shows evenly spaced ones. */
  static final int MAX_CHECKPOINTS = 12;

  /** Most stylized images shown per network; the mean time covers them all. */
  static final int MAX_STYLIZED = 48;

  /** Longest side of an input thumbnail. */
  static final int INPUT_SIDE = 256;

  private static final Pattern SAMPLE = Pattern.compile("sample-(\\d+)\\.png");
  private static final Pattern SEED = Pattern.compile("seed-(\\d+)\\.png");
  private static final int CHART_WIDTH = 560;
  private static final int CHART_HEIGHT = 280;

  private final Path out;
  private final Path reportDir;
  private final Configuration conf;
  private final StageChains.Writer writer;
  private final Map<String, String> thumbnails;
  private final Map<String, String> inputUrls = new HashMap<>();

  private TrainingSection(
      Path out,
      Path reportDir,
      Configuration conf,
      StageChains.Writer writer,
      Map<String, String> thumbnails) {
    this.out = out;
    this.reportDir = reportDir;
    this.conf = conf;
    this.writer = writer;
    this.thumbnails = thumbnails;
  }

  /**
   * The sections the rows call for: "Trained networks" when there are training runs, "Stylized
   * images" when there are stylize runs; none, one or both.
   *
   * @param rows rows of the metrics table
   * @param out the output folder (qualified)
   * @param reportDir the report folder, where images and charts are copied
   * @param thumbnails run id to the relative URL of its result image in the report
   */
  static List<Section> of(
      List<Row> rows,
      Path out,
      Path reportDir,
      Configuration conf,
      StageChains.Writer writer,
      Map<String, String> thumbnails)
      throws IOException {
    TrainingSection builder = new TrainingSection(out, reportDir, conf, writer, thumbnails);
    List<Row> trainings = new ArrayList<>();
    List<Row> stylized = new ArrayList<>();
    for (Row row : rows) {
      String task = row.getAs("task");
      if (Task.TRAIN_STYLE.key().equals(task) || Task.TRAIN_TEXTURE.key().equals(task)) {
        trainings.add(row);
      } else if (Task.STYLIZE.key().equals(task)) {
        stylized.add(row);
      }
    }
    List<Section> sections = new ArrayList<>();
    if (!trainings.isEmpty()) {
      sections.add(builder.trainingSection(trainings));
    }
    if (!stylized.isEmpty()) {
      sections.add(builder.stylizeSection(stylized, trainings));
    }
    return sections;
  }

  // ---- trained networks --------------------------------------------------------------------

  private Section trainingSection(List<Row> trainings) throws IOException {
    // style networks first, then texture networks; by style file, then run id
    List<Row> sorted = new ArrayList<>(trainings);
    sorted.sort(
        Comparator.comparing((Row r) -> Task.TRAIN_TEXTURE.key().equals(r.getAs("task")))
            .thenComparing(r -> Axes.fileName(String.valueOf(r.<String>getAs("style"))))
            .thenComparing(r -> r.<String>getAs("run_id")));
    List<Gallery> galleries = new ArrayList<>();
    for (Row row : sorted) {
      galleries.add(network(row));
    }
    return new Section(
        "training",
        "Trained networks",
        "Feed-forward networks trained by this sweep: style networks (task train_style, Johnson et"
            + " al. 2016) and texture networks (task train_texture, Ulyanov et al. 2016). Each with"
            + " its key parameters, its training curve (loss per Adam step, log scale) and the"
            + " sample it drew at each checkpoint; a texture network also with samples from"
            + " several seeds.",
        List.of(),
        List.of(),
        List.of(),
        galleries);
  }

  private Gallery network(Row row) throws IOException {
    String runId = row.getAs("run_id");
    boolean texture = Task.TRAIN_TEXTURE.key().equals(row.getAs("task"));
    String style = row.getAs("style");
    String title =
        (texture ? "Texture network" : "Style network")
            + ": "
            + (style == null ? "?" : Axes.fileName(style))
            + " \u00b7 run "
            + runId;
    Path folder = new Path(new Path(out, MODELS), runId);

    String chart = null;
    BufferedImage curve =
        LossChart.render(
            "Training loss: run " + runId, curves(row, texture), CHART_WIDTH, CHART_HEIGHT, "step");
    if (curve != null) {
      chart = "charts/train-" + ReportBuilder.safeName(runId) + ".png";
      writer.write(new Path(reportDir, chart), ImageStore.png(curve));
    }

    List<TileRow> rows = new ArrayList<>();
    List<Tile> checkpoints = new ArrayList<>();
    // what the samples are compared with: the training image they show, and the style
    String content = row.getAs("content");
    if (!texture && content != null) {
      String first = StyleBlend.members(content).get(0);
      reference(checkpoints, first, "training image " + Axes.fileName(first));
    }
    if (style != null) {
      reference(checkpoints, style, "style " + Axes.fileName(style));
    }
    int references = checkpoints.size();
    List<Map.Entry<Integer, Path>> samples = new ArrayList<>(numbered(folder, SAMPLE).entrySet());
    for (Map.Entry<Integer, Path> sample : spaced(samples, MAX_CHECKPOINTS)) {
      String url = copy(runId, sample.getValue());
      if (url != null) {
        String what = "step " + sample.getKey();
        checkpoints.add(new Tile(null, null, url, "sample of run " + runId + " at " + what, what));
      }
    }
    if (checkpoints.size() > references) {
      rows.add(
          new TileRow(
              (texture
                      ? "Checkpoints (seed 0 at twice the training size)"
                      : "Checkpoints (the first training image through the network)")
                  + (checkpoints.size() - references < samples.size()
                      ? ": "
                          + (checkpoints.size() - references)
                          + " of "
                          + samples.size()
                          + ", evenly spaced"
                      : ""),
              checkpoints));
    }
    List<Tile> seeds = new ArrayList<>();
    for (Map.Entry<Integer, Path> seed : numbered(folder, SEED).entrySet()) {
      String url = copy(runId, seed.getValue());
      if (url != null) {
        String what = "seed " + seed.getKey();
        seeds.add(new Tile(null, null, url, "final network of run " + runId + ", " + what, what));
      }
    }
    if (!seeds.isEmpty()) {
      rows.add(new TileRow("Final network, one sample per seed", seeds));
    }
    return new Gallery(
        "net-" + runId,
        title,
        facts(row, texture, modelFile(folder, runId)),
        chart,
        "Training loss against step, log scale: run " + runId,
        rows);
  }

  /** The model file relative to the output folder, or a note that the training wrote none. */
  private String modelFile(Path folder, String runId) throws IOException {
    String relative = MODELS + "/" + runId + "/" + MODEL_FILE;
    return HadoopFiles.exists(new Path(folder, MODEL_FILE), conf)
        ? relative
        : "none yet (" + relative + " is written when the training ends)";
  }

  /** Adds a thumbnail of an input image as a tile (not a link target of its own run). */
  private void reference(List<Tile> tiles, String uri, String caption) {
    String url = input(uri);
    if (url != null) {
      tiles.add(new Tile(null, null, url, caption, caption));
    }
  }

  /** Total, and the weighted content and style losses where the run recorded them. */
  private static List<LossChart.Line> curves(Row row, boolean texture) {
    List<LossChart.Line> lines = new ArrayList<>();
    // dashed: the total lies on its larger term, which shows through the gaps
    lines.add(new LossChart.Line("total", floats(row, "loss_history"), !texture));
    if (!texture) {
      // a texture network has no content term: its style curve is its total
      lines.add(new LossChart.Line("content (weighted)", floats(row, "content_loss_history")));
      lines.add(new LossChart.Line("style (weighted)", floats(row, "style_loss_history")));
    }
    return lines;
  }

  /** Style, the weights, the steps and time, and every network key set away from its default. */
  private static List<Fact> facts(Row row, boolean texture, String modelFile) {
    List<Fact> facts = new ArrayList<>();
    String style = row.getAs("style");
    facts.add(new Fact("style", style == null ? "\u2014" : Axes.fileName(style)));
    String content = row.getAs("content");
    if (!texture && content != null) {
      facts.add(new Fact("training images", Integer.toString(StyleBlend.members(content).size())));
    }
    facts.add(new Fact("status", row.getAs("status")));
    facts.add(fact(row, Params.STYLE_WEIGHT.key()));
    if (!texture) {
      facts.add(fact(row, Params.CONTENT_WEIGHT.key()));
    }
    facts.add(fact(row, Params.IMAGE_SIZE.key()));
    facts.add(new Fact("steps", String.valueOf(row.<Integer>getAs("evaluations"))));
    for (Param<?> p : Params.ALL) {
      if (shapesTheNetwork(p.key(), texture) && !isDefault(p, row.getAs(p.key()))) {
        facts.add(fact(row, p.key()));
      }
    }
    facts.add(new Fact("final loss", ReportBuilder.loss(row.getAs("final_loss"))));
    facts.add(new Fact("seconds", ReportBuilder.seconds(row.getAs("seconds_total"))));
    facts.add(
        new Fact("ms per step", ReportBuilder.decimal(row.getAs("ms_per_evaluation"), "%.1f")));
    facts.add(new Fact("model file", modelFile));
    String error = row.getAs("error");
    if (error != null) {
      facts.add(new Fact("error", error));
    }
    return facts;
  }

  /**
   * The keys a network kind reads beyond the weights and steps: every {@code train_*} key for a
   * style network; the batch, learning rate, {@code texture_*} keys and Gram layers for a texture
   * network (which has no crops, width or content layers); checkpoints for both.
   */
  static boolean shapesTheNetwork(String key, boolean texture) {
    if (key.equals(Params.CHECKPOINT_EVERY.key())) {
      return true;
    }
    if (!texture) {
      return key.startsWith("train_");
    }
    return key.startsWith("texture_")
        || key.equals(Params.TRAIN_BATCH_SIZE.key())
        || key.equals(Params.TRAIN_LR.key())
        || key.equals(Params.STYLE_LAYERS.key());
  }

  private static Fact fact(Row row, String key) {
    return new Fact(key, Axes.display(key, plain(row.getAs(key))));
  }

  private static boolean isDefault(Param<?> p, Object value) {
    return Axes.display(p.key(), plain(value))
        .equals(Axes.display(p.key(), Params.spelling(p.defaultValue())));
  }

  /** A column value as Axes shows it: Scala sequences as Java lists. */
  private static Object plain(Object value) {
    if (value instanceof scala.collection.Seq<?> seq) {
      return new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(seq));
    }
    return value;
  }

  // ---- stylized images ---------------------------------------------------------------------

  private Section stylizeSection(List<Row> stylized, List<Row> trainings) throws IOException {
    Map<String, Row> trainedHere = new HashMap<>();
    for (Row t : trainings) {
      trainedHere.put(t.getAs("run_id"), t);
    }
    // model URI -> its runs, by input
    Map<String, List<Row>> byModel = new TreeMap<>();
    for (Row row : stylized) {
      byModel
          .computeIfAbsent(String.valueOf(row.<String>getAs("style")), k -> new ArrayList<>())
          .add(row);
    }
    List<Gallery> galleries = new ArrayList<>();
    for (Map.Entry<String, List<Row>> model : byModel.entrySet()) {
      List<Row> runs = new ArrayList<>(model.getValue());
      runs.sort(
          Comparator.comparing((Row r) -> String.valueOf(r.<String>getAs("content")))
              .thenComparing(r -> r.<String>getAs("run_id")));
      String trainedBy = trainingRunOf(model.getKey());
      List<Fact> facts = new ArrayList<>();
      facts.add(new Fact("model file", shown(model.getKey())));
      if (trainedBy != null) {
        Row training = trainedHere.get(trainedBy);
        facts.add(
            new Fact(
                "trained by",
                "run "
                    + trainedBy
                    + (training == null
                        ? " (not in this output folder)"
                        : " (" + Axes.fileName(training.getAs("style")) + ", above)")));
      }
      double sum = 0;
      int timed = 0;
      List<Tile> tiles = new ArrayList<>();
      // a batch job may stylize thousands of images: show the first few, time them all
      List<Row> shownRuns = runs.subList(0, Math.min(runs.size(), MAX_STYLIZED));
      for (Row run : runs) {
        Double runMs = run.getAs("ms_per_evaluation");
        if (Schemas.OK.equals(run.getAs("status")) && runMs != null && Double.isFinite(runMs)) {
          sum += runMs;
          timed++;
        }
      }
      for (Row run : shownRuns) {
        String runId = run.getAs("run_id");
        String content = run.getAs("content");
        String name = content == null ? "?" : Axes.fileName(content);
        boolean ok = Schemas.OK.equals(run.getAs("status"));
        Double ms = run.getAs("ms_per_evaluation");
        String caption;
        if (ok) {
          caption = name + " \u00b7 " + ReportBuilder.decimal(ms, "%.1f") + " ms";
        } else {
          caption = name + " \u00b7 FAILED";
        }
        String output = ok ? thumbnails.get(runId) : null;
        tiles.add(
            new Tile(
                content == null ? null : input(content),
                "input " + name,
                output,
                output == null
                    ? (ok ? "image missing" : "FAILED")
                    : name + " stylized (run " + runId + ")",
                caption));
      }
      facts.add(new Fact("images", Integer.toString(runs.size())));
      facts.add(fact(runs.get(0), Params.IMAGE_SIZE.key()));
      if (timed > 0) {
        facts.add(
            new Fact(
                "mean ms per image",
                String.format(Locale.ROOT, "%.1f (forward pass only)", sum / timed)));
      }
      Row training = trainedBy == null ? null : trainedHere.get(trainedBy);
      String title =
          "Network "
              + (trainedBy == null ? Axes.fileName(model.getKey()) : "of run " + trainedBy)
              + (training == null ? "" : " (" + Axes.fileName(training.getAs("style")) + ")")
              + ": "
              + runs.size()
              + (runs.size() == 1 ? " image" : " images");
      galleries.add(
          new Gallery(
              "stylize-" + GridPlan.sha1(model.getKey()).substring(0, 8),
              title,
              facts,
              null,
              null,
              List.of(
                  new TileRow(
                      "Input above, stylized output below"
                          + (shownRuns.size() < runs.size()
                              ? ": the first "
                                  + shownRuns.size()
                                  + " of "
                                  + runs.size()
                                  + " by input path (every image is in images/ of the output"
                                  + " folder)"
                              : ""),
                      tiles))));
    }
    return new Section(
        "stylize",
        "Stylized images",
        "Images through trained style networks (task stylize): one forward pass each. Per"
            + " network, each input above its output, with the milliseconds of the forward pass"
            + " (reading and writing not counted).",
        List.of(),
        List.of(),
        List.of(),
        galleries);
  }

  /**
   * The run id of a model file in a training's model folder ({@code .../models/<run id>/*}), or
   * null for a file elsewhere.
   */
  static String trainingRunOf(String modelUri) {
    try {
      Path parent = new Path(modelUri).getParent();
      if (parent != null
          && parent.getParent() != null
          && MODELS.equals(parent.getParent().getName())) {
        return parent.getName();
      }
    } catch (IllegalArgumentException e) {
      // not a path: no run id
    }
    return null;
  }

  /** A model URI as the reader knows it: relative to the output folder when inside it. */
  private String shown(String uri) {
    String base = out.toString();
    return uri.startsWith(base + "/") ? uri.substring(base.length() + 1) : uri;
  }

  /** At most {@code n} evenly spaced items, first and last included. */
  static <T> List<T> spaced(List<T> items, int n) {
    int size = items.size();
    if (size <= n) {
      return items;
    }
    List<T> out = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      out.add(items.get((int) Math.round(k * (size - 1) / (double) (n - 1))));
    }
    return out;
  }

  // ---- files -------------------------------------------------------------------------------

  /** The files of {@code folder} whose names match {@code pattern}, by their number. */
  private TreeMap<Integer, Path> numbered(Path folder, Pattern pattern) throws IOException {
    TreeMap<Integer, Path> files = new TreeMap<>();
    if (!HadoopFiles.exists(folder, conf)) {
      return files;
    }
    FileSystem fs = HadoopFiles.fileSystem(folder, conf);
    for (FileStatus s : fs.listStatus(folder)) {
      Matcher m = pattern.matcher(s.getPath().getName());
      if (s.isFile() && m.matches()) {
        try {
          files.put(Integer.parseInt(m.group(1)), s.getPath());
        } catch (NumberFormatException e) {
          // a number too long for an int is no file of ours
        }
      }
    }
    return files;
  }

  /** Copies a file of a model folder into the report; its URL, or null when unreadable. */
  private String copy(String runId, Path source) {
    String url = MODELS + "/" + ReportBuilder.safeName(runId) + "/" + source.getName();
    try {
      writer.write(new Path(reportDir, url), HadoopFiles.readAll(source, conf));
      return url;
    } catch (IOException e) {
      LOG.warn("{} is unreadable ({}); the report leaves it out", source, e.toString());
      return null;
    }
  }

  /** A thumbnail of an input image in the report (once per input); null when unreadable. */
  private String input(String uri) {
    if (inputUrls.containsKey(uri)) {
      return inputUrls.get(uri);
    }
    String url = null;
    try {
      BufferedImage image = scaled(ImageStore.read(uri, conf, 2 * INPUT_SIDE), INPUT_SIDE);
      url =
          INPUTS
              + "/"
              + ReportBuilder.safeName(Axes.fileName(uri).replaceAll("\\.[A-Za-z0-9]+$", ""))
              + "-"
              + GridPlan.sha1(uri).substring(0, 8)
              + ".png";
      writer.write(new Path(reportDir, url), ImageStore.png(image));
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("input image {} is unreadable ({}); the report leaves it out", uri, e.toString());
      url = null;
    }
    inputUrls.put(uri, url);
    return url;
  }

  /** The image with its longest side at most {@code side}, bilinear. */
  private static BufferedImage scaled(BufferedImage image, int side) {
    int longest = Math.max(image.getWidth(), image.getHeight());
    if (longest <= side) {
      return image;
    }
    int w = Math.max(1, Math.round(image.getWidth() * (float) side / longest));
    int h = Math.max(1, Math.round(image.getHeight() * (float) side / longest));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(image, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static float[] floats(Row row, String column) {
    int index = row.fieldIndex(column);
    if (row.isNullAt(index)) {
      return new float[0];
    }
    List<Object> values = row.getList(index);
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      Object v = values.get(i);
      out[i] = v == null ? Float.NaN : ((Number) v).floatValue();
    }
    return out;
  }
}
