package org.stylesweep.common;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Manifest spelling of enum choices: the lower-case constant name ({@code strong_wolfe}). */
public final class Choice {
  private Choice() {}

  /** The manifest spelling of a constant. */
  public static String key(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** Every valid manifest spelling of an enum, in declaration order. */
  public static <E extends Enum<E>> List<String> keys(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Choice::key).toList();
  }

  /**
   * Parses a manifest value, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the value and the valid choices
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String value) {
    String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (key(constant).equals(wanted)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "unknown value '" + value + "'; expected one of " + keys(type));
  }
}
