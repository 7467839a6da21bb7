package org.stylesweep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.List;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.RunParams;

/** {@code --run-set KEY=VALUE}: a run parameter spelled as in a manifest's {@code defaults}. */
final class RunSettings {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RunSettings() {}

  /**
   * The parameters with each {@code KEY=VALUE} applied in order.
   *
   * @throws IllegalArgumentException naming the setting and what is wrong
   */
  static RunParams apply(RunParams params, List<String> settings) {
    RunParams p = params;
    for (String setting : settings == null ? List.<String>of() : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "--run-set '" + setting + "' is not KEY=VALUE, e.g. style_weight=100");
      }
      String key = setting.substring(0, eq).trim();
      Param<?> param = Params.byKey(key);
      if (param == null) {
        throw new IllegalArgumentException(
            "--run-set " + setting + ": unknown run parameter '" + key + "'");
      }
      p = with(p, param, setting.substring(eq + 1), setting);
    }
    return p;
  }

  private static <T> RunParams with(RunParams p, Param<T> param, String value, String setting) {
    try {
      JsonNode node = YAML.readTree(value.isBlank() ? "''" : value);
      return p.with(param, param.parse(node));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--run-set " + setting + ": " + e.getMessage());
    }
  }
}
