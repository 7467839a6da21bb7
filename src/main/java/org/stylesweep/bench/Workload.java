package org.stylesweep.bench;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.stylesweep.image.ImageTensors;
import org.stylesweep.model.Vgg19;
import org.stylesweep.model.VggLayers;
import org.stylesweep.model.VggWeights;
import org.stylesweep.spec.Params;
import org.stylesweep.spec.Pooling;
import org.stylesweep.spec.RunParams;

/**
 * What every measurement of the benchmark shares: the images, the weights, the device, the layers
 * and the run parameters (the manifest's defaults: content {@code conv4_2}, style {@code
 * conv1_1}…{@code conv5_1}, L-BFGS without line search, init content, clamp at the end), with the
 * size and the number of evaluations set per measurement.
 *
 * @param content content image as read (resized per size by the run, as a sweep does)
 * @param style style image as read
 * @param contentName file name, for the report
 * @param styleName file name, for the report
 * @param weights {@code random:<seed>} or a .safetensors/.npz path
 * @param device where the runs compute
 */
record Workload(
    BufferedImage content,
    BufferedImage style,
    String contentName,
    String styleName,
    String weights,
    Device device) {

  /** Reads the images, failing with the option and path when one cannot be read. */
  static Workload load(Path content, Path style, String weights, Device device) {
    return new Workload(
        read(content, "--content"),
        read(style, "--style"),
        content.getFileName().toString(),
        style.getFileName().toString(),
        weights,
        device);
  }

  /**
   * The device for a {@code --device} value: {@code auto} (GPU 0 when the engine sees one, else the
   * CPU), {@code cpu}, {@code gpu} or {@code gpu:N}.
   */
  static Device device(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("auto")) {
      return Engine.getInstance().getGpuCount() > 0 ? Device.gpu(0) : Device.cpu();
    }
    if (v.equals("cpu")) {
      return Device.cpu();
    }
    if (v.equals("gpu")) {
      return Device.gpu(0);
    }
    if (v.startsWith("gpu:")) {
      try {
        return Device.gpu(Integer.parseInt(v.substring(4)));
      } catch (NumberFormatException e) {
        // falls through to the error below
      }
    }
    throw new IllegalArgumentException(
        "--device must be auto, cpu, gpu or gpu:N, got '" + value + "'");
  }

  /**
   * Sets libtorch's intra-op threads (the engine must be loaded first: before that the native
   * method does not exist yet).
   */
  static void setThreads(int threads) {
    Engine.getInstance();
    ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
  }

  /**
   * Checks the {@code --weights} value without loading anything.
   *
   * @throws IllegalArgumentException naming the option and value
   */
  void checkWeights() {
    if (weights.startsWith("random:")) {
      try {
        Long.parseLong(weights.substring("random:".length()));
        return;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--weights random:<seed> needs an integer seed, got '" + weights + "'");
      }
    }
    if (!Files.isRegularFile(Path.of(weights))) {
      throw new IllegalArgumentException(
          "--weights must be random:<seed> or a .safetensors/.npz file; '"
              + weights
              + "' is neither");
    }
  }

  /** Loads the model these runs use (weights once per JVM, as an executor's cache does). */
  Vgg19 model() {
    checkWeights();
    if (weights.startsWith("random:")) {
      return Vgg19.random(
          Long.parseLong(weights.substring("random:".length())), Pooling.MAX, device);
    }
    return Vgg19.fromFile(Path.of(weights), Pooling.MAX, device);
  }

  /** The defaults with this image size and evaluation budget. */
  static RunParams params(int imageSize, int steps) {
    return RunParams.defaults().with(Params.IMAGE_SIZE, imageSize).with(Params.STEPS, steps);
  }

  /** The deepest layer the run computes (the floor's truncation point). */
  static VggLayers.Layer deepestLayer() {
    RunParams d = RunParams.defaults();
    List<String> all = new java.util.ArrayList<>(d.get(Params.CONTENT_LAYERS));
    all.addAll(d.get(Params.STYLE_LAYERS));
    return VggLayers.deepest(all);
  }

  /** (width, height) of the run's image at {@code imageSize}: the content's aspect ratio. */
  int[] contentSize(int imageSize) {
    return ImageTensors.scaledSize(content.getWidth(), content.getHeight(), imageSize);
  }

  /** (width, height) of the style image at {@code imageSize} (style_scale 1). */
  int[] styleSize(int imageSize) {
    int side =
        Math.max(1, (int) Math.round(RunParams.defaults().get(Params.STYLE_SCALE) * imageSize));
    return ImageTensors.scaledSize(style.getWidth(), style.getHeight(), side);
  }

  /**
   * Writes what the PyTorch reference reads: the model's 16 convolutions under torchvision's keys
   * and the content and style images resized exactly as the run resizes them, as npz.
   */
  void writeTorchInputs(Vgg19 model, int imageSize, Path npz) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDList list = new NDList();
      for (int conv = 0; conv < model.layerCount(); conv++) {
        list.add(
            named(
                model.weight(conv).toDevice(Device.cpu(), true),
                VggWeights.weightKey(conv),
                manager));
        list.add(
            named(
                model.bias(conv).toDevice(Device.cpu(), true), VggWeights.biasKey(conv), manager));
      }
      int[] c = contentSize(imageSize);
      int[] s = styleSize(imageSize);
      list.add(named(ImageTensors.toTensor(content, c[0], c[1], manager), "content", manager));
      list.add(named(ImageTensors.toTensor(style, s[0], s[1], manager), "style", manager));
      try (OutputStream out = Files.newOutputStream(npz)) {
        list.encode(out, NDList.Encoding.NPZ);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the PyTorch reference's inputs to " + npz + ": " + e.getMessage(), e);
    }
  }

  private static NDArray named(NDArray array, String name, NDManager manager) {
    array.attach(manager);
    array.setName(name);
    return array;
  }

  private static BufferedImage read(Path path, String option) {
    try {
      BufferedImage image = Files.isRegularFile(path) ? ImageIO.read(path.toFile()) : null;
      if (image == null) {
        throw new IllegalArgumentException(
            option
                + ": cannot read an image from '"
                + path
                + "' (give a PNG or JPEG; the defaults are under samples/, so run from the repository root)");
      }
      return image;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          option + ": cannot read '" + path + "': " + e.getMessage(), e);
    }
  }
}
