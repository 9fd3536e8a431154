package io.vaultsync.transport.grpc;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Cuts what is written into chunks of exactly {@code chunkBytes} (the last one shorter) and hands
 * each to a sink, which may block (flow control). {@link #flush} does not cut a short chunk: the
 * bytes go out when a chunk is full or at {@link #close}. Not thread-safe.
 */
final class ChunkingOutputStream extends OutputStream {
  /** Receives each chunk; may block. */
  @FunctionalInterface
  interface ChunkSink {
    void accept(ByteString chunk) throws IOException;
  }

  private final ChunkSink sink;
  private final byte[] buffer;
  private int filled;
  private long total;
  private boolean closed;

  ChunkingOutputStream(int chunkBytes, ChunkSink sink) {
    if (chunkBytes < 1) {
      throw new IllegalArgumentException("chunk size " + chunkBytes + "; expected >= 1");
    }
    this.buffer = new byte[chunkBytes];
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public void write(int b) throws IOException {
    ensureOpen();
    buffer[filled++] = (byte) b;
    total++;
    if (filled == buffer.length) {
      emit();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    ensureOpen();
    while (len > 0) {
      int n = Math.min(len, buffer.length - filled);
      System.arraycopy(b, off, buffer, filled, n);
      filled += n;
      off += n;
      len -= n;
      total += n;
      if (filled == buffer.length) {
        emit();
      }
    }
  }

  /** Sends the last, short chunk if any. */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      if (filled > 0) {
        emit();
      }
    }
  }

  /** Bytes written so far. */
  long total() {
    return total;
  }

  private void emit() throws IOException {
    ByteString chunk = ByteString.copyFrom(buffer, 0, filled);
    filled = 0;
    sink.accept(chunk);
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
  }
}
