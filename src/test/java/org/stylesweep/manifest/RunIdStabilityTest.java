package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.stylesweep.spec.ContentLossKind;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.LineSearch;
import org.stylesweep.spec.ModelSpec;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.OptimizerKind;
import org.stylesweep.spec.Param;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;
import org.stylesweep.spec.WeightsSource;

/**
 * Run ids must survive upgrades: an output folder of a scheduled sweep resumes (every run skipped)
 * after the code adds parameters. The pinned ids were computed by the release before the parameter
 * table existed (commit 7e9da3e), for the same inputs.
 */
class RunIdStabilityTest {
  static final String CONTENT = "a".repeat(64);
  static final String STYLE = "b".repeat(64);

  static final ModelSpec RANDOM_0 =
      new ModelSpec(
          new WeightsSource.Random(0),
          "random:0",
          Normalization.IMAGENET,
          Pooling.MAX,
          DeviceChoice.AUTO);

  @Test
  void defaultsKeepTheirRunId() {
    assertThat(RunIds.of(Task.TRANSFER, RANDOM_0, CONTENT, STYLE, RunParams.defaults()))
        .isEqualTo("b49be82796ee9c5d");
  }

  @Test
  void textureWithAFileModelKeepsItsRunId() {
    RunParams texture =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, 128)
            .with(Params.STYLE_LAYERS, List.of("conv1_1"))
            .with(Params.INIT, Init.NOISE)
            .with(Params.SEED, 3L);
    ModelSpec file =
        new ModelSpec(
            new WeightsSource.File("file:/w/vgg19.safetensors"),
            "vgg19.safetensors@0123456789ab",
            Normalization.CAFFE,
            Pooling.AVG,
            DeviceChoice.GPU);

    assertThat(RunIds.of(Task.TEXTURE, file, null, STYLE, texture)).isEqualTo("4b51c9b253c4ce94");
  }

  @Test
  void everyFirstReleaseParameterAwayFromItsDefaultKeepsItsRunId() {
    RunParams changed =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, 64)
            .with(Params.STYLE_SCALE, 0.5)
            .with(Params.STEPS, 50)
            .with(Params.OPTIMIZER, OptimizerKind.ADAM)
            .with(Params.LINE_SEARCH, LineSearch.STRONG_WOLFE)
            .with(Params.LR, 0.02)
            .with(Params.CONTENT_LAYERS, List.of("conv2_1", "conv3_1"))
            .with(Params.STYLE_LAYERS, List.of("conv1_1", "conv2_1"))
            .with(Params.STYLE_LAYER_WEIGHTS, List.of(1.0, 0.5))
            .with(Params.CONTENT_WEIGHT, 2.5)
            .with(Params.STYLE_WEIGHT, 0.0)
            .with(Params.TV_WEIGHT, 1e-3)
            .with(Params.GRAM_NORM, GramNorm.HW)
            .with(Params.CONTENT_LOSS, ContentLossKind.SUM)
            .with(Params.INIT, Init.NOISE)
            .with(Params.CLAMP, org.stylesweep.spec.Clamp.CLOSURE)
            .with(Params.SEED, -7L);
    ModelSpec random1 =
        new ModelSpec(
            new WeightsSource.Random(1),
            "random:1",
            Normalization.IMAGENET,
            Pooling.MAX,
            DeviceChoice.CPU);

    assertThat(RunIds.of(Task.RECONSTRUCT, random1, CONTENT, null, changed))
        .isEqualTo("b766938f631c1503");
  }

  @Test
  void laterParametersEnterTheRunIdOnlyAwayFromTheirDefault() {
    RunParams defaults = RunParams.defaults();
    String id = RunIds.of(Task.TRANSFER, RANDOM_0, CONTENT, STYLE, defaults);
    for (Param<?> p : Params.ALL) {
      if (!p.alwaysInRunId()) {
        assertThat(RunIds.of(Task.TRANSFER, RANDOM_0, CONTENT, STYLE, withDefault(defaults, p)))
            .as("%s at its default", p.key())
            .isEqualTo(id);
      }
    }
  }

  @Test
  void lbfgsHistoryAwayFromItsDefaultMakesANewRun() {
    String id = RunIds.of(Task.TRANSFER, RANDOM_0, CONTENT, STYLE, RunParams.defaults());
    assertThat(
            RunIds.of(
                Task.TRANSFER,
                RANDOM_0,
                CONTENT,
                STYLE,
                RunParams.defaults().with(Params.LBFGS_HISTORY, 5)))
        .isNotEqualTo(id);
  }

  private static <T> RunParams withDefault(RunParams params, Param<T> p) {
    return params.with(p, p.defaultValue());
  }
}
