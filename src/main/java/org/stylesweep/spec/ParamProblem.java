package org.stylesweep.spec;

/**
 * One problem with a run's parameters, as the shared validator ({@link RunParamsCheck}) states it.
 * The manifest parser turns the key into a field path ({@code sweep.style_layer_weights}); the
 * engine joins the problems into the run's error.
 *
 * @param key the parameter the problem is reported at
 * @param value the offending value, as manifests spell it
 * @param message what is wrong and what to do
 */
public record ParamProblem(String key, Object value, String message) {

  @Override
  public String toString() {
    return key + " = " + value + ": " + message;
  }
}
