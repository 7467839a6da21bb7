package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders and globs as {@code contents}/{@code styles}: expansion on local disk, allow_empty. */
class InputExpansionTest {

  @TempDir Path dir;
  ManifestFixtures fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixtures(dir).withSamples();
    fx.image("inbox/b.png", 8, Color.RED);
    fx.image("inbox/a.JPG", 8, Color.GREEN);
    fx.image("inbox/deep/c.png", 8, Color.BLUE);
    fx.image("inbox/deep/deeper/d.png", 8, Color.BLACK);
    fx.file("inbox/notes.txt", "not an image");
    fx.file("inbox/_SUCCESS", "");
  }

  private List<String> names(List<String> uris) {
    return uris.stream().map(u -> u.substring(u.indexOf("/inbox/") + "/inbox/".length())).toList();
  }

  @Test
  void aFolderGivesItsImagesSortedAndAGlobTheSameList() throws Exception {
    InputExpander expander = new InputExpander(new Configuration());
    InputExpander.Expansion folder =
        expander.expand(new org.apache.hadoop.fs.Path(dir.resolve("inbox").toString()));
    InputExpander.Expansion glob =
        expander.expand(new org.apache.hadoop.fs.Path(dir.resolve("inbox") + "/*.{png,JPG}"));

    assertThat(folder.kind()).isEqualTo(InputExpander.Kind.FOLDER);
    assertThat(glob.kind()).isEqualTo(InputExpander.Kind.GLOB);
    assertThat(names(folder.files())).containsExactly("a.JPG", "b.png");
    assertThat(glob.files()).isEqualTo(folder.files());
    assertThat(folder.files()).allMatch(u -> u.startsWith("file:/"));
  }

  @Test
  void doubleStarMatchesAnyDepth() throws Exception {
    InputExpander.Expansion deep =
        new InputExpander(new Configuration())
            .expand(new org.apache.hadoop.fs.Path(dir.resolve("inbox") + "/**/*.png"));
    assertThat(names(deep.files())).containsExactly("b.png", "deep/c.png", "deep/deeper/d.png");
  }

  @Test
  void manifestExpandsFoldersAndGlobsAndRecordsThemInTheEffectiveManifest() throws Exception {
    fx.file(
        "jobs/grow.yaml",
        """
        name: grow
        contents: [../inbox/, ../inbox/b.png, ../inbox/deep/*.png]
        styles: [../samples/style/*.png]
        """);
    Manifest m = fx.parse("grow.yaml");

    // b.png listed by the folder and by name counts once, at its first place.
    assertThat(names(m.contents())).containsExactly("a.JPG", "b.png", "deep/c.png");
    assertThat(m.styles()).hasSize(2).allMatch(s -> s.matches(".*/(blue|yellow)\\.png"));
    assertThat(m.patterns().get("contents")).hasSize(2);
    assertThat(m.patterns().get("contents").get(0)).endsWith("/inbox/");
    String yaml = m.toYaml();
    assertThat(yaml).contains("# contents expanded from file:" + dir.resolve("inbox") + "/");
    assertThat(yaml).contains("# styles expanded from file:" + dir.resolve("samples/style/*.png"));
    assertThat(yaml).contains("- file:" + dir.resolve("inbox/deep/c.png"));
  }

  @Test
  void anEmptyGlobIsAnErrorNamingThePattern() {
    fx.file(
        "jobs/empty.yaml",
        """
        name: empty
        contents: [../inbox/*.webp]
        styles: [../samples/style/blue.png]
        """);
    assertThatThrownBy(() -> fx.parse("empty.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("contents[0]")
        .hasMessageContaining("inbox/*.webp matches no file")
        .hasMessageContaining("allow_empty: true");
  }

  @Test
  void anEmptyFolderIsAnErrorUnlessAllowed() throws Exception {
    fx.file("empty/readme.txt", "no images yet");
    fx.file(
        "jobs/empty.yaml",
        """
        name: empty
        contents: [../empty]
        styles: [../samples/style/blue.png]
        """);
    assertThatThrownBy(() -> fx.parse("empty.yaml"))
        .hasMessageContaining("holds no image")
        .hasMessageContaining("empty/");

    Manifest allowed = fx.parse("empty.yaml", "allow_empty=true");
    assertThat(allowed.contents()).isEmpty();
    assertThat(allowed.runCount()).isZero();
    assertThat(allowed.toYaml()).contains("allow_empty: true");
  }

  @Test
  void allowEmptyMustBeABoolean() {
    fx.file(
        "jobs/bad.yaml",
        """
        name: bad
        contents: [../samples/content/red.png]
        styles: [../samples/style/blue.png]
        allow_empty: sometimes
        """);
    assertThatThrownBy(() -> fx.parse("bad.yaml")).hasMessageContaining("allow_empty");
  }

  @Test
  void aPlainListOfMissingFilesIsStillFileNotFound() {
    fx.file(
        "jobs/missing.yaml",
        """
        name: missing
        contents: [../inbox/zzz.png]
        styles: [../samples/style/blue.png]
        """);
    assertThatThrownBy(() -> fx.parse("missing.yaml")).hasMessageContaining("file not found");
  }
}
