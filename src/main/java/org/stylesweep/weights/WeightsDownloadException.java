package org.stylesweep.weights;

import java.io.IOException;
import java.net.URI;

/**
 * A download of weights that could not happen or gave an unusable file. The message says what went
 * wrong (refused, HTTP status, cut too often, invalid file naming the key); {@link #url()} is the
 * address that was tried.
 */
public class WeightsDownloadException extends IOException {
  private static final long serialVersionUID = 1L;

  private final URI url;

  /** A failure with its cause. */
  public WeightsDownloadException(URI url, String message, Throwable cause) {
    super(message, cause);
    this.url = url;
  }

  /** A failure without an underlying exception (an HTTP status, an invalid file). */
  public WeightsDownloadException(URI url, String message) {
    super(message);
    this.url = url;
  }

  /** The address the download tried. */
  public URI url() {
    return url;
  }
}
