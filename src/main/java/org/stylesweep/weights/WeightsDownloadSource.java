package org.stylesweep.weights;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.stylesweep.spec.ModelConfig;

/**
 * The download step of {@code model.weights: auto}: fetches {@code model.weights_url} into the
 * cache on the driver (see {@link WeightsDownloader}), after the cache had nothing usable.
 *
 * <p>It throws {@link WeightsDownloadException} when the download cannot happen or gives an invalid
 * file; the {@link WeightsResolver} then falls back to {@code random:0} and names that cause in its
 * warning.
 */
public final class WeightsDownloadSource implements WeightsResolver.AutoSource {
  private final WeightsDownloader downloader;
  private final WeightsCheck check;

  /**
   * @param downloader how to download (progress on stderr, attempts)
   * @param check what a downloaded file must hold, e.g. {@link WeightsCheck#vgg19()}
   */
  public WeightsDownloadSource(WeightsDownloader downloader, WeightsCheck check) {
    this.downloader = downloader;
    this.check = check;
  }

  @Override
  public Optional<Path> find(ModelConfig config, Path cacheDir, boolean mayDownload)
      throws IOException {
    if (!mayDownload) {
      return Optional.empty();
    }
    if (cacheDir.toUri().getScheme() != null && !"file".equals(cacheDir.toUri().getScheme())) {
      throw new IOException(
          "the weights cache must be a local folder, got "
              + cacheDir
              + "; set STYLESWEEP_CACHE to a local path");
    }
    URI url = URI.create(config.weightsUrl());
    WeightsDownloader.Result result =
        downloader.fetch(
            url, java.nio.file.Path.of(cacheDir.toUri().getPath()), config.weightsSha256(), check);
    return Optional.of(new Path(result.file().toUri()));
  }
}
