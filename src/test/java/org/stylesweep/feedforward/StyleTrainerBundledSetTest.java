package org.stylesweep.feedforward;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stylesweep.image.ImageStore;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.spec.ContentLossKind;
import org.stylesweep.spec.GramNorm;
import org.stylesweep.spec.Normalization;
import org.stylesweep.spec.Pooling;
import org.stylesweep.testing.TestSafetensors;

/**
 * Issue 16's "done when" for training as it is stated: 300 training steps at 128 px on the bundled
 * set ({@code samples/content/}, read through {@link TrainingImages} and {@link ImageStore} as the
 * train_style job reads it) cut the training loss at least threefold (mean of the last 10 steps
 * against the first 10).
 *
 * <p>To keep 300 steps at 128 px within a minute on one core, the VGG-19 is the small random-weight
 * one of the other tests (conv1_1 to conv2_1, {@link TestSafetensors#vggUpToConv2_1()}), the style
 * and content layers are its first two (relu1_1, relu1_2: the cost is conv1_2 at 128 px), and the
 * transformation network is narrow. Tagged slow: it takes tens of seconds.
 */
@Tag("slow")
class StyleTrainerBundledSetTest {
  static final int CROP = 128;
  static final int STEPS = 300;
  static final TransformerNet.Recipe NARROW = new TransformerNet.Recipe(List.of(8, 16, 32), 1, 9);

  @Test
  void threeHundredStepsAt128PxOnTheBundledSetCutTheLossThreefold() throws IOException {
    Configuration hadoop = new Configuration();
    List<String> contents = bundledContents();
    assertThat(contents).as("the bundled training set").hasSizeGreaterThanOrEqualTo(4);
    TrainingImages data =
        new TrainingImages(
            contents.size(),
            TrainingImages.reader(contents, uri -> ImageStore.read(uri, hadoop, 4 * CROP)),
            CROP,
            1,
            3);
    StyleTrainer.Settings settings =
        new StyleTrainer.Settings(
            NARROW,
            STEPS,
            1e-2,
            STEPS,
            5,
            List.of("relu1_2"),
            List.of("relu1_1", "relu1_2"),
            List.of(),
            1.0,
            1.0e4,
            0.0,
            GramNorm.CHW,
            ContentLossKind.MEAN);
    List<Double> losses = new ArrayList<>();
    try (Vgg19 vgg =
            Vgg19.fromStream(
                new ByteArrayInputStream(TestSafetensors.vggUpToConv2_1().bytes(21)),
                "vgg19_conv1_1-conv2_1.safetensors",
                Pooling.MAX,
                Device.cpu());
        NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      String styleUri = Path.of("samples/style/mosaic.png").toAbsolutePath().toUri().toString();
      NDArray style =
          ImageTensors.toTensor(ImageStore.read(styleUri, hadoop, CROP), CROP, CROP, manager);
      long start = System.nanoTime();
      // With one libtorch thread (the test JVM's OMP_NUM_THREADS) the work runs on this thread, so
      // its CPU time is the test's cost whatever else loads the machine.
      long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
      Checkpoint end =
          StyleTrainer.train(
              vgg,
              Normalization.IMAGENET,
              style,
              data,
              settings,
              null,
              new StyleTrainer.Listener() {
                @Override
                public void onStep(int step, int steps, double total, double content, double st) {
                  losses.add(total);
                }

                @Override
                public void onCheckpoint(Checkpoint checkpoint) {}
              },
              manager);
      double first = mean(losses.subList(0, 10));
      double last = mean(losses.subList(STEPS - 10, STEPS));
      // The figures for the report: the cut and the time on this machine.
      System.out.printf(
          "300 steps at %d px on %d bundled images: loss %.4g -> %.4g (cut %.1fx) in %.1f s"
              + " (%.1f s CPU of this thread)%n",
          CROP,
          contents.size(),
          first,
          last,
          first / last,
          (System.nanoTime() - start) / 1e9,
          (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9);
      assertThat(end.step()).isEqualTo(STEPS);
      assertThat(losses).hasSize(STEPS).allMatch(Double::isFinite);
      assertThat(last).as("mean loss of the last 10 steps vs the first 10").isLessThan(first / 3);
    }
  }

  /** The images of samples/content as file URIs, as a manifest's folder entry expands to. */
  static List<String> bundledContents() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("samples/content"))) {
      return files
          .filter(f -> f.toString().matches(".*\\.(png|jpg)$"))
          .sorted()
          .map(f -> f.toAbsolutePath().toUri().toString())
          .toList();
    }
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
