package org.stylesweep.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README stays short, and every relative link or image in the README and the docs/ pages leads
 * to a file inside the repository (a clone has nothing beside it).
 */
class DocsLinksTest {
  static final Path ROOT = Path.of("").toAbsolutePath().normalize();
  static final int README_LIMIT = 12 * 1024;

  /** [text](target) and ![alt](target); the target may be in angle brackets and carry a "title". */
  static final Pattern INLINE =
      Pattern.compile(
          "!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(\\s*(<[^>]*>|[^)\\s]+)(?:\\s+\"[^\"]*\")?\\s*\\)");

  /** [label]: target (reference definitions). */
  static final Pattern REFERENCE = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");

  static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

  @Test
  void readmeIsAtMost12KiB() throws IOException {
    assertThat(Files.size(ROOT.resolve("README.md")))
        .as("README.md size in bytes")
        .isLessThanOrEqualTo(README_LIMIT);
  }

  @Test
  void everyRelativeLinkAndImageResolvesInsideTheRepository() throws IOException {
    List<Path> pages = docPages(ROOT);
    assertThat(pages).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/manifest.md"));
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      broken.addAll(brokenLinks(ROOT, page));
    }
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void theReadmeLinksEveryDocsPage() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (Path page : docPages(ROOT)) {
      if (page.getParent().equals(ROOT.resolve("docs"))) {
        assertThat(readme)
            .as("README links %s", ROOT.relativize(page))
            .contains("](docs/" + page.getFileName() + ")");
      }
    }
  }

  @Test
  void theCheckReportsMissingFilesAndLinksThatLeaveTheRepository(@TempDir Path repo)
      throws IOException {
    Files.createDirectories(repo.resolve("docs"));
    Files.writeString(repo.resolve("docs/there.md"), "# There\n");
    Files.writeString(repo.resolve("shot.png"), "png");
    Files.writeString(
        repo.resolve("README.md"),
        String.join(
            "\n",
            "A [page](docs/there.md#there), a ![picture](shot.png \"title\") and [the web](https://example.org).",
            "A [missing page](docs/gone.md) and [a note outside](../shared/DESIGN.md).",
            "![missing picture](docs/nope.png) and [an anchor](#a) and [mail](mailto:a@example.org)",
            "`[in code](not/checked.md)`",
            "```",
            "[in a fence](not/checked/either.md)",
            "```",
            "[ref]: docs/also-gone.md",
            ""));

    assertThat(brokenLinks(repo, repo.resolve("README.md")))
        .containsExactly(
            "README.md:2: docs/gone.md (no such file)",
            "README.md:2: ../shared/DESIGN.md (outside the repository)",
            "README.md:3: docs/nope.png (no such file)",
            "README.md:8: docs/also-gone.md (no such file)");
  }

  /** README.md, the other top-level .md files and docs/*.md. */
  static List<Path> docPages(Path root) throws IOException {
    List<Path> pages = new ArrayList<>();
    for (Path dir : List.of(root, root.resolve("docs"))) {
      try (Stream<Path> files = Files.list(dir)) {
        files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
      }
    }
    return pages;
  }

  /**
   * "file:line: target (why)" for each relative link of {@code page} that does not resolve inside
   * {@code root}.
   */
  static List<String> brokenLinks(Path root, Path page) throws IOException {
    List<String> broken = new ArrayList<>();
    List<String> lines = Files.readAllLines(page);
    boolean fence = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.strip().startsWith("```") || line.strip().startsWith("~~~")) {
        fence = !fence;
        continue;
      }
      if (fence) {
        continue;
      }
      String text = line.replaceAll("`[^`]*`", "``");
      List<String> targets = new ArrayList<>();
      for (Pattern pattern : List.of(INLINE, REFERENCE)) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
          targets.add(m.group(1));
        }
      }
      for (String target : targets) {
        String why = problem(root, page, target);
        if (why != null) {
          broken.add(root.relativize(page) + ":" + (i + 1) + ": " + target + " (" + why + ")");
        }
      }
    }
    return broken;
  }

  /**
   * Why {@code target}, linked from {@code page}, does not resolve; null when it does or is not
   * checked.
   */
  static String problem(Path root, Path page, String target) {
    String t =
        target.startsWith("<") && target.endsWith(">")
            ? target.substring(1, target.length() - 1)
            : target;
    String lower = t.toLowerCase();
    if (lower.startsWith("http://")
        || lower.startsWith("https://")
        || lower.startsWith("mailto:")) {
      return null;
    }
    if (SCHEME.matcher(t).find()) {
      return "not a relative link";
    }
    int cut = t.indexOf('#');
    String path = cut < 0 ? t : t.substring(0, cut);
    cut = path.indexOf('?');
    path = cut < 0 ? path : path.substring(0, cut);
    if (path.isEmpty()) {
      return null; // an anchor in the same page
    }
    if (path.startsWith("/")) {
      return "absolute path";
    }
    path =
        java.net.URLDecoder.decode(
            path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    Path resolved = page.toAbsolutePath().getParent().resolve(path).normalize();
    if (!resolved.startsWith(root.toAbsolutePath().normalize())) {
      return "outside the repository";
    }
    return Files.exists(resolved) ? null : "no such file";
  }
}
