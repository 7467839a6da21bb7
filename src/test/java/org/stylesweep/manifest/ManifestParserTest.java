package org.stylesweep.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylesweep.spec.DeviceChoice;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.Init;
import org.stylesweep.spec.LineSearch;
import org.stylesweep.spec.ModelConfig;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.OptimizerKind;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;
import org.stylesweep.spec.Task;

class ManifestParserTest {

  /** The manifest of issue 3, verbatim except for the image names. */
  static final String ISSUE_SHAPE =
      """
      name: part3-grid                  # required; names the sweep and its output folder
      model:
        weights: auto                   # auto | random:<seed> | path or URI of .safetensors/.npz
        normalization: imagenet         # imagenet | caffe
        pooling: max                    # max | avg
      task: transfer                    # transfer | reconstruct | texture
      contents: [../samples/content/red.png, ../samples/content/green.png]   # relative to this file
      styles:   [../samples/style/blue.png, ../samples/style/yellow.png]
      defaults:                         # every run parameter, each with a default
        image_size: 256
        style_scale: 1.0
        steps: 300
        optimizer: lbfgs
        content_layers: [conv4_2]
        style_layers: [conv1_1, conv2_1, conv3_1, conv4_1, conv5_1]
        style_layer_weights: []          # empty = 1 each
        content_weight: 1
        style_weight: 1.0e6
        tv_weight: 0
        gram_norm: chw
        content_loss: mean
        init: content
        clamp: end
        seed: 0
      sweep:                            # any key of defaults; each value a list; runs = pairs × product
        init: [content, noise]
        seed: [0, 1]
      """;

  @TempDir Path dir;
  ManifestFixtures fx;

  @BeforeEach
  void setUp() {
    fx = new ManifestFixtures(dir).withSamples();
  }

  @Test
  void caffeWeightsGetTheirOwnDefaultBalanceAndLineSearchUnlessTheManifestSetsThem()
      throws Exception {
    String base =
        """
        name: caffe
        model: {weights: "random:0", normalization: %s}
        contents: [../samples/content/red.png]
        styles: [../samples/style/blue.png]
        %s
        """;
    fx.file("jobs/caffe.yaml", base.formatted("caffe", ""));
    Manifest caffe = fx.parse("caffe.yaml");
    assertThat(caffe.defaults().get(Params.STYLE_WEIGHT)).isEqualTo(0.1);
    assertThat(caffe.defaults().get(Params.LINE_SEARCH)).isEqualTo(LineSearch.STRONG_WOLFE);
    assertThat(caffe.defaults().get(Params.CONTENT_WEIGHT)).isEqualTo(1.0);

    fx.file(
        "jobs/pinned.yaml",
        base.formatted("caffe", "defaults: {style_weight: 1.0e6, line_search: none}"));
    Manifest pinned = fx.parse("pinned.yaml");
    assertThat(pinned.defaults().get(Params.STYLE_WEIGHT)).isEqualTo(1.0e6);
    assertThat(pinned.defaults().get(Params.LINE_SEARCH)).isEqualTo(LineSearch.NONE);

    fx.file("jobs/imagenet.yaml", base.formatted("imagenet", ""));
    assertThat(fx.parse("imagenet.yaml").defaults()).isEqualTo(RunParams.defaults());
  }

  @Test
  void issueShapeParsesWithEveryValue() throws Exception {
    fx.file("jobs/grid.yaml", ISSUE_SHAPE);
    Manifest m = fx.parse("grid.yaml");

    assertThat(m.name()).isEqualTo("part3-grid");
    assertThat(m.task()).isEqualTo(Task.TRANSFER);
    assertThat(m.model().weights().spelling()).isEqualTo("auto");
    assertThat(m.model().normalization()).isEqualTo(Normalization.IMAGENET);
    assertThat(m.model().pooling()).isEqualTo(Pooling.MAX);
    assertThat(m.contents())
        .containsExactly(
            "file:" + dir.resolve("samples/content/red.png"),
            "file:" + dir.resolve("samples/content/green.png"));
    assertThat(m.defaults()).isEqualTo(RunParams.defaults());
    assertThat(m.sweep()).containsOnlyKeys("init", "seed");
    assertThat(m.sweep().get("init")).containsExactly(Init.CONTENT, Init.NOISE);
    assertThat(m.sweep().get("seed")).containsExactly(0L, 1L);
    assertThat(m.runCount()).isEqualTo(2 * 2 * 2 * 2);
  }

