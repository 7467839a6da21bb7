package org.stylesweep.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.stylesweep.spark.Schemas;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.transfer.QualityMetrics;

/**
 * Writes a sweep output folder the way the sweep job lays it out (metrics Parquet with {@link
 * Schemas#METRICS}, result PNGs under images/, a manifest copy), with real Spark and real images
 * drawn here, so the report can be tested on its own.
 */
final class SyntheticSweep {
  final Path root;
  final Path inputs;
  final Path out;
  private final List<Map<String, Object>> rows = new ArrayList<>();
  private int counter;

  SyntheticSweep(Path root) throws IOException {
    this.root = root;
    this.inputs = Files.createDirectories(root.resolve("inputs"));
    this.out = Files.createDirectories(root.resolve("out"));
    Files.createDirectories(out.resolve("images"));
  }

  /** Draws an input image (a two-colour gradient) and returns its Hadoop path string. */
  String input(String fileName, Color from, Color to) throws IOException {
    Path file = inputs.resolve(fileName);
    ImageIO.write(gradient(48, 40, from, to), "png", file.toFile());
    return "file:" + file.toAbsolutePath();
  }

  /** A finished run with a result image and a falling loss history. */
  Map<String, Object> ok(String task, String content, String style) throws IOException {
    Map<String, Object> row = base(task, content, style);
    int n = counter;
    String runId = (String) row.get("run_id");
    Path image = out.resolve("images").resolve(runId + ".png");
    Color tint = Color.getHSBColor((n * 0.13f) % 1f, 0.6f, 0.9f);
    ImageIO.write(gradient(32, 32, tint, Color.DARK_GRAY), "png", image.toFile());
    int evaluations = 12;
    List<Float> total = new ArrayList<>();
    List<Float> contentLoss = new ArrayList<>();
    List<Float> styleLoss = new ArrayList<>();
    for (int i = 0; i < evaluations; i++) {
      float c = (float) ((1000 + 100 * n) * Math.exp(-0.3 * i) + 5);
      float s = (float) ((2000 + 50 * n) * Math.exp(-0.2 * i) + 3);
      contentLoss.add(c);
      styleLoss.add(s);
      total.add(c + s);
    }
    row.put("status", Schemas.OK);
    row.put("stop_reason", "max_evaluations");
    row.put("evaluations", evaluations);
    row.put("final_loss", (double) total.get(evaluations - 1));
    row.put("final_content_loss", (double) contentLoss.get(evaluations - 1));
    row.put("final_style_loss", (double) styleLoss.get(evaluations - 1));
    row.put("loss_history", total);
    row.put("content_loss_history", contentLoss);
    row.put("style_loss_history", styleLoss);
    row.put("image_path", "images/" + runId + ".png");
    row.put("width", 32);
    row.put("height", 32);
    return row;
  }

  /**
   * A finished multi-scale run of two stages (16 then 32 px): the coarse stage's image beside the
   * result, the stage columns filled.
   */
  Map<String, Object> staged(String task, String content, String style) throws IOException {
    Map<String, Object> row = ok(task, content, style);
    String runId = (String) row.get("run_id");
    String coarse = "images/" + runId + ".stage1.png";
    ImageIO.write(gradient(16, 16, Color.ORANGE, Color.BLACK), "png", out.resolve(coarse).toFile());
    row.put("stages", List.of("16:7", "32:5"));
    row.put("stage_evaluations", List.of(7, 5));
    row.put("stage_losses", List.of(123.4, 56.7));
    row.put("stage_seconds", List.of(0.5, 1.0));
    row.put("stage_images", List.of(coarse, row.get("image_path")));
    return row;
  }

  /** A run that hit a non-finite loss after a few evaluations: no image, an error. */
  Map<String, Object> failed(String task, String content, String style, String error) {
    Map<String, Object> row = base(task, content, style);
    row.put("status", Schemas.FAILED);
    row.put("error", error);
    row.put("stop_reason", "non_finite");
    row.put("evaluations", 3);
    row.put("loss_history", List.of(900f, 400f, Float.NaN));
    return row;
  }

