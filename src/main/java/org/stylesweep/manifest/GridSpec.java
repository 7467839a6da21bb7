package org.stylesweep.manifest;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Stream;
import org.stylesweep.spec.Params;

/**
 * A grid the manifest asks for explicitly ({@code grids: [{rows: content, cols: style}]}).
 *
 * @param rows the axis down the left column: {@code content}, {@code style} or a defaults key; null
 *     for a single strip
 * @param cols the axis across the top row; null for a single column
 */
public record GridSpec(String rows, String cols) implements Serializable {

  /** The content image axis. */
  public static final String CONTENT = "content";

  /** The style image axis. */
  public static final String STYLE = "style";

  /** Every axis a grid may name: the two inputs, then every run parameter in table order. */
  public static final List<String> AXES =
      Stream.concat(Stream.of(CONTENT, STYLE), Params.keys().stream()).toList();
}
