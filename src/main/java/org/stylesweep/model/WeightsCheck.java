package org.stylesweep.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a weights file before it is trusted: every needed key present with the right shape.
 * The downloader runs it on a finished download before renaming it into the cache.
 */
@FunctionalInterface
public interface WeightsCheck {
  /**
   * Problems found in the file, each a sentence naming the key, the expected and the found shape.
   *
   * @return an empty list when the file is usable
   * @throws IOException when the file cannot be read as weights at all (truncated, not a weights file)
   */
  List<String> problems(Path file) throws IOException;
}
