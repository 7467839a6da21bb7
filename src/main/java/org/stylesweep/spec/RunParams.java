package org.stylesweep.spec;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every parameter of one run: the manifest's {@code defaults} block after sweep expansion. Holds
 * one canonical value per key of {@link Params#ALL} (a key not given takes its default), read with
 * {@link #get(Param)}. Immutable and serializable (values are numbers, enums and lists), so it
 * travels in a Spark closure.
 */
public final class RunParams implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Canonical values by key, in {@link Params#ALL} order. */
  private final LinkedHashMap<String, Object> values;

  private RunParams(LinkedHashMap<String, Object> values) {
    this.values = values;
  }

  /** Every key at its default. */
  public static RunParams defaults() {
    return of(Map.of());
  }

  /**
   * Every key at its default for weights of this normalization ({@link Params#defaultsFor}): a
   * manifest's defaults start here.
   */
  public static RunParams defaults(Normalization normalization) {
    Map<String, Object> given = new LinkedHashMap<>();
    Params.defaultsFor(normalization).forEach((p, v) -> given.put(p.key(), v));
    return of(given);
  }

  /**
   * Run parameters from canonical values by key; keys not given take their default.
   *
   * @throws IllegalArgumentException for an unknown key or a value of the wrong Java type
   */
  public static RunParams of(Map<String, ?> given) {
    for (String key : given.keySet()) {
      if (Params.byKey(key) == null) {
        throw new IllegalArgumentException("unknown run parameter '" + key + "'");
      }
    }
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    for (Param<?> p : Params.ALL) {
      Object value = given.containsKey(p.key()) ? given.get(p.key()) : p.defaultValue();
      requireType(p, value);
      values.put(p.key(), value);
    }
    return new RunParams(values);
  }

  /** The value of one parameter. */
  public <T> T get(Param<T> param) {
    return param.cast(values.get(param.key()));
  }

  /** A copy with one parameter changed. */
  public <T> RunParams with(Param<T> param, T value) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
    if (!copy.containsKey(param.key())) {
      throw new IllegalArgumentException("unknown run parameter '" + param.key() + "'");
    }
    requireType(param, value);
    copy.put(param.key(), value);
    return new RunParams(copy);
  }

  /** Every canonical value by key, in table order (read-only). */
  public Map<String, Object> values() {
    return Collections.unmodifiableMap(values);
  }

  /** Whether the parameter is at its default. */
  public boolean isDefault(Param<?> param) {
    return Objects.equals(values.get(param.key()), param.defaultValue());
  }

  private static void requireType(Param<?> p, Object value) {
    boolean ok =
        switch (p.kind()) {
          case INT -> value instanceof Integer;
          case LONG -> value instanceof Long;
          case DOUBLE -> value instanceof Double;
          case CHOICE -> p.choices().isInstance(value);
          case STRING_LIST, DOUBLE_LIST ->
              value instanceof java.util.List<?> list
                  && list.stream()
                      .allMatch(
                          v ->
                              p.kind() == ValueKind.STRING_LIST
                                  ? v instanceof String
                                  : v instanceof Double);
        };
    if (!ok) {
      throw new IllegalArgumentException(
          "run parameter '"
              + p.key()
              + "' cannot hold "
              + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RunParams other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "RunParams" + values;
  }
}
