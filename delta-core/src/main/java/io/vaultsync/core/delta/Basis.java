package io.vaultsync.core.delta;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Random access to the basis a delta copies from. Implementations need not be thread-safe. */
public interface Basis {
  long length() throws IOException;

  /** Reads exactly {@code len} bytes at {@code position} into {@code dst[off..)}. */
  void readFully(long position, byte[] dst, int off, int len) throws IOException;

  /** A basis over an array (not copied). */
  static Basis of(byte[] data) {
    return new Basis() {
      @Override
      public long length() {
        return data.length;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        if (position < 0 || position + len > data.length) {
          throw new EOFException(
              "read of " + len + " bytes at " + position + " in a basis of " + data.length);
        }
        System.arraycopy(data, (int) position, dst, off, len);
      }
    };
  }

  /** A basis over an open file channel, read with positional reads; the caller closes it. */
  static Basis of(FileChannel channel) {
    return new Basis() {
      @Override
      public long length() throws IOException {
        return channel.size();
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
        long p = position;
        while (buf.hasRemaining()) {
          int n = channel.read(buf, p);
          if (n < 0) {
            throw new EOFException(
                "basis ended at " + p + " while reading " + len + " bytes at " + position);
          }
          p += n;
        }
      }
    };
  }
}
