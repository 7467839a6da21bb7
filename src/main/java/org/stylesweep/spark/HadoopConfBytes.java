package org.stylesweep.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (with every {@code spark.hadoop.*} setting, s3a credentials
 * included) in a form that travels to executors inside a broadcast. It is never logged.
 */
final class HadoopConfBytes implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private transient Configuration conf;

  HadoopConfBytes(Configuration conf) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(out)) {
      conf.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.bytes = out.toByteArray();
  }

  /** The configuration, decoded once per JVM copy. */
  synchronized Configuration get() {
    if (conf == null) {
      Configuration decoded = new Configuration(false);
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
        decoded.readFields(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      conf = decoded;
    }
    return conf;
  }
}
