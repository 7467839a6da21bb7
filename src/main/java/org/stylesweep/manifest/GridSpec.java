package org.stylesweep.manifest;

import java.io.Serializable;

/**
 * A grid the manifest asks for explicitly ({@code grids: [{rows: content, cols: style}]}).
 *
 * @param rows the axis down the left column: {@code content}, {@code style} or a defaults key; null
 *     for a single strip
 * @param cols the axis across the top row; null for a single column
 */
public record GridSpec(String rows, String cols) implements Serializable {}
