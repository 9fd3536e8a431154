package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;

/**
 * The stream a {@link PackWriter} hands to each object's source: buffered positional writes into
 * the pack at the object's place, hashed and counted on the way. One per pack, reused by each
 * object (issue 16: a buffer, a digest and two stream wrappers per object were a visible share of a
 * 50,000-file commit). {@link #close} only flushes: the channel belongs to the writer. Not
 * thread-safe.
 */
final class PendingOutput extends OutputStream {
  private static final int BUFFER = 64 * 1024;

  private final FileChannel channel;
  private final MessageDigest md = ContentHash.newDigest();
  private final byte[] buf = new byte[BUFFER];
  private int buffered;
  private long position;
  private long count;

  PendingOutput(FileChannel channel) {
    this.channel = channel;
  }

  /** Starts an object whose bytes go at {@code position} of the pack. */
  void begin(long position) {
    this.position = position;
    this.count = 0;
    this.buffered = 0;
    md.reset();
  }

  /** The hash of the object's bytes; call once, after {@link #flush}. */
  ContentHash hash() {
    return ContentHash.finish(md);
  }

  /** The object's length so far. */
  long count() {
    return count;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    md.update(b, off, len);
    count += len;
    if (len >= BUFFER) {
      drain();
      writeFully(b, off, len);
      return;
    }
    if (len > BUFFER - buffered) {
      drain();
    }
    System.arraycopy(b, off, buf, buffered, len);
    buffered += len;
  }

  @Override
  public void flush() throws IOException {
    drain();
  }

  @Override
  public void close() throws IOException {
    flush();
  }

  private void drain() throws IOException {
    if (buffered > 0) {
      writeFully(buf, 0, buffered);
      buffered = 0;
    }
  }

  private void writeFully(byte[] b, int off, int len) throws IOException {
    ByteBuffer chunk = ByteBuffer.wrap(b, off, len);
    while (chunk.hasRemaining()) {
      position += channel.write(chunk, position);
    }
  }
}
