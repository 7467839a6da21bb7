package org.stylesweep.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Decompression bombs for tests: a valid PNG of a few kilobytes whose header declares {@code width
 * x height} one-bit grey pixels, every row zero (deflate squeezes that about a thousandfold), so a
 * decoder that trusts the header allocates the whole image.
 */
public final class BombPng {
  private BombPng() {}

  /** The PNG's bytes (about width x height / 8000 bytes). */
  public static byte[] of(int width, int height) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream deflate =
        new DeflaterOutputStream(raw, new Deflater(Deflater.BEST_COMPRESSION))) {
      byte[] row = new byte[1 + (width + 7) / 8]; // filter byte 0, then the packed bits
      for (int y = 0; y < height; y++) {
        deflate.write(row);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    // width, height, bit depth 1, colour type 0 (grey), deflate, adaptive filtering, no interlace
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 1)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    chunk(png, "IHDR", ihdr.array());
    chunk(png, "IDAT", raw.toByteArray());
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data)
      throws IOException {
    DataOutputStream out = new DataOutputStream(png);
    out.writeInt(data.length);
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.write(typeBytes);
    out.write(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeInt((int) crc.getValue());
  }
}
