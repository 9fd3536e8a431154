package io.vaultsync.core.format;

import java.io.InputStream;

/**
 * Returns at most {@code chunk} bytes per read, like a slow pipe (okio's one-byte source with a
 * chunk of 1): short reads everywhere, for the readers' tests.
 */
public class ChunkedInputStream extends InputStream {
  private final byte[] data;
  private final int chunk;
  private int pos;

  public ChunkedInputStream(byte[] data, int chunk) {
    this.data = data;
    this.chunk = chunk;
  }

  @Override
  public int read() {
    return pos < data.length ? data[pos++] & 0xff : -1;
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (len == 0) {
      return 0;
    }
    if (pos == data.length) {
      return -1;
    }
    int n = Math.min(Math.min(len, chunk), data.length - pos);
    System.arraycopy(data, pos, b, off, n);
    pos += n;
    return n;
  }
}
