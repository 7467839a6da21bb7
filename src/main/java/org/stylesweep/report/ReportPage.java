package org.stylesweep.report;

import java.util.List;

/**
 * The values the report template ({@code report/index.mustache}) renders. Everything is text
 * already formatted for display; the template escapes it. Absent sections are null so the template
 * leaves them out.
 *
 * @param title sweep name(s)
 * @param randomWeights whether the random-weights banner shows
 * @param weights the weights ids, joined
 * @param statuses run counts by status
 * @param facts the header's summary lines
 * @param nav links to the sections present
 * @param sections content reconstruction, texture synthesis, style transfer, init comparison (those
 *     present)
 * @param failed failed runs, or null when none failed
 * @param footer a line on where the data came from
 * @param history the run history of the output folder, newest first, as lines
 * @param runs one detail view per run (anchor {@code #run-<id>}): its image, every parameter, the
 *     outcome and its loss curve
 */
public record ReportPage(
    String title,
    boolean randomWeights,
    String weights,
    List<Status> statuses,
    List<Fact> facts,
    List<Link> nav,
    List<Section> sections,
    Table failed,
    String footer,
    List<String> history,
    List<RunDetail> runs) {

  /** Whether the output folder has a run history (the template's test). */
  public boolean hasHistory() {
    return !history.isEmpty();
  }

  /** Whether there is a run to show in detail (the template's test for the runs section). */
  public boolean hasRuns() {
    return !runs.isEmpty();
  }

  /** Whether there is a section to link to (the template's test for the navigation bar). */
  public boolean hasNav() {
    return !nav.isEmpty();
  }

  /** A run count with its status; {@code cls} is the CSS class (ok, failed, other). */
  public record Status(String status, long runs, String cls) {}

  /**
   * The detail view of one run, the target of its links in the tables.
   *
   * @param anchor HTML id, {@code run-<run_id>}
   * @param title run id, task and status
   * @param image relative URL of the full-size result image, or null
   * @param chart relative URL of its loss curve, or null when it has no loss history
   * @param parameters the inputs and every run parameter, as the manifest spells them
   * @param outcome status, stop reason, losses, evaluations, timing, device, error
   * @param stages a multi-scale run's chain, coarse to fine; empty for a single-scale run
   */
  public record RunDetail(
      String anchor,
      String title,
      String image,
      String chart,
      List<Fact> parameters,
      List<Fact> outcome,
      List<StageStep> stages) {

    /** Whether the run has a chain of stages (the template's test). */
    public boolean hasStages() {
      return !stages.isEmpty();
    }
  }

  /**
   * One stage of a multi-scale run's chain.
   *
   * @param title the stage and its schedule entry, e.g. {@code stage 1: 256:200}
   * @param image relative URL of the stage's result, or null when it is missing
   * @param caption evaluations, final loss and seconds
   */
  public record StageStep(String title, String image, String caption) {}

  /** A labelled line of the header. */
  public record Fact(String label, String value) {}

  /** A link to a section. */
  public record Link(String href, String label) {}

  /**
   * A report section.
   *
   * @param id HTML id (anchor)
   * @param heading section title
   * @param intro one paragraph on what the section shows
   * @param figures grids with their loss charts
   * @param tables aggregate and per-run tables
   * @param videos clips with their runs side by side (the videos section); empty elsewhere
   * @param galleries trained networks and stylized images (the training and stylize sections);
   *     empty elsewhere
   */
  public record Section(
      String id,
      String heading,
      String intro,
      List<Figure> figures,
      List<Table> tables,
      List<VideoGroup> videos,
      List<Gallery> galleries) {

    /** A section without videos or galleries. */
    public Section(
        String id, String heading, String intro, List<Figure> figures, List<Table> tables) {
      this(id, heading, intro, figures, tables, List.of(), List.of());
    }

    /** A section with videos and no galleries. */
    public Section(
        String id,
        String heading,
        String intro,
        List<Figure> figures,
        List<Table> tables,
        List<VideoGroup> videos) {
      this(id, heading, intro, figures, tables, videos, List.of());
    }
  }

  /**
   * One trained network (its key parameters, loss curve and rows of samples) or one network's
   * stylized images (each input above its output).
   *
   * @param anchor HTML id ({@code net-<run_id>} for a trained network)
   * @param title what it is: network kind, style and run id
   * @param facts key parameters and outcome
   * @param chart relative URL of the training loss chart, or null
   * @param chartAlt text alternative of the chart
   * @param rows labelled rows of images: checkpoints, seeds, stylized inputs
   */
  public record Gallery(
      String anchor,
      String title,
      List<Fact> facts,
      String chart,
      String chartAlt,
      List<TileRow> rows) {}

  /**
   * A labelled row of images.
   *
   * @param label what the row shows (checkpoints by step, seeds)
   * @param tiles the images, left to right
   */
  public record TileRow(String label, List<Tile> tiles) {}

  /**
   * One image of a row, with an optional input shown above it.
   *
   * @param input relative URL of the input image (a stylized image's content), or null
   * @param inputAlt text alternative of the input
   * @param image relative URL of the image, or null when it is missing (a failed run)
   * @param alt text alternative of the image
   * @param caption the step, the seed, or the input's name and the ms per image
   */
  public record Tile(String input, String inputAlt, String image, String alt, String caption) {}

  /**
   * One clip × style of the videos section.
   *
   * @param title clip and style file names
   * @param players the original, then each run (frame by frame first)
   * @param chart relative URL of the per-frame temporal error chart, or null
   * @param chartAlt text alternative of the chart
   */
  public record VideoGroup(
      String title, List<VideoPlayer> players, String chart, String chartAlt) {}

  /**
   * One video side by side with the others.
   *
   * @param label what it shows (original, or the run's temporal mode and id)
   * @param video relative URL of the mp4, or null when missing
   * @param poster relative URL of the GIF preview (poster and fallback), or null
   * @param frames evenly spaced frames of the run; empty for the original
   */
  public record VideoPlayer(String label, String video, String poster, List<StripFrame> frames) {

    /** Whether there is a frame strip (the template's test). */
    public boolean hasFrames() {
      return !frames.isEmpty();
    }
  }

  /**
   * One frame of a strip.
   *
   * @param image relative URL of the frame PNG
   * @param caption run and frame number
   */
  public record StripFrame(String image, String caption) {}

  /**
   * A grid and the loss curves of its runs.
   *
   * @param title what the grid shows
   * @param grid relative URL of the grid PNG
   * @param chart relative URL of the loss chart, or null when no run has a loss history
   * @param alt text alternative for the grid
   * @param links one link per run cell to its full-size result image, placed over the grid
   */
  public record Figure(String title, String grid, String chart, String alt, List<CellLink> links) {}

  /**
   * A link laid over one cell of a grid image, in percent of the image's size so that it stays on
   * its cell however the page scales the image.
   *
   * @param left left edge, percent of the width
   * @param top top edge, percent of the height
   * @param width percent of the width
   * @param height percent of the height
   * @param href relative URL of the full-size result image
   * @param label what the cell shows (title and accessible name)
   */
  public record CellLink(
      String left, String top, String width, String height, String href, String label) {}

  /**
   * A table.
   *
   * @param caption shown above it
   * @param headers column titles
   * @param rows the rows
   */
  public record Table(String caption, List<String> headers, List<Row> rows) {}

  /** A table row. */
  public record Row(List<Cell> cells) {}

  /**
   * A table cell.
   *
   * @param text the text (escaped by the template)
   * @param cls CSS class: {@code num} for numbers, {@code ok}/{@code failed} for status, or empty
   * @param image relative URL of a thumbnail, or null
   * @param pre whether the text is preformatted (error messages)
   * @param href where the text links to (a run's detail view), or null
   */
  public record Cell(String text, String cls, String image, boolean pre, String href) {
    static Cell text(String text) {
      return new Cell(text == null ? "" : text, "", null, false, null);
    }

    static Cell number(String text) {
      return new Cell(text, "num", null, false, null);
    }

    static Cell styled(String text, String cls) {
      return new Cell(text, cls, null, false, null);
    }

    static Cell image(String url, String alt) {
      return new Cell(alt, "thumb", url, false, null);
    }

    static Cell link(String text, String href) {
      return new Cell(text, "", null, false, href);
    }

    static Cell preformatted(String text) {
      return new Cell(text == null ? "" : text, "error", null, true, null);
    }
  }
}
