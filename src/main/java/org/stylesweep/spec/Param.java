package org.stylesweep.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.stylesweep.common.Choice;

/**
 * One run parameter: its manifest key, the type a user reads in the reference, its default, how a
 * YAML/JSON value becomes the canonical Java value (with the range check), its help line and the
 * shape of its value ({@link ValueKind}, which decides the metrics column's SQL type). Every
 * parameter is declared once, in {@link Params}; parsing, validation, run ids, records, the metrics
 * schema, the report's axes, {@code show}'s columns and the docs' table are derived from it.
 *
 * @param <T> the canonical Java type: Integer, Long, Double, an enum, List of String or of Double
 */
public final class Param<T> {
  private final String key;
  private final String type;
  private final String help;
  private final ValueKind kind;
  private final T defaultValue;
  private final boolean alwaysInRunId;
  private final Class<? extends Enum<?>> choices;
  private final Function<JsonNode, T> parser;

  Param(
      String key,
      String type,
      String help,
      ValueKind kind,
      T defaultValue,
      boolean alwaysInRunId,
      Class<? extends Enum<?>> choices,
      Function<JsonNode, T> parser) {
    this.key = key;
    this.type = type;
    this.help = help;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.alwaysInRunId = alwaysInRunId;
    this.choices = choices;
    this.parser = parser;
  }

  /** The snake_case manifest key, also the metrics column's name. */
  public String key() {
    return key;
  }

  /** The type as the manifest reference documents it, e.g. {@code positive integer}. */
  public String type() {
    return type;
  }

  /** One line for the reference and {@code --help}. */
  public String help() {
    return help;
  }

  /** The shape of the value. */
  public ValueKind kind() {
    return kind;
  }

  /** The value a manifest gets when it does not name this key. */
  public T defaultValue() {
    return defaultValue;
  }

  /** The enum of a {@link ValueKind#CHOICE} key, else null. */
  public Class<? extends Enum<?>> choices() {
    return choices;
  }

  /**
   * Whether the key enters every run id, even at its default. True for the parameters that existed
   * when run ids were introduced (their ids must not change); a key added later enters the run id
   * only when set away from its default, so old output folders still resume after an upgrade.
   */
  public boolean alwaysInRunId() {
    return alwaysInRunId;
  }

