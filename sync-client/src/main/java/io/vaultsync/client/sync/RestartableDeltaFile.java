package io.vaultsync.client.sync;

import io.vaultsync.protocol.RestartableOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * A buffered output to a temporary delta file that a transport may {@link #restart} (truncating the
 * file) when it retries a download whose connection broke midway. Not thread-safe.
 */
final class RestartableDeltaFile extends OutputStream implements RestartableOutput {
  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);

  /** Opens {@code file} (which exists, empty) for writing. */
  RestartableDeltaFile(Path file) throws IOException {
    this.channel =
        FileChannel.open(
            Objects.requireNonNull(file, "file"),
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
  }

  @Override
  public void write(int b) throws IOException {
    if (!buffer.hasRemaining()) {
      drain();
    }
    buffer.put((byte) b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    while (len > 0) {
      if (!buffer.hasRemaining()) {
        drain();
      }
      int n = Math.min(len, buffer.remaining());
      buffer.put(b, off, n);
      off += n;
      len -= n;
    }
  }

  private void drain() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }

  @Override
  public void flush() throws IOException {
    drain();
  }

  @Override
  public void restart() throws IOException {
    buffer.clear();
    channel.truncate(0);
    channel.position(0);
  }

  @Override
  public void close() throws IOException {
    try {
      drain();
    } finally {
      channel.close();
    }
  }
}
