package org.stylesweep.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A sweep manifest small enough for a test: {@code random:0} weights, the transfer task, 32 px
 * images and 4 evaluations on the shallow layers (content {@code conv2_1}, style {@code conv1_1}
 * and {@code conv2_1}), so that a run takes a fraction of a second. A test sets what it is about
 * and keeps the rest:
 *
 * <pre>{@code
 * Path file = TinyManifest.named("grid")
 *     .contents(TinyManifest.sample("content/cat.png"))
 *     .styles(TinyManifest.sample("style/mosaic.png"))
 *     .extra("sweep: {seed: [0, 1]}")
 *     .writeInto(dir);
 * }</pre>
 *
 * <p>Inputs are written as given: absolute paths, paths relative to the manifest's own folder, or
 * URIs such as {@code s3a://bucket/key}.
 */
public final class TinyManifest {
  /** The repository's sample images ({@code samples/content}, {@code samples/style}), absolute. */
  public static final Path SAMPLES = Path.of("samples").toAbsolutePath();

  private final String name;
  private String model = "{weights: \"random:0\"}";
  private List<String> contents = List.of();
  private List<String> styles = List.of();
  private final Map<String, String> defaults = new LinkedHashMap<>();
  private final List<String> extra = new ArrayList<>();

  private TinyManifest(String name) {
    this.name = name;
    defaults.put("image_size", "32");
    defaults.put("steps", "4");
    defaults.put("content_layers", "[conv2_1]");
    defaults.put("style_layers", "[conv1_1, conv2_1]");
  }

  /** A manifest with this sweep name (it appears in the output and the report). */
  public static TinyManifest named(String name) {
    return new TinyManifest(name);
  }

  /** The absolute path of a sample image, for example {@code sample("content/cat.png")}. */
  public static Path sample(String relative) {
    return SAMPLES.resolve(relative);
  }

  /** The content images (paths or URIs, as the manifest should name them). */
  public TinyManifest contents(Object... inputs) {
    this.contents = Stream.of(inputs).map(String::valueOf).toList();
    return this;
  }

  /** The style images (paths or URIs, as the manifest should name them). */
  public TinyManifest styles(Object... inputs) {
    this.styles = Stream.of(inputs).map(String::valueOf).toList();
    return this;
  }

  /** The {@code model} mapping in YAML flow style; {@code {weights: "random:0"}} unless set. */
  public TinyManifest model(String flowMapping) {
    this.model = flowMapping;
    return this;
  }

  /** The evaluation budget of every run ({@code defaults.steps}); 4 unless set. */
  public TinyManifest steps(int steps) {
    return withDefault("steps", Integer.toString(steps));
  }

  /**
   * {@code defaults.content_layers}, for example {@code "[conv1_1]"}; {@code [conv2_1]} unless set.
   */
  public TinyManifest contentLayers(String yamlList) {
    return withDefault("content_layers", yamlList);
  }

  /**
   * {@code defaults.style_layers}, for example {@code "[conv1_1]"}; {@code [conv1_1, conv2_1]}
   * unless set.
   */
  public TinyManifest styleLayers(String yamlList) {
    return withDefault("style_layers", yamlList);
  }

  /** Sets (or adds, misspelt keys included) one entry of {@code defaults}, its value as YAML. */
  public TinyManifest withDefault(String key, String yamlValue) {
    defaults.put(key, yamlValue);
    return this;
  }

  /**
   * Top-level YAML appended after {@code defaults}, for example {@code "sweep: {seed: [0, 1]}"}.
   */
  public TinyManifest extra(String yaml) {
    extra.add(yaml);
    return this;
  }

  /** The manifest's text. */
  public String yaml() {
    StringBuilder yaml =
        new StringBuilder()
            .append("name: ")
            .append(name)
            .append('\n')
            .append("model: ")
            .append(model)
            .append('\n')
            .append("task: transfer\n")
            .append("contents: ")
            .append(flowList(contents))
            .append('\n')
            .append("styles: ")
            .append(flowList(styles))
            .append('\n')
            .append("defaults:\n");
    defaults.forEach(
        (key, value) -> yaml.append("  ").append(key).append(": ").append(value).append('\n'));
    extra.forEach(block -> yaml.append(block).append(block.endsWith("\n") ? "" : "\n"));
    return yaml.toString();
  }

  /** Writes {@link #yaml()} to {@code <folder>/<name>.yaml}; returns the file. */
  public Path writeInto(Path folder) {
    return writeTo(folder.resolve(name + ".yaml"));
  }

  /** Writes {@link #yaml()} to {@code file}, creating its folder; returns the file. */
  public Path writeTo(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, yaml());
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the test manifest " + file, e);
    }
  }

  private static String flowList(List<String> items) {
    return items.stream().collect(Collectors.joining(", ", "[", "]"));
  }
}
