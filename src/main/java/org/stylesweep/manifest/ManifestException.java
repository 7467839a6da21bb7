package org.stylesweep.manifest;

import java.util.List;
import java.util.stream.Collectors;

/** A manifest that cannot run, with every problem found (not just the first). */
public final class ManifestException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final transient List<Problem> problems;

  /**
   * @param source the manifest's location
   * @param problems every problem, in the order found
   */
  public ManifestException(String source, List<Problem> problems) {
    super(format(source, problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  /** The manifest's location. */
  public String source() {
    return source;
  }

  /** Every problem found. */
  public List<Problem> problems() {
    return problems;
  }

  private static String format(String source, List<Problem> problems) {
    String header =
        source + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems");
    return header + "\n" + problems.stream().map(p -> "  - " + p).collect(Collectors.joining("\n"));
  }
}
