package org.stylesweep.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stylesweep.spec.LineSearch;

/**
 * The optimizers evaluate the objective at the same points as torch's: every loss of every closure
 * call, in order, matches the committed fixture that {@code tools/parity/make_optim_fixtures.py}
 * recorded with PyTorch in float64.
 */
class TorchParityTest {

  private static final String FIXTURE = "/parity/optim.json";

  /** Relative tolerance on each loss and on the final parameters. */
  private static final double RELATIVE = 1e-5;

  /**
   * Floor of the scale the relative tolerance applies to: near a minimum at 0, losses of 1e-10 are
   * dominated by rounding, in torch as here.
   */
  private static final double SCALE_FLOOR = 1e-6;

  static Stream<Named<JsonNode>> cases() throws IOException {
    JsonNode fixture = fixture();
    List<Named<JsonNode>> cases = new ArrayList<>();
    for (JsonNode testCase : fixture.get("cases")) {
      cases.add(Named.of(testCase.get("name").asText(), testCase));
    }
    return cases.stream();
  }

  private static JsonNode fixture() throws IOException {
    try (InputStream in = TorchParityTest.class.getResourceAsStream(FIXTURE)) {
      assertThat(in).as("fixture " + FIXTURE + " on the test classpath").isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void optimizerMatchesTorchLossSequence(JsonNode testCase) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(doubles(testCase.get("x0")));
      TestObjectives.Recording recording =
          new TestObjectives.Recording(objective(testCase.get("problem").asText(), manager));

      OptimResult result = optimizer(testCase).minimize(x, recording);

      double[] torchLosses = doubles(testCase.get("losses"));
      assertThat(recording.losses).as("number of evaluations").hasSize(torchLosses.length);
      assertThat(result.evaluations()).isEqualTo(testCase.get("evaluations").asInt());
      for (int i = 0; i < torchLosses.length; i++) {
        assertClose("loss of evaluation " + (i + 1), recording.losses.get(i), torchLosses[i]);
      }
      double[] torchFinal = doubles(testCase.get("x_final"));
      double[] javaFinal = x.toDoubleArray();
      for (int i = 0; i < torchFinal.length; i++) {
        assertClose("x_final[" + i + "]", javaFinal[i], torchFinal[i]);
      }
    }
  }

  @Test
  void cubicInterpolationMatchesTorch() throws IOException {
    JsonNode cases = fixture().get("cubic_interpolate");
    assertThat(cases).isNotEmpty();
    for (JsonNode c : cases) {
      double x1 = c.get("x1").asDouble();
      double f1 = c.get("f1").asDouble();
      double g1 = c.get("g1").asDouble();
      double x2 = c.get("x2").asDouble();
      double f2 = c.get("f2").asDouble();
      double g2 = c.get("g2").asDouble();
      JsonNode bounds = c.get("bounds");
      double actual =
          bounds.isNull()
              ? StrongWolfe.cubicInterpolate(x1, f1, g1, x2, f2, g2)
              : StrongWolfe.cubicInterpolate(
                  x1, f1, g1, x2, f2, g2, bounds.get(0).asDouble(), bounds.get(1).asDouble());
      assertThat(actual).as("cubic through %s", c).isEqualTo(c.get("result").asDouble());
    }
  }

  private static void assertClose(String what, double actual, double expected) {
    double tolerance = RELATIVE * Math.max(Math.abs(expected), SCALE_FLOOR);
    assertThat(Math.abs(actual - expected))
        .as("%s: java %s vs torch %s", what, actual, expected)
        .isLessThanOrEqualTo(tolerance);
  }

  private static Objective objective(String problem, NDManager manager) throws IOException {
    switch (problem) {
      case "rosenbrock":
        return TestObjectives.rosenbrockAutograd();
      case "quadratic":
        JsonNode quadratic = fixture().get("problems").get("quadratic");
        JsonNode rows = quadratic.get("A");
        double[][] matrix = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
          matrix[i] = doubles(rows.get(i));
        }
        return TestObjectives.quadraticAutograd(
            manager.create(matrix), manager.create(doubles(quadratic.get("b"))));
      default:
        throw new IllegalArgumentException("fixture names an unknown problem: " + problem);
    }
  }

  /** The Java optimizer configured as the torch one was (torch's defaults where unset). */
  private static Optimizer optimizer(JsonNode testCase) {
    JsonNode settings = testCase.get("settings");
    String kind = testCase.get("optimizer").asText();
    if (kind.equals("adam")) {
      return Adam.builder()
          .lr(settings.path("lr").asDouble(1e-3))
          .maxEvaluations(settings.get("max_eval").asInt())
          .build();
    }
    int maxIter = settings.path("max_iter").asInt(20);
    String lineSearch = settings.path("line_search_fn").asText("none");
    return Lbfgs.builder()
        .lr(settings.path("lr").asDouble(1.0))
        .maxIterations(maxIter)
        .maxEvaluations(settings.path("max_eval").asInt(maxIter * 5 / 4))
        .historySize(settings.path("history_size").asInt(100))
        .toleranceGrad(settings.path("tolerance_grad").asDouble(1e-7))
        .toleranceChange(settings.path("tolerance_change").asDouble(1e-9))
        .lineSearch(LineSearch.parse(lineSearch.equals("null") ? "none" : lineSearch))
        .build();
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }
}
