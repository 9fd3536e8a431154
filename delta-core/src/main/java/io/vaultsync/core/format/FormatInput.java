package io.vaultsync.core.format;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the primitive fields of the formats from a stream and knows the offset of each, so errors
 * can say where the input went wrong. Every read that cannot be completed throws {@link
 * TruncatedInputException} naming the field.
 */
final class FormatInput {
  private final InputStream in;
  private long offset;

  FormatInput(InputStream in) {
    this.in = in;
  }

  long offset() {
    return offset;
  }

  int readByte(String field) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new TruncatedInputException("input ended at offset " + offset + " reading " + field);
    }
    offset++;
    return b;
  }

  void readFully(byte[] dst, int off, int len, String field) throws IOException {
    int done = 0;
    while (done < len) {
      int n = in.read(dst, off + done, len - done);
      if (n < 0) {
        throw new TruncatedInputException(
            "input ended at offset "
                + (offset + done)
                + " reading "
                + field
                + " ("
                + done
                + " of "
                + len
                + " bytes)");
      }
      done += n;
    }
    offset += len;
  }

  int readInt(String field) throws IOException {
    byte[] b = new byte[4];
    readFully(b, 0, 4, field);
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  long readLong(String field) throws IOException {
    byte[] b = new byte[8];
    readFully(b, 0, 8, field);
    long v = 0;
    for (byte x : b) {
      v = v << 8 | (x & 0xff);
    }
    return v;
  }

  /**
   * An unsigned LEB128 varint of at most {@value Varint#MAX_BYTES} bytes, value below 2^63, in its
   * shortest form.
   */
  long readVarint(String field) throws IOException {
    long start = offset;
    long value = 0;
    for (int i = 0; i < Varint.MAX_BYTES; i++) {
      int b = readByte(field);
      if (i == Varint.MAX_BYTES - 1 && (b & 0x80) != 0) {
        throw new CorruptDataException(
            field
                + " at offset "
                + start
                + " is a varint longer than "
                + Varint.MAX_BYTES
                + " bytes");
      }
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new CorruptDataException(
              field + " at offset " + start + " is a varint with a redundant zero byte");
        }
        return value;
      }
    }
    throw new AssertionError("unreachable");
  }

  /** Fails unless the input has ended. */
  void expectEnd(String what) throws IOException {
    int b = in.read();
    if (b >= 0) {
      throw new CorruptDataException(
          "trailing bytes after the "
              + what
              + " at offset "
              + offset
              + " (first 0x"
              + Integer.toHexString(b)
              + ")");
    }
  }
}
