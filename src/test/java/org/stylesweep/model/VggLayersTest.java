package org.stylesweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VggLayersTest {

  @Test
  void tableMatchesTorchvisionFeatureIndices() {
    assertThat(VggLayers.all()).hasSize(37);
    assertThat(VggLayers.resolve("conv1_1").featureIndex()).isEqualTo(0);
    assertThat(VggLayers.resolve("relu1_1").featureIndex()).isEqualTo(1);
    assertThat(VggLayers.resolve("pool1").featureIndex()).isEqualTo(4);
    assertThat(VggLayers.resolve("conv2_1").featureIndex()).isEqualTo(5);
    assertThat(VggLayers.resolve("conv3_1").featureIndex()).isEqualTo(10);
    assertThat(VggLayers.resolve("conv4_1").featureIndex()).isEqualTo(19);
    assertThat(VggLayers.resolve("conv4_2").featureIndex()).isEqualTo(21);
    assertThat(VggLayers.resolve("conv5_1").featureIndex()).isEqualTo(28);
    assertThat(VggLayers.resolve("conv5_4").featureIndex()).isEqualTo(34);
    assertThat(VggLayers.resolve("pool5").featureIndex()).isEqualTo(36);
    assertThat(VggLayers.resolve("conv5_1").convCount()).isEqualTo(13);
    assertThat(VggLayers.resolve("pool5").channels()).isEqualTo(512);
  }

  @Test
  void tutorialAliasesResolveToCanonicalLayers() {
    assertThat(VggLayers.resolve("conv_1").name()).isEqualTo("conv1_1");
    assertThat(VggLayers.resolve("conv_4").name()).isEqualTo("conv2_2");
    assertThat(VggLayers.resolve("conv_5").name()).isEqualTo("conv3_1");
    assertThat(VggLayers.resolve("conv_16").name()).isEqualTo("conv5_4");
    assertThat(VggLayers.resolve("relu_10").name()).isEqualTo("relu4_2");
    assertThat(VggLayers.resolve("pool_2").name()).isEqualTo("pool2");
    assertThat(VggLayers.resolve(" Conv4_2 ").name()).isEqualTo("conv4_2");
    assertThat(VggLayers.validate(List.of("conv_1", "relu2_1", "pool_3")))
        .containsExactly("conv1_1", "relu2_1", "pool3");
  }

  @Test
  void unknownLayerErrorListsValidNames() {
    assertThatThrownBy(() -> VggLayers.resolve("conv6_1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'conv6_1'")
        .hasMessageContaining("conv1_1, relu1_1, conv1_2")
        .hasMessageContaining("pool5")
        .hasMessageContaining("conv_1..conv_16");
    assertThatThrownBy(() -> VggLayers.validate(List.of("conv1_1", "conv_17", "pool6")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'conv_17', 'pool6'")
        .hasMessageContaining("relu5_4");
  }

  @Test
  void deepestLayerIsTheLastInForwardOrder() {
    assertThat(VggLayers.deepest(List.of("conv4_2", "conv1_1", "conv5_1", "relu3_1")).name())
        .isEqualTo("conv5_1");
    assertThat(VggLayers.deepest(List.of("conv_4", "relu2_2")).name()).isEqualTo("relu2_2");
  }
}