  /**
   * The canonical value of a YAML/JSON value (records use the same spelling as manifests).
   *
   * @throws IllegalArgumentException saying what was expected (the caller adds the field path)
   */
  public T parse(JsonNode node) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("has no value; give a " + type);
    }
    return parser.apply(node);
  }

  /** The value as manifests, records and the metrics table spell it: enums as their key. */
  public Object spelling(Object value) {
    return value instanceof Enum<?> e ? Choice.key(e) : value;
  }

  /** The canonical value cast to this key's type (values are checked when a RunParams is built). */
  @SuppressWarnings("unchecked")
  T cast(Object value) {
    return (T) value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Param<?> p && p.key.equals(key);
  }

  @Override
  public int hashCode() {
    return key.hashCode();
  }

  @Override
  public String toString() {
    return key;
  }

  // ---- builders used by the table: each parser throws IllegalArgumentException saying what was
  // expected

  static Param<Integer> positiveInt(String key, int def, int max, String help) {
    String type = "positive integer";
    return new Param<>(
        key,
        type,
        help,
        ValueKind.INT,
        def,
        false,
        null,
        n -> {
          int value = intValue(n, "a " + type);
          if (value <= 0) {
            throw new IllegalArgumentException("must be a positive integer");
          }
          if (value > max) {
            throw new IllegalArgumentException("must be at most " + max);
          }
          return value;
        });
  }

  static Param<Integer> nonNegativeInt(String key, int def, int max, String help) {
    String type = "integer >= 0";
    return new Param<>(
        key,
        type,
        help,
        ValueKind.INT,
        def,
        false,
        null,
        n -> {
          int value = intValue(n, "an " + type);
          if (value < 0) {
            throw new IllegalArgumentException("must not be negative");
          }
          if (value > max) {
            throw new IllegalArgumentException("must be at most " + max);
          }
          return value;
        });
  }

  /**
   * A side length in pixels, at most {@code max}; the message for a larger value says what it would
   * cost: the pixels of a square image of that side and its bytes as one float32 RGB tensor.
   */
  static Param<Integer> pixelSide(String key, int def, int max, String help) {
    String type = "positive integer";
    return new Param<>(
        key,
        type,
        help,
        ValueKind.INT,
        def,
        false,
        null,
        n -> {
          BigDecimal number = number(n, "a " + type + " (pixels)");
          if (number.signum() <= 0) {
            throw new IllegalArgumentException("must be a positive integer (pixels)");
          }
          if (number.compareTo(BigDecimal.valueOf(max)) > 0) {
            double pixels = number.doubleValue() * number.doubleValue();
            String cost =
                Double.isFinite(pixels * 12)
                    ? String.format(
                        java.util.Locale.ROOT,
                        ": a %s px square image is %.3g pixels, %s as one float32 RGB tensor",
                        number.toPlainString(),
                        pixels,
                        bytes(pixels * 12))
                    : "";
            throw new IllegalArgumentException(
                "must be at most "
                    + max
                    + " pixels"
                    + cost
                    + " (a "
                    + max
                    + " px one is "
                    + bytes((double) max * max * 12)
                    + ", and a run holds many such tensors)");
          }
          return intValue(n, "a " + type);
        });
  }

  /** Bytes as a person reads them: 201 MB, 120 GB. */
  static String bytes(double bytes) {
    String[] units = {"bytes", "KB", "MB", "GB", "TB", "PB"};
    int unit = 0;
    while (bytes >= 1000 && unit < units.length - 1) {
      bytes /= 1000;
      unit++;
    }
    return String.format(java.util.Locale.ROOT, "%.3g %s", bytes, units[unit]);
  }

  static Param<Long> integer(String key, long def, String help) {
    return new Param<>(
        key,
        "integer",
        help,
        ValueKind.LONG,
        def,
        false,
        null,
        n -> {
          try {
            return number(n, "an integer").longValueExact();
          } catch (ArithmeticException e) {
            throw new IllegalArgumentException("expected an integer");
          }
        });
  }

  static Param<Double> positiveDouble(String key, double def, String help) {
    return new Param<>(
        key,
        "positive number",
        help,
        ValueKind.DOUBLE,
        def,
        false,
        null,
        n -> {
          double value = finiteDouble(n, "a positive number");
          if (value <= 0) {
            throw new IllegalArgumentException("must be positive");
          }
          return value;
        });
  }

  static Param<Double> nonNegativeDouble(String key, double def, String help) {
    return new Param<>(
        key,
        "number >= 0",
        help,
        ValueKind.DOUBLE,
        def,
        false,
        null,
        n -> {
          double value = finiteDouble(n, "a number >= 0");
          if (value < 0) {
            throw new IllegalArgumentException("must not be negative");
          }
          return value;
        });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static <E extends Enum<E>> Param<E> choice(String key, Class<E> type, E def, String help) {
    String expected = "one of " + String.join(" | ", Choice.keys(type));
    return new Param<>(
        key,
        expected,
        help,
        ValueKind.CHOICE,
        def,
        false,
        (Class) type,
        n -> {
          if (!n.isTextual()) {
            throw new IllegalArgumentException("expected " + expected);
          }
          return Choice.parse(type, n.asText());
        });
  }

  /** A list of layer names; a single name stands for a list of one. */
  static Param<List<String>> layers(String key, List<String> def, String help) {
    String expected = "expected a list of layer names, e.g. [conv1_1, conv2_1]";
    return new Param<>(
        key,
        "list of layer names",
        help,
        ValueKind.STRING_LIST,
        List.copyOf(def),
        false,
        null,
        n -> {
          if (n.isTextual()) {
            return List.of(n.asText().trim());
          }
          if (!n.isArray()) {
            throw new IllegalArgumentException(expected);
          }
          List<String> names = new ArrayList<>();
          for (JsonNode element : n) {
            if (!element.isTextual()) {
              throw new IllegalArgumentException(expected);
            }
            names.add(element.asText().trim());
          }
          return List.copyOf(names);
        });
  }

  /**
   * A multi-scale schedule ({@link Stages}): a string such as {@code "256:200,512:100"} or a list
   * of stage strings; stored canonically, one string per stage; {@code []} or {@code ""} = one
   * stage.
   */
  static Param<List<String>> stages(String key, String help) {
    String expected = "expected " + Stages.SPELLING;
    return new Param<>(
        key,
        "list of SIZE:STEPS stages",
        help,
        ValueKind.STRING_LIST,
        List.of(),
        false,
        null,
        n -> {
          List<String> parts = new ArrayList<>();
          if (n.isTextual()) {
            if (!n.asText().isBlank()) {
              parts.add(n.asText());
            }
          } else if (n.isArray()) {
            for (JsonNode element : n) {
              if (!element.isTextual() && !element.isNumber()) {
                throw new IllegalArgumentException(expected);
              }
              parts.add(element.asText());
            }
          } else {
            throw new IllegalArgumentException(expected);
          }
          return Stages.canonical(parts);
        });
  }

  static Param<List<Double>> weights(String key, List<Double> def, String help) {
    return new Param<>(
        key,
        "list of numbers >= 0",
        help,
        ValueKind.DOUBLE_LIST,
        List.copyOf(def),
        false,
        null,
        n -> {
          if (!n.isArray()) {
            throw new IllegalArgumentException("expected a list of numbers >= 0, e.g. [1, 0.5]");
          }
          List<Double> values = new ArrayList<>();
          for (JsonNode element : n) {
            double value = finiteDouble(element, "a list of numbers >= 0");
            if (value < 0) {
              throw new IllegalArgumentException("weights must not be negative");
            }
            values.add(value);
          }
          return List.copyOf(values);
        });
  }

  /** This key, entering every run id (see {@link #alwaysInRunId()}); only for the first keys. */
  Param<T> inEveryRunId() {
    return new Param<>(key, type, help, kind, defaultValue, true, choices, parser);
  }

  /** A number, also when quoted ("1e6", "1_000"); rejects booleans, lists and maps. */
  private static BigDecimal number(JsonNode node, String expected) {
    if (node.isNumber()) {
      if (node.isFloatingPointNumber()
          && !node.isBigDecimal()
          && !Double.isFinite(node.doubleValue())) {
        throw new IllegalArgumentException(
            Double.isNaN(node.doubleValue())
                ? ".nan is not a number; write a finite number such as 1e5"
                : "infinity is not allowed; write a finite number (at most about 1.8e308)");
      }
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

  private static int intValue(JsonNode node, String expected) {
    BigDecimal value = number(node, expected);
    try {
      return value.intValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "expected " + expected + " (at most " + Integer.MAX_VALUE + ")");
    }
  }

  private static double finiteDouble(JsonNode node, String expected) {
    double value = number(node, expected).doubleValue();
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "is too large: numbers go up to about 1.8e308; write a smaller one");
    }
    return value;
  }
}