  @Test
  void misspeltKeysAreNamedWithTheClosestValidKey() {
    fx.file(
        "jobs/typo.yaml",
        ISSUE_SHAPE.replace("defaults:", "defualts:").replace("  pooling:", "  poling:"));

    assertThatThrownBy(() -> fx.parse("typo.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("defualts: unknown key 'defualts'; did you mean 'defaults'?")
        .hasMessageContaining("model.poling: unknown key 'poling'; did you mean 'pooling'?");
  }

  @Test
  void everyProblemIsReportedAtOnceWithPathAndValue() {
    fx.file(
        "jobs/bad.yaml",
        """
        name: bad
        model: {weights: random:0, device: tpu}
        contents: [../samples/content/red.png, ../samples/content/missing.png]
        styles: [../samples/style/blue.png]
        defaults:
          steps: abc
          image_size: 0
          style_weight: -1
          content_layers: [conv9_9]
          optimizer: sgd
        sweep:
          seed: []
        """);

    ManifestException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ManifestException.class, () -> fx.parse("bad.yaml"));
    assertThat(e.problems())
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "model.device",
            "contents[1]",
            "defaults.steps",
            "defaults.image_size",
            "defaults.style_weight",
            "defaults.content_layers",
            "defaults.optimizer",
            "sweep.seed");
    assertThat(e.getMessage())
        .contains("defaults.steps = 'abc': expected a positive integer")
        .contains("defaults.image_size = 0: must be a positive integer")
        .contains("defaults.style_weight = -1: must not be negative")
        .contains("defaults.content_layers = 'conv9_9': unknown VGG-19 layer 'conv9_9'")
        .contains("defaults.optimizer = 'sgd': unknown value 'sgd'; expected one of [lbfgs, adam]")
        .contains("model.device = 'tpu'")
        .contains("file not found: file:" + dir.resolve("samples/content/missing.png"))
        .contains("sweep.seed = []: an empty list gives no runs");
  }

  @Test
  void pathsResolveAgainstTheManifestFolder() throws Exception {
    fx.file(
        "jobs/nested/deeper/rel.yaml",
        """
        name: rel
        contents: [../../../samples/content/red.png]
        styles: [../../../samples/style/blue.png]
        """);

    Manifest m = fx.parse("nested/deeper/rel.yaml");

    assertThat(m.contents()).containsExactly("file:" + dir.resolve("samples/content/red.png"));
    assertThat(m.styles()).containsExactly("file:" + dir.resolve("samples/style/blue.png"));
  }

  @Test
  void setOverridesAreYamlValuesAtAnyPath() throws Exception {
    fx.file("jobs/grid.yaml", ISSUE_SHAPE);

    Manifest m =
        fx.parse(
            "grid.yaml",
            "defaults.steps=20",
            "defaults.style_layers=[conv1_1, conv_4]",
            "sweep.seed=[0, 1, 2]",
            "model.weights=random:3",
            "defaults.line_search=strong_wolfe",
            "defaults.lr=0.5",
            "model.device=cpu");

    assertThat(m.defaults().get(Params.STEPS)).isEqualTo(20);
    assertThat(m.defaults().get(Params.STYLE_LAYERS)).containsExactly("conv1_1", "conv2_2");
    assertThat(m.defaults().get(Params.LINE_SEARCH)).isEqualTo(LineSearch.STRONG_WOLFE);
    assertThat(m.defaults().get(Params.LR)).isEqualTo(0.5);
    assertThat(m.sweep().get("seed")).containsExactly(0L, 1L, 2L);
    assertThat(m.model().weights().spelling()).isEqualTo("random:3");
    assertThat(m.model().device()).isEqualTo(DeviceChoice.CPU);
    assertThat(m.runCount()).isEqualTo(4 * 2 * 3);
  }

  @Test
  void setOfAMisspeltKeyIsReportedAsComingFromTheCommandLine() {
    fx.file("jobs/grid.yaml", ISSUE_SHAPE);

    assertThatThrownBy(() -> fx.parse("grid.yaml", "defaults.stpes=20", "nonsense"))
        .hasMessageContaining(
            "defaults.stpes: unknown key 'stpes'; did you mean 'steps'? (from --set defaults.stpes)")
        .hasMessageContaining("--set = nonsense: expected key.path=value");
  }

