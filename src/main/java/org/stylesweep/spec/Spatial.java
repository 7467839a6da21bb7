package org.stylesweep.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Spatial control's inputs (Gatys et al. 2017, Sec. 4) as they travel through a sweep. Like a
 * {@link StyleBlend}, each is one string, so run specs, records, the metrics table and the report
 * carry them unchanged:
 *
 * <ul>
 *   <li>a content image with named regions: {@code IMAGE with regions: cat = MASK ; sky = MASK}
 *       (each mask greyscale, the content's size, white = inside);
 *   <li>a region style, the style assignment of one run: {@code regions: cat = STYLE ; sky = STYLE
 *       masked by MASK ; rest = STYLE|none}, where {@code masked by} gives a mask on the style
 *       image and {@code rest} the plain style of pixels in no region ({@code none}: no style
 *       there).
 * </ul>
 *
 * A content image with regions paired with a plain style is a plain run; a region style needs a
 * content with regions, and one style for each of its regions. No path may contain the separators.
 */
public final class Spatial {
  private Spatial() {}

  /** Between a content image and its regions. */
  public static final String WITH_REGIONS = " with regions: ";

  /** Starts a region style. */
  public static final String REGIONS = "regions: ";

  /** Between entries. */
  public static final String ENTRY = " ; ";

  /** Between a region's name and its mask or style. */
  public static final String IS = " = ";

  /** Between a region's style image and the mask on it. */
  public static final String MASKED_BY = " masked by ";

  /** The entry of a region style that names the plain style of pixels in no region. */
  public static final String REST = "rest";

  /** {@link #REST}'s value for no style outside the regions. */
  public static final String NONE = "none";

  /** What a path may not contain. */
  public static final List<String> SEPARATORS = List.of(WITH_REGIONS, ENTRY, IS, MASKED_BY);

  /** A region's name: letters, digits, '_' and '-'. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  /**
   * One region's style.
   *
   * @param image the style image
   * @param mask the mask on the style image, or null for all of it
   */
  public record RegionStyle(String image, String mask) {}

  /** A content string of an image with regions (name to mask); the image itself for none. */
  public static String content(String image, Map<String, String> masks) {
    if (masks.isEmpty()) {
      return image;
    }
    List<String> entries = new ArrayList<>();
    masks.forEach((name, mask) -> entries.add(name + IS + mask));
    return image + WITH_REGIONS + String.join(ENTRY, entries);
  }

  /** Whether a content string carries regions. */
  public static boolean hasRegions(String content) {
    return content != null && content.contains(WITH_REGIONS);
  }

  /** The image of a content string. */
  public static String image(String content) {
    return hasRegions(content) ? content.substring(0, content.indexOf(WITH_REGIONS)) : content;
  }

  /** A content string's regions, name to mask, in order (empty for a plain content). */
  public static LinkedHashMap<String, String> masks(String content) {
    LinkedHashMap<String, String> result = new LinkedHashMap<>();
    if (hasRegions(content)) {
      entries(content.substring(content.indexOf(WITH_REGIONS) + WITH_REGIONS.length()))
          .forEach(result::put);
    }
    return result;
  }

  /** A region style string: each region's style, and the rest's (null: none). */
  public static String style(Map<String, RegionStyle> styles, String rest) {
    List<String> entries = new ArrayList<>();
    styles.forEach(
        (name, s) ->
            entries.add(name + IS + s.image() + (s.mask() == null ? "" : MASKED_BY + s.mask())));
    entries.add(REST + IS + (rest == null ? NONE : rest));
    return REGIONS + String.join(ENTRY, entries);
  }

  /** Whether a style string assigns styles to regions. */
  public static boolean isRegionStyle(String style) {
    return style != null && style.startsWith(REGIONS);
  }

  /** A region style's styles by region name, in order (without the rest). */
  public static LinkedHashMap<String, RegionStyle> regionStyles(String style) {
    LinkedHashMap<String, RegionStyle> result = new LinkedHashMap<>();
    if (isRegionStyle(style)) {
      entries(style.substring(REGIONS.length()))
          .forEach(
              (name, value) -> {
                if (!name.equals(REST)) {
                  int at = value.indexOf(MASKED_BY);
                  result.put(
                      name,
                      at < 0
                          ? new RegionStyle(value, null)
                          : new RegionStyle(
                              value.substring(0, at), value.substring(at + MASKED_BY.length())));
                }
              });
    }
    return result;
  }

  /** A region style's plain style of pixels in no region, or null for none. */
  public static String rest(String style) {
    if (!isRegionStyle(style)) {
      return null;
    }
    String rest = entries(style.substring(REGIONS.length())).get(REST);
    return rest == null || rest.equals(NONE) ? null : rest;
  }

  /** Every file an input string names, the image first (a blend's members, masks, styles). */
  public static List<String> files(String input) {
    List<String> files = new ArrayList<>();
    if (hasRegions(input)) {
      files.add(image(input));
      files.addAll(masks(input).values());
    } else if (isRegionStyle(input)) {
      for (RegionStyle s : regionStyles(input).values()) {
        files.add(s.image());
        if (s.mask() != null) {
          files.add(s.mask());
        }
      }
      if (rest(input) != null) {
        files.add(rest(input));
      }
    } else {
      files.addAll(StyleBlend.members(input));
    }
    return files;
  }

  /** Whether an input string is a content with regions or a region style. */
  public static boolean isSpatial(String input) {
    return hasRegions(input) || isRegionStyle(input);
  }

  /**
   * The input string with every file replaced by {@code map}'s value, e.g. its hash: a canonical
   * form for run ids.
   */
  public static String mapFiles(String input, UnaryOperator<String> map) {
    if (hasRegions(input)) {
      LinkedHashMap<String, String> masks = new LinkedHashMap<>();
      masks(input).forEach((name, mask) -> masks.put(name, map.apply(mask)));
      return content(map.apply(image(input)), masks);
    }
    if (isRegionStyle(input)) {
      LinkedHashMap<String, RegionStyle> styles = new LinkedHashMap<>();
      regionStyles(input)
          .forEach(
              (name, s) ->
                  styles.put(
                      name,
                      new RegionStyle(
                          map.apply(s.image()), s.mask() == null ? null : map.apply(s.mask()))));
      String rest = rest(input);
      return style(styles, rest == null ? null : map.apply(rest));
    }
    return input;
  }

  /**
   * A short label: {@code cat.png [cat, sky]} for a content with regions, {@code cat: a.png, sky:
   * b.png, rest: none} for a region style, else {@link StyleBlend#label}.
   */
  public static String label(String input, UnaryOperator<String> name) {
    if (hasRegions(input)) {
      return name.apply(image(input)) + " [" + String.join(", ", masks(input).keySet()) + "]";
    }
    if (isRegionStyle(input)) {
      List<String> parts = new ArrayList<>();
      regionStyles(input)
          .forEach(
              (region, s) ->
                  parts.add(
                      region
                          + ": "
                          + name.apply(s.image())
                          + (s.mask() == null ? "" : " (masked)")));
      String rest = rest(input);
      parts.add(REST + ": " + (rest == null ? NONE : name.apply(rest)));
      return String.join(", ", parts);
    }
    return StyleBlend.label(input, name);
  }

  private static LinkedHashMap<String, String> entries(String text) {
    LinkedHashMap<String, String> result = new LinkedHashMap<>();
    for (String entry : text.split(Pattern.quote(ENTRY))) {
      int at = entry.indexOf(IS);
      if (at > 0) {
        result.put(entry.substring(0, at), entry.substring(at + IS.length()));
      }
    }
    return result;
  }
}
