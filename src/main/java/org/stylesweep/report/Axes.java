package org.stylesweep.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.stylesweep.manifest.GridSpec;
import org.stylesweep.spark.Schemas;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Spatial;
import org.stylesweep.spec.StyleBlend;

/**
 * The axes a sweep can vary, named by their metrics columns: the two inputs ({@code content},
 * {@code style}) and every run parameter. Also how an axis value is shown, compared and grouped.
 */
final class Axes {
  private Axes() {}

  /** The content image axis. */
  static final String CONTENT = GridSpec.CONTENT;

  /** The style image axis. */
  static final String STYLE = GridSpec.STYLE;

  /** Run-parameter columns of {@link Schemas#METRICS}, in table (and manifest) order. */
  static final List<String> PARAMETERS = Schemas.PARAMETER_COLUMNS;

  /** Every axis: the inputs, then the parameters (the axes a manifest's grids may name). */
  static final List<String> ALL = GridSpec.AXES;

  /** Axes whose strips belong in the report's init and seed comparison. */
  static final Set<String> START_AXES = Set.of(Params.INIT.key(), Params.SEED.key());

  /** Whether {@code name} is an axis a grid may use. */
  static boolean isAxis(String name) {
    return ALL.contains(name);
  }

  /** Whether the axis is an input image (shown as a picture in grid headers). */
  static boolean isInput(String axis) {
    return CONTENT.equals(axis) || STYLE.equals(axis);
  }

  /**
   * The identity of a value for grouping: the full path for inputs (two {@code cat.png} in
   * different folders stay apart), the shown text otherwise.
   */
  static String canonical(String axis, Object value) {
    if (value == null) {
      return "\u2205";
    }
    return isInput(axis) ? value.toString() : display(axis, value);
  }

  /** How a value is shown: file names for inputs, compact numbers, lists in brackets. */
  static String display(String axis, Object value) {
    if (value == null) {
      return "\u2014";
    }
    if (isInput(axis)) {
      return fileName(value.toString());
    }
    return format(value);
  }

  /**
   * {@code axis=value}, or just the value for long layer lists (the axis is in the grid's title).
   */
  static String labelled(String axis, Object value) {
    String shown = display(axis, value);
    return value instanceof List<?> || isInput(axis) ? shown : axis + "=" + shown;
  }

  /** The last segment of a Hadoop path or URI; for a blended style, each member's, joined. */
  static String fileName(String pathOrUri) {
    if (StyleBlend.isBlend(pathOrUri) || Spatial.isSpatial(pathOrUri)) {
      return Spatial.label(pathOrUri, Axes::fileName);
    }
    try {
      String name = new Path(pathOrUri).getName();
      return name.isEmpty() ? pathOrUri : name;
    } catch (IllegalArgumentException e) {
      int slash = pathOrUri.lastIndexOf('/');
      return slash >= 0 ? pathOrUri.substring(slash + 1) : pathOrUri;
    }
  }

  private static String format(Object value) {
    if (value instanceof List<?> list) {
      List<String> parts = new ArrayList<>();
      for (Object item : list) {
        parts.add(format(item));
      }
      return "[" + String.join(", ", parts) + "]";
    }
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    }
    return value.toString();
  }

  /** A short, exact spelling of a number: 1, 0.02, 1e6, 1.5e-7. */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e5) {
      return Long.toString((long) d);
    }
    String s = BigDecimal.valueOf(d).stripTrailingZeros().toString();
    return s.replace("E+", "e").replace("E", "e");
  }

  /**
   * Orders the values of one axis: numbers by size, lists element-wise, text naturally (conv2 <
   * conv10).
   */
  static Comparator<Object> valueOrder(String axis) {
    return (a, b) -> {
      int byShown =
          compareValues(
              isInput(axis) && a != null ? fileName(a.toString()) : a,
              isInput(axis) && b != null ? fileName(b.toString()) : b);
      return byShown != 0 ? byShown : compareValues(a, b);
    };
  }

  static int compareValues(Object a, Object b) {
    if (a == b) {
      return 0;
    }
    if (a == null) {
      return -1;
    }
    if (b == null) {
      return 1;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
        int c = compareValues(x.get(i), y.get(i));
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(x.size(), y.size());
    }
    return naturalCompare(a.toString(), b.toString());
  }

  /** Compares text with digit runs taken as numbers, so {@code conv2_1 < conv10_1}. */
  static int naturalCompare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        int c = new BigDecimal(a.substring(si, i)).compareTo(new BigDecimal(b.substring(sj, j)));
        if (c != 0) {
          return c;
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    int byLength = Integer.compare(a.length() - i, b.length() - j);
    return byLength != 0 ? byLength : a.compareTo(b);
  }
}
