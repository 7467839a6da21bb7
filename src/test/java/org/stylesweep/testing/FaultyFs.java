package org.stylesweep.testing;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * {@link FaultyLocalFileSystem} for Hadoop's {@code FileContext} API (which atomic
 * rename-with-overwrite goes through), registered as {@code fs.AbstractFileSystem.faulty.impl}.
 */
public final class FaultyFs extends DelegateToFileSystem {

  /** Called by Hadoop through reflection. */
  public FaultyFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(uri, new FaultyLocalFileSystem(), conf, FaultyLocalFileSystem.SCHEME, false);
  }

  @Override
  public int getUriDefaultPort() {
    return -1;
  }
}
