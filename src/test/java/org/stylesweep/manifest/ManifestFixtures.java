package org.stylesweep.manifest;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.stylesweep.model.VggLayers;

/** A temporary project folder with tiny images and manifests written by the tests. */
public final class ManifestFixtures {
  /** The real VGG-19 layer table, as the command line uses it. */
  public static final LayerNames LAYERS = name -> VggLayers.resolve(name).name();

  private final Path root;

  /**
   * @param root an empty temporary folder
   */
  public ManifestFixtures(Path root) {
    this.root = root;
  }

  /** The temporary folder. */
  public Path root() {
    return root;
  }

  /**
   * Writes a {@code size}×{@code size} PNG of one colour with a diagonal stripe at {@code
   * relative}.
   */
  public Path image(String relative, int size, Color color) {
    Path file = root.resolve(relative);
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, Math.abs(x - y) < 3 ? Color.WHITE.getRGB() : color.getRGB());
      }
    }
    try {
      Files.createDirectories(file.getParent());
      ImageIO.write(image, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Writes {@code text} at {@code relative}. */
  public Path file(String relative, String text) {
    Path file = root.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Two contents (red, green) and two styles (blue, yellow) under {@code samples/}. */
  public ManifestFixtures withSamples() {
    image("samples/content/red.png", 32, Color.RED);
    image("samples/content/green.png", 32, Color.GREEN);
    image("samples/style/blue.png", 32, Color.BLUE);
    image("samples/style/yellow.png", 32, Color.YELLOW);
    return this;
  }

  /** Parses {@code jobs/<name>} with the given overrides. */
  public Manifest parse(String name, String... overrides) throws ManifestException {
    return new ManifestParser(new Configuration(), LAYERS)
        .parse(root.resolve("jobs").resolve(name).toString(), List.of(overrides));
  }
}
