package io.vaultsync.core.format;

/**
 * Unsigned LEB128 varints: 7 bits per byte, least significant group first, high bit set on every
 * byte but the last. Values are below 2^63, so at most {@value #MAX_BYTES} bytes; readers accept
 * only the shortest form.
 */
final class Varint {
  static final int MAX_BYTES = 9;

  private Varint() {}

  /** Writes {@code value} (0..2^63-1) at {@code dst[off]}; returns the bytes written. */
  static int write(long value, byte[] dst, int off) {
    if (value < 0) {
      throw new IllegalArgumentException("varint value " + value + "; expected >= 0");
    }
    int n = 0;
    while ((value & ~0x7fL) != 0) {
      dst[off + n++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    dst[off + n++] = (byte) value;
    return n;
  }
}
