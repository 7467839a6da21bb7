package org.stylesweep.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * SHA-256 of every file the report writes ({@code grids/} and {@code report/}), by relative path.
 */
final class ReportFilesHashes {
  private ReportFilesHashes() {}

  static Map<String, String> of(Path out) throws IOException {
    Map<String, String> hashes = new TreeMap<>();
    for (String folder : List.of("grids", "report")) {
      if (!Files.isDirectory(out.resolve(folder))) {
        continue;
      }
      try (Stream<Path> files = Files.walk(out.resolve(folder))) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          hashes.put(out.relativize(file).toString(), sha256(Files.readAllBytes(file)));
        }
      }
    }
    return hashes;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }
}