  @Test
  void listKeysSweepOverListsAndBareNamesMeanAListOfOne() throws Exception {
    fx.file(
        "jobs/ablation.yaml",
        """
        name: ablation
        task: reconstruct
        contents: [../samples/content/red.png]
        defaults: {init: noise}
        sweep:
          content_layers: [conv1_1, [conv2_1, conv3_1], conv_4]
        """);

    Manifest m = fx.parse("ablation.yaml");

    assertThat(m.sweep().get("content_layers"))
        .containsExactly(List.of("conv1_1"), List.of("conv2_1", "conv3_1"), List.of("conv2_2"));
    assertThat(m.runCount()).isEqualTo(3);
    assertThat(m.usedStyles()).isEmpty();
  }

  @Test
  void textureNeedsNoContentButCannotStartFromIt() {
    fx.file(
        "jobs/texture.yaml",
        """
        name: texture
        task: texture
        styles: [../samples/style/blue.png]
        defaults: {init: content}
        """);

    assertThatThrownBy(() -> fx.parse("texture.yaml"))
        .hasMessageContaining(
            "defaults.init = 'content': task texture has no content image to start from; use noise")
        .hasMessageNotContaining("contents");
  }

  @Test
  void styleLayerWeightsMustMatchTheLayers() {
    fx.file(
        "jobs/w.yaml",
        """
        name: w
        contents: [../samples/content/red.png]
        styles: [../samples/style/blue.png]
        defaults: {style_layers: [conv1_1, conv2_1], style_layer_weights: [1, 2, 3]}
        """);

    assertThatThrownBy(() -> fx.parse("w.yaml"))
        .hasMessageContaining(
            "defaults.style_layer_weights = [1.0,2.0,3.0]: has 3 weights for 2 style layers");
  }

  @Test
  void missingInputsAndAMissingNameAreReported() {
    fx.file(
        "jobs/empty.yaml",
        """
        task: transfer
        contents: []
        """);

    assertThatThrownBy(() -> fx.parse("empty.yaml"))
        .hasMessageContaining("name: required")
        .hasMessageContaining("contents = []: task transfer needs at least one image")
        .hasMessageContaining("styles: task transfer needs at least one image");
  }

