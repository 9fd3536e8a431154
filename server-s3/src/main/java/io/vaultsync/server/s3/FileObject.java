package io.vaultsync.server.s3;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A verified object read from a file (the cache's copy, or a download too large to cache) through
 * positional reads on one open channel. The file may be evicted (unlinked) while the object is in
 * use: the open channel still reads it. {@link io.vaultsync.server.store.StoredObject} has no
 * close, so the channel is closed when the object becomes unreachable.
 */
final class FileObject implements io.vaultsync.server.store.StoredObject {
  private static final Cleaner CLEANER = Cleaner.create();

  private final ContentHash hash;
  private final FileChannel channel;
  private final long size;

  FileObject(ContentHash hash, FileChannel channel, long size) {
    this.hash = hash;
    this.channel = channel;
    this.size = size;
    CLEANER.register(this, () -> closeQuietly(channel));
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public ContentHash hash() {
    return hash;
  }

  @Override
  public long size() {
    return size;
  }

  /** Reads {@code len} bytes at {@code position} of {@code ch}, all of them or EOFException. */
  static void readFully(FileChannel ch, long position, byte[] dst, int off, int len)
      throws IOException {
    ByteBuffer b = ByteBuffer.wrap(dst, off, len);
    while (b.hasRemaining()) {
      int n = ch.read(b, position + (b.position() - off));
      if (n < 0) {
        throw new EOFException("file ended " + b.remaining() + " bytes early");
      }
    }
  }

  @Override
  public Basis basis() {
    return new Basis() {
      @Override
      public long length() {
        return size;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        if (position < 0 || len < 0 || position > size - len) {
          throw new EOFException(
              "read of " + len + " bytes at " + position + " in a basis of " + size);
        }
        FileObject.readFully(channel, position, dst, off, len);
      }
    };
  }

  @Override
  public InputStream stream() {
    return new RegionStream(channel, 0, size, this);
  }

  @Override
  public String toString() {
    return "StoredObject[" + hash.hex() + ", " + size + " bytes, file]";
  }
}
