package org.stylesweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aStringAndAListSpellTheSameCanonicalSchedule() throws Exception {
    List<String> fromString =
        Params.STAGES.parse(JSON.readTree("\"256:200, 512:100:lbfgs_history=20\""));
    List<String> fromList =
        Params.STAGES.parse(
            JSON.readTree("[\"256:200\", \"512:100:lbfgs_history=20:style_scale=1.50\"]"));
    assertThat(fromString).containsExactly("256:200", "512:100:lbfgs_history=20");
    assertThat(fromList).containsExactly("256:200", "512:100:style_scale=1.5:lbfgs_history=20");
    assertThat(Params.STAGES.parse(JSON.readTree("\"\""))).isEmpty();
  }

  @Test
  void badStagesAreRefusedSayingWhatIsWrong() {
    assertThatThrownBy(() -> Stages.parse(List.of("512:100,256:200")))
        .hasMessageContaining("rise from coarse to fine")
        .hasMessageContaining("256:200");
    assertThatThrownBy(() -> Stages.parse(List.of("256")))
        .hasMessageContaining("'256' is not SIZE:STEPS");
    assertThatThrownBy(() -> Stages.parse(List.of("256:0")))
        .hasMessageContaining("steps of stage '256:0' is 0");
    assertThatThrownBy(() -> Stages.parse(List.of("256:10:history=5")))
        .hasMessageContaining("unknown or repeated option 'history'");
    assertThatThrownBy(() -> Stages.parse(List.of("5000:10")))
        .hasMessageContaining("from 1 to 4096");
  }

  @Test
  void theLastStageMustBeImageSize() {
    RunParams p =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, 512)
            .with(Params.STAGES, List.of("128:100", "256:50"));
    assertThat(RunParamsCheck.problems(Task.TRANSFER, p))
        .singleElement()
        .satisfies(
            problem -> {
              assertThat(problem.key()).isEqualTo("stages");
              assertThat(problem.message())
                  .contains("last stage (256:50)", "image_size (512)", "set image_size to 256");
            });
    assertThat(
            RunParamsCheck.problems(
                Task.TRANSFER, p.with(Params.STAGES, List.of("128:100", "512:50"))))
        .isEmpty();
  }

  @Test
  void aStageAppliesItsSizeStepsAndOverridesToTheRun() {
    RunParams run =
        RunParams.defaults()
            .with(Params.IMAGE_SIZE, 512)
            .with(Params.STAGES, List.of("256:200:style_scale=2", "512:100:lbfgs_history=7"));
    List<Stages.Stage> stages = Stages.of(run);
    RunParams first = stages.get(0).apply(run);
    RunParams second = stages.get(1).apply(run);
    assertThat(first.get(Params.IMAGE_SIZE)).isEqualTo(256);
    assertThat(first.get(Params.STEPS)).isEqualTo(200);
    assertThat(first.get(Params.STYLE_SCALE)).isEqualTo(2.0);
    assertThat(first.get(Params.LBFGS_HISTORY)).isEqualTo(100);
    assertThat(second.get(Params.STYLE_SCALE)).isEqualTo(1.0);
    assertThat(second.get(Params.LBFGS_HISTORY)).isEqualTo(7);
    assertThat(second.get(Params.STAGES)).isEmpty();
    assertThat(Stages.totalSteps(run)).isEqualTo(300);
    assertThat(Stages.largestStyleSide(run)).isEqualTo(512.0);
  }
}