  @Test
  void modelBlockAcceptsWeightsUrlHashAndDevice() throws Exception {
    fx.file("weights/vgg.safetensors", "not really weights");
    fx.file(
        "jobs/model.yaml",
        """
        name: model
        model:
          weights: ../weights/vgg.safetensors
          weights_url: https://example.org/vgg19.safetensors
          weights_sha256: 0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef
          normalization: caffe
          pooling: avg
          device: gpu
        contents: [../samples/content/red.png]
        styles: [../samples/style/blue.png]
        """);

    ModelConfig model = fx.parse("model.yaml").model();

    assertThat(model.weights().spelling())
        .isEqualTo("file:" + dir.resolve("weights/vgg.safetensors"));
    assertThat(model.weightsUrl()).isEqualTo("https://example.org/vgg19.safetensors");
    assertThat(model.weightsSha256())
        .isEqualTo("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    assertThat(model.normalization()).isEqualTo(Normalization.CAFFE);
    assertThat(model.pooling()).isEqualTo(Pooling.AVG);
    assertThat(model.device()).isEqualTo(DeviceChoice.GPU);
  }

  @Test
  void badWeightsValuesAreReported() {
    fx.file(
        "jobs/model.yaml",
        """
        name: model
        model: {weights: ../weights/none.safetensors, weights_sha256: abc, weights_url: ftp:x}
        contents: [../samples/content/red.png]
        styles: [../samples/style/blue.png]
        """);

    assertThatThrownBy(() -> fx.parse("model.yaml"))
        .hasMessageContaining("model.weights = '../weights/none.safetensors': file not found")
        .hasMessageContaining("model.weights_sha256 = 'abc': expected 64 hexadecimal digits")
        .hasMessageContaining("model.weights_url = 'ftp:x'");
  }

  @Test
  void gridsNameTwoDifferentAxes() throws Exception {
    fx.file(
        "jobs/g.yaml",
        ISSUE_SHAPE
            + "grids: [{rows: content, cols: style}, {rows: init, cols: seed}, {cols: seed}]\n");
    assertThat(fx.parse("g.yaml").grids())
        .containsExactly(
            new GridSpec("content", "style"),
            new GridSpec("init", "seed"),
            new GridSpec(null, "seed"));

    fx.file("jobs/g2.yaml", ISSUE_SHAPE + "grids: [{rows: contnet, cols: style}]\n");
    assertThatThrownBy(() -> fx.parse("g2.yaml"))
        .hasMessageContaining("grids[0].rows: unknown key 'contnet'; did you mean 'content'?");
  }

  @Test
  void gridsAloneAreReadWithTheSameChecksAndNothingElse() throws Exception {
    // The report reads an output folder's manifest copy, whose inputs may be out of reach.
    Path copy =
        fx.file(
            "out/manifest.yaml",
            "name: x\ncontents: [/nowhere/cat.png]\ngrids: [{rows: init, cols: style}, {cols: seed}]\n");
    assertThat(
            ManifestParser.parseGrids(copy.toString(), new org.apache.hadoop.conf.Configuration()))
        .containsExactly(new GridSpec("init", "style"), new GridSpec(null, "seed"));

    Path bad =
        fx.file(
            "out/bad.yaml", "grids: [{rows: contnet, cols: style}, {rows: init, cols: init}]\n");
    assertThatThrownBy(
            () ->
                ManifestParser.parseGrids(
                    bad.toString(), new org.apache.hadoop.conf.Configuration()))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("2 problems")
        .hasMessageContaining("grids[0].rows: unknown key 'contnet'; did you mean 'content'?")
        .hasMessageContaining("rows and cols must be different axes");
  }

  @Test
  void repeatedSweepValuesAndYamlSyntaxErrorsAreReported() {
    fx.file("jobs/rep.yaml", ISSUE_SHAPE.replace("seed: [0, 1]", "seed: [0, 0]"));
    assertThatThrownBy(() -> fx.parse("rep.yaml"))
        .hasMessageContaining("sweep.seed[1] = 0: repeats sweep.seed[0]");

    fx.file("jobs/syntax.yaml", "name: x\ndefaults: [unclosed\n");
    assertThatThrownBy(() -> fx.parse("syntax.yaml"))
        .hasMessageContaining("not valid YAML at line");
  }

  @Test
  void anchorsAliasesAndMergeKeysAreResolved() throws Exception {
    fx.file(
        "jobs/alias.yaml",
        ISSUE_SHAPE
            .replace("content_weight: 1\n", "content_weight: &cw 5\n")
            .replace("style_weight: 1.0e6\n", "style_weight: *cw\n")
            .replace(
                "  weights: auto                   # auto | random:<seed> | path or URI of .safetensors/.npz\n",
                "  <<: &m {weights: auto}\n")
            .replace("  seed: [0, 1]\n", "  seed: [0, 1]\n  image_size: [64, 128]\n"));
    Manifest m = fx.parse("alias.yaml");
    assertThat(m.defaults().get(Params.CONTENT_WEIGHT)).isEqualTo(5.0);
    assertThat(m.defaults().get(Params.STYLE_WEIGHT)).isEqualTo(5.0);
    assertThat(m.sweep().get("image_size")).containsExactly(64, 128);
    assertThat(m.model().weights().spelling()).isEqualTo("auto");
  }

  @Test
  void aliasBombsAndSelfReferencesAreRefusedWithAMessage() {
    StringBuilder bomb = new StringBuilder("name: x\na0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
    for (int i = 1; i < 9; i++) {
      bomb.append("a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" [")
          .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1))))
          .append("]\n");
    }
    fx.file("jobs/bomb.yaml", bomb.toString());
    assertThatThrownBy(() -> fx.parse("bomb.yaml")).hasMessageContaining("aliases");

    fx.file("jobs/self.yaml", "name: x\nsweep: &s {seed: *s}\n");
    assertThatThrownBy(() -> fx.parse("self.yaml"))
        .hasMessageContaining("refers to the list or mapping that contains it");
  }

