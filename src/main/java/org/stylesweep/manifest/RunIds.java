package org.stylesweep.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

/**
 * Deterministic run ids: the first 16 hex digits of a SHA-256 over a canonical JSON of everything
 * that decides a run's result (task, every parameter, the weights id, normalization, pooling and
 * the SHA-256 of each input image's bytes). Parameters added after the first release enter only
 * when set away from their default (see {@link Param#alwaysInRunId()}), so an existing output
 * folder still resumes after an upgrade that adds parameters. Paths, the sweep's name and the
 * device are left out, so a moved input or a renamed sweep keeps its finished runs.
 */
public final class RunIds {
  private RunIds() {}

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /**
   * @param contentSha256 hex SHA-256 of the content image's bytes, or null
   * @param styleSha256 hex SHA-256 of the style image's bytes, or null
   */
  public static String of(
      Task task, ModelSpec model, String contentSha256, String styleSha256, RunParams params) {
    TreeMap<String, Object> fields = new TreeMap<>();
    for (Param<?> p : Params.ALL) {
      // Keys added after the first release enter only when set, so upgrades keep every old id.
      if (p.alwaysInRunId() || !params.isDefault(p)) {
        fields.put(p.key(), Params.spelling(params.get(p)));
      }
    }
    fields.put("task", task.key());
    fields.put("weights_id", model.weightsId());
    fields.put("normalization", model.normalization().key());
    fields.put("pooling", model.pooling().key());
    fields.put("content_sha256", contentSha256);
    fields.put("style_sha256", styleSha256);
    try {
      return sha256(CANONICAL.writeValueAsBytes(fields)).substring(0, 16);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run parameters must serialize to JSON", e);
    }
  }

  /** Lower-case hex SHA-256 of the bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * Same as {@link #sha256(byte[])} for a stream read to its end in small blocks (memory does not
   * grow with its size).
   */
  public static String sha256(java.io.InputStream in) throws java.io.IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    byte[] block = new byte[1 << 16];
    for (int n = in.read(block); n >= 0; n = in.read(block)) {
      digest.update(block, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Same as {@link #sha256(byte[])} for text (UTF-8). */
  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
