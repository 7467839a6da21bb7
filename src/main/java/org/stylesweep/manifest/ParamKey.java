package org.stylesweep.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.stylesweep.common.Choice;
import org.stylesweep.loss.ContentLossKind;
import org.stylesweep.loss.GramNorm;
import org.stylesweep.optim.LineSearch;
import org.stylesweep.optim.OptimizerKind;
import org.stylesweep.transfer.Clamp;
import org.stylesweep.transfer.Init;

/**
 * One key of the manifest's {@code defaults} block: its spelling, the type a user reads in the
 * reference, how a YAML value becomes the canonical Java value, and where it lives in {@link
 * RunParams}. {@link #ALL} is the single table every other part (parsing, sweep axes, run ids,
 * metrics columns, the README reference) is driven from.
 *
 * @param key snake_case manifest key, also the metrics column name
 * @param type the type as the manifest reference documents it
 * @param help one line for the reference
 * @param parser YAML value to canonical value; throws {@link IllegalArgumentException} saying what
 *     was expected
 * @param getter the canonical value held by a {@link RunParams}
 */
public record ParamKey(
    String key,
    String type,
    String help,
    Function<JsonNode, Object> parser,
    Function<RunParams, Object> getter) {

  /** Every run parameter, in the order of {@link RunParams}' components. */
  public static final List<ParamKey> ALL =
      List.of(
          new ParamKey("image_size", "positive integer", "longest side of the result in pixels (texture: the size)",
              n -> positiveInt(n), RunParams::imageSize),
          new ParamKey("style_scale", "positive number", "the style image is resized to style_scale × image_size",
              n -> positiveDouble(n), RunParams::styleScale),
          new ParamKey("steps", "positive integer", "loss evaluations (the tutorial's counter, neural-style's iterations)",
              n -> positiveInt(n), RunParams::steps),
          new ParamKey("optimizer", oneOf(OptimizerKind.class), "optimizer of the pixels",
              n -> choice(OptimizerKind.class, n), RunParams::optimizer),
          new ParamKey("line_search", oneOf(LineSearch.class), "L-BFGS line search",
              n -> choice(LineSearch.class, n), RunParams::lineSearch),
          new ParamKey("lr", "positive number", "learning rate (L-BFGS 1, Adam e.g. 0.02)",
              n -> positiveDouble(n), RunParams::lr),
          new ParamKey("content_layers", "list of layer names", "layers whose features the content loss matches",
              n -> layers(n), RunParams::contentLayers),
          new ParamKey("style_layers", "list of layer names", "layers whose Gram matrices the style loss matches",
              n -> layers(n), RunParams::styleLayers),
          new ParamKey("style_layer_weights", "list of numbers >= 0", "one weight per style layer; [] = 1 each",
              n -> weights(n), RunParams::styleLayerWeights),
          new ParamKey("content_weight", "number >= 0", "weight of the summed content loss",
              n -> nonNegativeDouble(n), RunParams::contentWeight),
          new ParamKey("style_weight", "number >= 0", "weight of the summed style loss",
              n -> nonNegativeDouble(n), RunParams::styleWeight),
          new ParamKey("tv_weight", "number >= 0", "weight of the total variation loss",
              n -> nonNegativeDouble(n), RunParams::tvWeight),
          new ParamKey("gram_norm", oneOf(GramNorm.class), "Gram normalization: chw (the tutorial's), hw or none",
              n -> choice(GramNorm.class, n), RunParams::gramNorm),
          new ParamKey("content_loss", oneOf(ContentLossKind.class), "mean (the tutorial's mse_loss) or sum",
              n -> choice(ContentLossKind.class, n), RunParams::contentLoss),
          new ParamKey("init", oneOf(Init.class), "initial image",
              n -> choice(Init.class, n), RunParams::init),
          new ParamKey("clamp", oneOf(Clamp.class), "clamp to [0,1] once at the end, or in every evaluation (the tutorial's closure)",
              n -> choice(Clamp.class, n), RunParams::clamp),
          new ParamKey("seed", "integer", "seed of the noise init",
              n -> integer(n), RunParams::seed));

  /** The keys of {@link #ALL}, in order. */
  public static List<String> keys() {
    return ALL.stream().map(ParamKey::key).toList();
  }

  /** The key with this spelling, or null. */
  public static ParamKey byKey(String key) {
    for (ParamKey k : ALL) {
      if (k.key.equals(key)) {
        return k;
      }
    }
    return null;
  }

  /** True for the list-valued keys (layers, layer weights), whose sweep values are lists. */
  public boolean isList() {
    return type.startsWith("list");
  }

  /** The canonical values of every key of {@code params}, in table order. */
  public static LinkedHashMap<String, Object> toMap(RunParams params) {
    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    for (ParamKey k : ALL) {
      map.put(k.key, k.getter.apply(params));
    }
    return map;
  }

  /**
   * The value as the manifest and the metrics table spell it: enums as their key, lists and numbers
   * as they are.
   */
  public static Object spelling(Object value) {
    if (value instanceof Enum<?> e) {
      return Choice.key(e);
    }
    return value;
  }

  /** Builds run parameters from canonical values; {@code values} must hold every key. */
  @SuppressWarnings("unchecked")
  public static RunParams fromMap(Map<String, Object> values) {
    return new RunParams(
        (Integer) values.get("image_size"),
        (Double) values.get("style_scale"),
        (Integer) values.get("steps"),
        (OptimizerKind) values.get("optimizer"),
        (LineSearch) values.get("line_search"),
        (Double) values.get("lr"),
        List.copyOf((List<String>) values.get("content_layers")),
        List.copyOf((List<String>) values.get("style_layers")),
        List.copyOf((List<Double>) values.get("style_layer_weights")),
        (Double) values.get("content_weight"),
        (Double) values.get("style_weight"),
        (Double) values.get("tv_weight"),
        (GramNorm) values.get("gram_norm"),
        (ContentLossKind) values.get("content_loss"),
        (Init) values.get("init"),
        (Clamp) values.get("clamp"),
        (Long) values.get("seed"));
  }

  // ---- parsers: each throws IllegalArgumentException with what was expected ----

  private static String oneOf(Class<? extends Enum<?>> type) {
    return "one of " + String.join(" | ", keysOf(type));
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<String> keysOf(Class<? extends Enum<?>> type) {
    return Choice.keys((Class) type);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object choice(Class<? extends Enum<?>> type, JsonNode node) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException("expected " + oneOf(type));
    }
    return Choice.parse((Class) type, node.asText());
  }

  /** A number, also when quoted ("1e6"); rejects booleans, lists and maps. */
  private static BigDecimal number(JsonNode node, String expected) {
    if (node.isNumber()) {
      return node.decimalValue();
    }
    if (node.isTextual()) {
      try {
        return new BigDecimal(node.asText().trim().replace("_", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected " + expected);
      }
    }
    throw new IllegalArgumentException("expected " + expected);
  }

  private static long integer(JsonNode node) {
    BigDecimal value = number(node, "an integer");
    try {
      return value.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("expected an integer");
    }
  }

  private static int positiveInt(JsonNode node) {
    BigDecimal value = number(node, "a positive integer");
    int result;
    try {
      result = value.intValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("expected a positive integer");
    }
    if (result <= 0) {
      throw new IllegalArgumentException("must be a positive integer");
    }
    return result;
  }

  private static double finiteDouble(JsonNode node, String expected) {
    double value = number(node, expected).doubleValue();
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("expected " + expected);
    }
    return value;
  }

  private static double positiveDouble(JsonNode node) {
    double value = finiteDouble(node, "a positive number");
    if (value <= 0) {
      throw new IllegalArgumentException("must be positive");
    }
    return value;
  }

  private static double nonNegativeDouble(JsonNode node) {
    double value = finiteDouble(node, "a number >= 0");
    if (value < 0) {
      throw new IllegalArgumentException("must not be negative");
    }
    return value;
  }

  /** A list of layer names; a single name stands for a list of one. */
  private static List<String> layers(JsonNode node) {
    if (node.isTextual()) {
      return List.of(node.asText().trim());
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("expected a list of layer names, e.g. [conv1_1, conv2_1]");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new IllegalArgumentException("expected a list of layer names, e.g. [conv1_1, conv2_1]");
      }
      names.add(element.asText().trim());
    }
    return names;
  }

  private static List<Double> weights(JsonNode node) {
    if (!node.isArray()) {
      throw new IllegalArgumentException("expected a list of numbers >= 0, e.g. [1, 0.5]");
    }
    List<Double> values = new ArrayList<>();
    for (JsonNode element : node) {
      double value = finiteDouble(element, "a list of numbers >= 0");
      if (value < 0) {
        throw new IllegalArgumentException("weights must not be negative");
      }
      values.add(value);
    }
    return values;
  }
}