  @Test
  void nanInfinityAndHugeNumbersSayWhatIsWrong() {
    fx.file(
        "jobs/nan.yaml",
        ISSUE_SHAPE
            .replace("content_weight: 1\n", "content_weight: .nan\n")
            .replace("style_weight: 1.0e6\n", "style_weight: 1e400\n")
            .replace("tv_weight: 0\n", "tv_weight: -.inf\n"));
    assertThatThrownBy(() -> fx.parse("nan.yaml"))
        .hasMessageContaining("grid.yaml".replace("grid", "nan"))
        .hasMessageContaining(
            "defaults.content_weight = .nan: .nan is not a number; write a finite number")
        .hasMessageContaining(
            "defaults.style_weight = 1e400: is too large: numbers go up to about 1.8e308")
        .hasMessageContaining("defaults.tv_weight = -.inf: infinity is not allowed")
        .hasMessageNotContaining("not valid YAML")
        .hasMessageNotContaining("BigDecimal");
  }

  @Test
  void missingManifestIsAProblemNotACrash() {
    assertThatThrownBy(() -> fx.parse("nope.yaml"))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("manifest = ")
        .hasMessageContaining("cannot read it");
  }

  @Test
  void effectiveManifestReparsesToTheSameSweep() throws Exception {
    fx.file(
        "jobs/grid.yaml", ISSUE_SHAPE + "grids: [{rows: content, cols: style}, {cols: init}]\n");
    Manifest original =
        fx.parse("grid.yaml", "defaults.gram_norm=hw", "sweep.content_layers=[conv1_1, conv_4]");

    fx.file("elsewhere/copy.yaml", original.toYaml());
    Manifest copy =
        new ManifestParser(new org.apache.hadoop.conf.Configuration(), ManifestFixtures.LAYERS)
            .parse(dir.resolve("elsewhere/copy.yaml").toString(), List.of());

    assertThat(copy.defaults().get(Params.GRAM_NORM)).isEqualTo(GramNorm.HW);
    assertThat(copy.defaults().get(Params.OPTIMIZER)).isEqualTo(OptimizerKind.LBFGS);
    assertThat(copy).usingRecursiveComparison().ignoringFields("source").isEqualTo(original);
  }

  @Test
  void imageSizeOverTheMaximumIsRefusedInPixelsAndBytesWithoutOverflow() {
    fx.file("jobs/huge.yaml", ISSUE_SHAPE.replace("image_size: 256", "image_size: 100000"));

    ManifestException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ManifestException.class, () -> fx.parse("huge.yaml"));
    assertThat(e.problems()).extracting(Problem::path).containsExactly("defaults.image_size");
    assertThat(e.getMessage())
        .contains(
            "defaults.image_size = 100000: must be at most " + Params.MAX_IMAGE_SIZE + " pixels")
        .contains("1.00e+10 pixels")
        .contains("120 GB")
        .doesNotContain("-1519136480");
  }

  @Test
  void styleScaleTimesImageSizeOverTheMaximumIsRefused() {
    fx.file("jobs/scale.yaml", ISSUE_SHAPE.replace("style_scale: 1.0", "style_scale: 1.0e9"));

    ManifestException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ManifestException.class, () -> fx.parse("scale.yaml"));
    assertThat(e.getMessage())
        .contains("defaults.style_scale")
        .contains("at most " + Params.MAX_IMAGE_SIZE + " pixels");
  }

  @Test
  void aSweepOverTheRunCapIsRefusedFromItsAxisSizesBeforeExpanding() {
    StringBuilder seeds = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      seeds.append(i == 0 ? "" : ", ").append(i);
    }
    // 2 x 2 pairs x 2 init x 1000 seed x 1000 tv_weight = 8,000,000 runs; and a product that
    // overflows a long
    fx.file(
        "jobs/million.yaml",
        ISSUE_SHAPE.replace(
            "  seed: [0, 1]", "  seed: [" + seeds + "]\n" + "  tv_weight: [" + seeds + "]"));
    ManifestException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ManifestException.class, () -> fx.parse("million.yaml"));
    assertThat(e.problems()).extracting(Problem::path).containsExactly("sweep");
    assertThat(e.getMessage())
        .contains("8000000 runs")
        .contains("2 contents x 2 styles x 2 init x 1000 seed x 1000 tv_weight")
        .contains("cap of " + Manifest.MAX_RUNS + " runs");
  }
}
