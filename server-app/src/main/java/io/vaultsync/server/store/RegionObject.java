package io.vaultsync.server.store;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A stored object: a region of a pack file, read with positional reads only.
 *
 * <p>A repack moves objects into a new pack and, later, closes the old pack's channel. A reader
 * that opened the object before (a commit patching against its base, a fetch streaming it) then
 * finds the channel closed; since content is immutable and a repack never drops an object, it opens
 * the object again through {@code reopen} (the store's current index) and carries on at the same
 * position.
 */
public final class RegionObject implements StoredObject {
  /** Opens an object again by hash from the store's current index. */
  @FunctionalInterface
  interface Reopen {
    StoredObject open(ContentHash hash) throws IOException;
  }

  private final ContentHash hash;
  private final FileChannel channel;
  private final long offset;
  private final long length;
  private final Reopen reopen;
  private volatile Basis moved;

  /**
   * The region {@code [offset, offset + length)} of {@code channel} (public for server-s3, whose
   * batches and cache serve regions of local files).
   */
  public RegionObject(ContentHash hash, FileChannel channel, long offset, long length) {
    this(hash, channel, offset, length, null);
  }

  RegionObject(ContentHash hash, FileChannel channel, long offset, long length, Reopen reopen) {
    this.hash = hash;
    this.channel = channel;
    this.offset = offset;
    this.length = length;
    this.reopen = reopen;
  }

  @Override
  public ContentHash hash() {
    return hash;
  }

  @Override
  public long size() {
    return length;
  }

  @Override
  public Basis basis() {
    return new Basis() {
      @Override
      public long length() {
        return length;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws IOException {
        if (position < 0 || len < 0 || position > length - len) {
          throw new EOFException(
              "read of " + len + " bytes at " + position + " in a basis of " + length);
        }
        readAt(offset + position, dst, off, len);
      }
    };
  }

  @Override
  public InputStream stream() {
    return new InputStream() {
      private long position;

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
        readAt(offset + position, b, off, n);
        position += n;
        return n;
      }
    };
  }

  private void readAt(long at, byte[] dst, int off, int len) throws IOException {
    Basis elsewhere = moved;
    if (elsewhere != null) {
      elsewhere.readFully(at - offset, dst, off, len);
      return;
    }
    try {
      readHere(at, dst, off, len);
    } catch (java.nio.channels.ClosedChannelException e) {
      if (reopen == null) {
        throw e;
      }
      elsewhere = reopen.open(hash).basis(); // repacked meanwhile: same bytes, another place
      moved = elsewhere;
      elsewhere.readFully(at - offset, dst, off, len);
    }
  }

  private void readHere(long at, byte[] dst, int off, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
    long p = at;
    while (buf.hasRemaining()) {
      int n = channel.read(buf, p);
      if (n < 0) {
        throw new EOFException("pack ended at " + p + " while reading " + hash.hex());
      }
      p += n;
    }
  }

  @Override
  public String toString() {
    return "StoredObject[" + hash.hex() + ", " + length + " bytes]";
  }
}
