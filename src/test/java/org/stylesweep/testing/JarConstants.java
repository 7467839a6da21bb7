package org.stylesweep.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The string constants of a library, for tests that check a configuration file names settings the
 * library really reads: a misspelt property is otherwise ignored without a word.
 */
public final class JarConstants {
  private JarConstants() {}

  /**
   * The raw bytes of every class file in the jar that holds {@code anchor}, as one ISO-8859-1
   * string: an ASCII constant of any class in it is a substring.
   */
  public static String of(Class<?> anchor) {
    Path jar;
    try {
      jar = Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("no jar location for " + anchor, e);
    }
    StringBuilder all = new StringBuilder();
    try (JarFile file = new JarFile(jar.toFile())) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        if (entry.getName().endsWith(".class")) {
          try (InputStream in = file.getInputStream(entry)) {
            all.append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).append('\n');
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
    return all.toString();
  }

  /**
   * The raw bytes of one class file next to {@code anchor} (e.g. {@code "SparkContext$.class"}).
   */
  public static String ofClassFile(Class<?> anchor, String classFileName) {
    try (InputStream in = anchor.getResourceAsStream(classFileName)) {
      if (in == null) {
        throw new IllegalStateException(classFileName + " not found next to " + anchor);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + classFileName, e);
    }
  }
}