  private Map<String, Object> base(String task, String content, String style) {
    counter++;
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("run_id", String.format("r%03d%s", counter, Integer.toHexString(31 * counter + 7)));
    row.put("sweep", "synthetic-sweep");
    row.put("task", task);
    row.put("content", content);
    row.put("style", style);
    row.putAll(defaultParameters());
    row.put("image_size", 32);
    row.put("steps", 12);
    row.put("weights_id", "random:0");
    row.put("normalization", "imagenet");
    row.put("pooling", "max");
    row.put("error", null);
    row.put("final_loss", null);
    row.put("final_content_loss", null);
    row.put("final_style_loss", null);
    row.put("loss_history", List.of());
    row.put("content_loss_history", List.of());
    row.put("style_loss_history", List.of());
    row.put("seconds_setup", 0.25);
    row.put("seconds_total", 1.5 + 0.1 * counter);
    row.put("ms_per_evaluation", 40.0 + counter);
    row.put("device", "cpu");
    row.put("executor_id", "driver");
    row.put("host", "localhost");
    row.put(
        "started_at", Timestamp.from(Instant.parse("2026-01-02T03:04:05Z").plusSeconds(counter)));
    row.put("image_path", null);
    row.put("width", null);
    row.put("height", null);
    for (String column :
        List.of(
            "stage_evaluations",
            "stage_losses",
            "stage_seconds",
            "stage_images",
            "peak_memory_bytes",
            "memory_estimate_bytes")) {
      row.put(column, null);
    }
    // quality measures: distinct per run, so the ablation tables rank them
    for (int q = 0; q < QualityMetrics.COLUMNS.size(); q++) {
      row.put(QualityMetrics.COLUMNS.get(q), 0.1 * (q + 1) + 0.01 * (counter % 7));
    }
    // not a halving sweep
    org.stylesweep.spark.HalvingColumns.ALL.forEach(c -> row.put(c, null));
    rows.add(row);
    return row;
  }

  /**
   * Every run parameter's default, as a metrics column holds it (choices by their key), in table
   * order.
   */
  static Map<String, Object> defaultParameters() {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Param<?> p : Params.ALL) {
      values.put(p.key(), Params.spelling(p.defaultValue()));
    }
    return values;
  }

  /**
   * Writes the metrics table with Spark, in the schema the sweep job uses, less the {@code dropped}
   * columns (a table written by an older version).
   */
  void writeMetrics(SparkSession spark, String... dropped) {
    List<Row> out = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Object[] values = new Object[Schemas.METRICS.fields().length];
      int i = 0;
      for (StructField field : Schemas.METRICS.fields()) {
        if (!row.containsKey(field.name())) {
          throw new IllegalStateException("synthetic row lacks column " + field.name());
        }
        values[i++] = row.get(field.name());
      }
      out.add(RowFactory.create(values));
    }
    spark
        .createDataFrame(out, Schemas.METRICS)
        .drop(dropped)
        .coalesce(1)
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(this.out.resolve("metrics").toString());
  }

  void writeManifest(String yaml) throws IOException {
    Files.writeString(out.resolve("manifest.yaml"), yaml);
  }

  static BufferedImage gradient(int width, int height, Color from, Color to) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new java.awt.GradientPaint(0, 0, from, width, height, to));
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  /**
   * The scenario most tests share: 2 contents (one named {@code c<b>at.png}) x 2 styles x 2 inits
   * of transfer with one failure, a 3-layer content reconstruction and a 2-set texture sweep.
   */
  static SyntheticSweep standard(SparkSession spark, Path root) throws IOException {
    SyntheticSweep sweep = new SyntheticSweep(root);
    String cat = sweep.input("c<b>at.png", Color.ORANGE, Color.BLACK);
    String coffee = sweep.input("coffee.png", new Color(0x6D, 0x4C, 0x41), Color.WHITE);
    String mosaic = sweep.input("mosaic.png", Color.BLUE, Color.YELLOW);
    String swirl = sweep.input("swirl.png", Color.MAGENTA, Color.CYAN);
    for (String content : List.of(cat, coffee)) {
      for (String style : List.of(mosaic, swirl)) {
        for (String init : List.of("content", "noise")) {
          Map<String, Object> row =
              content.equals(coffee) && style.equals(swirl) && init.equals("noise")
                  ? sweep.failed(
                      "transfer",
                      content,
                      style,
                      "java.lang.IllegalStateException: loss is NaN at evaluation 3")
                  : sweep.ok("transfer", content, style);
          row.put("init", init);
        }
      }
    }
    for (String layer : List.of("conv1_1", "conv2_1", "conv3_1")) {
      Map<String, Object> row = sweep.ok("reconstruct", cat, null);
      row.put("content_layers", List.of(layer));
      row.put("init", "noise");
    }
    for (List<String> layers : List.of(List.of("conv1_1"), List.of("conv1_1", "conv2_1"))) {
      Map<String, Object> row = sweep.ok("texture", null, swirl);
      row.put("style_layers", layers);
      row.put("init", "noise");
    }
    sweep.writeMetrics(spark);
    return sweep;
  }
}
