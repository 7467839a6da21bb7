package org.stylesweep.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The pieces of {@link TrainingSection} that need no Spark: naming and spacing. */
class TrainingSectionTest {
  @Test
  void aModelFileInAModelsFolderNamesItsTrainingRun() {
    assertThat(TrainingSection.trainingRunOf("file:/data/out/models/3df58757/model.safetensors"))
        .isEqualTo("3df58757");
    assertThat(
            TrainingSection.trainingRunOf("s3a://b/out/models/ab12/checkpoint-000100.safetensors"))
        .isEqualTo("ab12");
    assertThat(TrainingSection.trainingRunOf("/home/me/nets/mosaic.safetensors")).isNull();
    assertThat(TrainingSection.trainingRunOf("model.safetensors")).isNull();
  }

  @Test
  void manyCheckpointsAreThinnedEvenlyKeepingTheFirstAndTheLast() {
    List<Integer> eighty = IntStream.rangeClosed(1, 80).map(k -> 500 * k).boxed().toList();

    List<Integer> shown = TrainingSection.spaced(eighty, 12);

    assertThat(shown)
        .hasSize(12)
        .startsWith(500)
        .endsWith(40_000)
        .isSorted()
        .doesNotHaveDuplicates();
    assertThat(TrainingSection.spaced(List.of(1, 2, 3), 12)).containsExactly(1, 2, 3);
  }

  @Test
  void eachNetworkKindListsOnlyTheKeysItReads() {
    assertThat(TrainingSection.shapesTheNetwork("train_crop", false)).isTrue();
    assertThat(TrainingSection.shapesTheNetwork("train_crop", true)).isFalse();
    assertThat(TrainingSection.shapesTheNetwork("texture_scales", true)).isTrue();
    assertThat(TrainingSection.shapesTheNetwork("texture_scales", false)).isFalse();
    assertThat(TrainingSection.shapesTheNetwork("style_layers", true)).isTrue();
    assertThat(TrainingSection.shapesTheNetwork("style_layers", false)).isFalse();
    assertThat(TrainingSection.shapesTheNetwork("checkpoint_every", true)).isTrue();
    assertThat(TrainingSection.shapesTheNetwork("init", false)).isFalse();
  }
}
