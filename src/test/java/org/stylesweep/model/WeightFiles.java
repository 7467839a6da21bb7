package org.stylesweep.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds small VGG-19 weights files in memory for tests. */
final class WeightFiles {
  private WeightFiles() {}

  /**
   * The first {@code convs} layers of a model with torchvision key names (weights get distinct
   * values so that loading can be checked), keys prefixed with {@code prefix}.
   */
  static Map<String, NDArray> features(NDManager manager, int convs, String prefix) {
    Map<String, NDArray> tensors = new LinkedHashMap<>();
    for (int conv = 0; conv < convs; conv++) {
      Shape w = new Shape(VggWeights.expectedWeightShape(conv));
      Shape b = new Shape(VggWeights.expectedBiasShape(conv));
      tensors.put(
          prefix + VggWeights.weightKey(conv),
          manager.arange((float) w.size()).div(w.size() * (conv + 1)).reshape(w));
      tensors.put(
          prefix + VggWeights.biasKey(conv),
          manager.arange((float) b.size()).div(1000f * (conv + 1)));
    }
    return tensors;
  }

  static byte[] encode(Map<String, NDArray> tensors, NDList.Encoding encoding) {
    NDList list = new NDList();
    tensors.forEach(
        (name, array) -> {
          array.setName(name);
          list.add(array);
        });
    return list.encode(encoding);
  }

  /**
   * A safetensors file written byte by byte from the format's definition (8-byte little-endian
   * header length, JSON header, raw little-endian data), independent of DJL's writer.
   */
  static byte[] handWrittenSafetensors(Map<String, float[]> values, Map<String, long[]> shapes) {
    StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
    long offset = 0;
    for (Map.Entry<String, float[]> entry : values.entrySet()) {
      long bytes = entry.getValue().length * 4L;
      StringBuilder shape = new StringBuilder();
      for (long d : shapes.get(entry.getKey())) {
        shape.append(shape.length() == 0 ? "" : ",").append(d);
      }
      json.append(",\"")
          .append(entry.getKey())
          .append("\":{\"dtype\":\"F32\",\"shape\":[")
          .append(shape)
          .append("],\"data_offsets\":[")
          .append(offset)
          .append(',')
          .append(offset + bytes)
          .append("]}");
      offset += bytes;
    }
    json.append('}');
    byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(8 + header.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(header.length).put(header);
    for (float[] data : values.values()) {
      for (float v : data) {
        out.putFloat(v);
      }
    }
    return out.array();
  }
}
