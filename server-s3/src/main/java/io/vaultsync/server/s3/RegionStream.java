package io.vaultsync.server.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/**
 * The bytes {@code [offset, offset + length)} of a file through positional reads (many streams may
 * read one channel at once). Holds {@code owner}, so that what closes the channel when its owner
 * becomes unreachable waits until the stream is done.
 */
final class RegionStream extends InputStream {
  private final FileChannel channel;
  private final long offset;
  private final long length;

  @SuppressWarnings({"unused", "FieldCanBeLocal"})
  private final Object owner;

  private long position;

  RegionStream(FileChannel channel, long offset, long length, Object owner) {
    this.channel = channel;
    this.offset = offset;
    this.length = length;
    this.owner = owner;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (position >= length) {
      return -1;
    }
    int n = (int) Math.min(len, length - position);
    FileObject.readFully(channel, offset + position, b, off, n);
    position += n;
    return n;
  }

  @Override
  public long skip(long n) {
    long s = Math.max(0, Math.min(n, length - position));
    position += s;
    return s;
  }
}
