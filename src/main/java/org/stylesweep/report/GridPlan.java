package org.stylesweep.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One grid to draw: the runs of one task that share every varying axis except the one or two shown.
 * {@code rowAxis} null means a single row (a strip), {@code colAxis} null a single column.
 *
 * @param task the runs' task
 * @param rowAxis axis down the left, or null
 * @param colAxis axis across the top, or null
 * @param targetsFirst whether a strip starts with its target images (content and/or style)
 * @param fixed the group: values of the other varying axes, in axis order
 * @param rowValues values down the left (one null when {@code rowAxis} is null)
 * @param colValues values across the top (one null when {@code colAxis} is null)
 * @param cells run per cell, keyed by {@link #cellKey}
 * @param runs the group's runs in display order
 */
record GridPlan(
    String task,
    String rowAxis,
    String colAxis,
    boolean targetsFirst,
    List<Map.Entry<String, Object>> fixed,
    List<Object> rowValues,
    List<Object> colValues,
    Map<String, RunRow> cells,
    List<RunRow> runs) {

  /** The run in a cell, or null when the sweep has none there. */
  RunRow at(Object rowValue, Object colValue) {
    return cells.get(cellKey(rowAxis, rowValue, colAxis, colValue));
  }

  static String cellKey(String rowAxis, Object rowValue, String colAxis, Object colValue) {
    return (rowAxis == null ? "" : Axes.canonical(rowAxis, rowValue))
        + "\u0000"
        + (colAxis == null ? "" : Axes.canonical(colAxis, colValue));
  }

  /** Whether this is a seed or init comparison rather than an ablation of the task. */
  boolean comparesStart() {
    return (rowAxis == null || Axes.START_AXES.contains(rowAxis))
        && (colAxis == null || Axes.START_AXES.contains(colAxis))
        && (rowAxis != null || colAxis != null);
  }

  /** What the grid shows, e.g. {@code transfer: content × style (init=noise)}. */
  String title() {
    List<String> axes = new ArrayList<>();
    if (rowAxis != null) {
      axes.add(rowAxis);
    }
    if (colAxis != null) {
      axes.add(colAxis);
    }
    StringBuilder title =
        new StringBuilder(task).append(": ").append(String.join(" \u00d7 ", axes));
    if (!fixed.isEmpty()) {
      title.append(" (").append(fixedLabel()).append(')');
    }
    return title.toString();
  }

  /** The group's fixed values, e.g. {@code content=cat.png, seed=1}. */
  String fixedLabel() {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : fixed) {
      parts.add(e.getKey() + "=" + Axes.display(e.getKey(), e.getValue()));
    }
    return String.join(", ", parts);
  }

  /**
   * A file name stem that is readable, safe on every file system and URL, and unique: a slug of the
   * title plus a hash of the grid's full identity (so {@code a<b>.png} and {@code a-b-.png}
   * differ).
   */
  String fileStem() {
    StringBuilder identity =
        new StringBuilder(task).append('|').append(rowAxis).append('|').append(colAxis);
    for (Map.Entry<String, Object> e : fixed) {
      identity
          .append('|')
          .append(e.getKey())
          .append('=')
          .append(Axes.canonical(e.getKey(), e.getValue()));
    }
    String slug =
        title().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._]+", "-").replaceAll("^-+|-+$", "");
    if (slug.length() > 80) {
      slug = slug.substring(0, 80).replaceAll("-+$", "");
    }
    return slug + "-" + sha1(identity.toString()).substring(0, 8);
  }

  static String sha1(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every Java runtime", e);
    }
  }
}
