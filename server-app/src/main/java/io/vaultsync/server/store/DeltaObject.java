package io.vaultsync.server.store;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stored object kept as a delta: its content is rebuilt ({@link DeltaChains}) on the first read
 * and then held by this instance, so open it per use rather than keeping it.
 */
public final class DeltaObject implements StoredObject {
  /** Produces the verified full content. */
  @FunctionalInterface
  public interface Content {
    byte[] load() throws IOException;
  }

  private final ContentHash hash;
  private final long size;
  private final Content content;
  private byte[] bytes;

  /**
   * An object of {@code size} bytes that {@code content} produces, verified, on the first read
   * (public for server-s3, which serves small verified objects from memory this way).
   */
  public DeltaObject(ContentHash hash, long size, Content content) {
    this.hash = hash;
    this.size = size;
    this.content = content;
  }

  private synchronized byte[] bytes() throws IOException {
    if (bytes == null) {
      bytes = content.load();
    }
    return bytes;
  }

  @Override
  public ContentHash hash() {
    return hash;
  }

  @Override
  public long size() {
    return size;
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
        System.arraycopy(bytes(), (int) position, dst, off, len);
      }
    };
  }

  @Override
  public InputStream stream() {
    return new InputStream() {
      private InputStream in;

      private InputStream in() throws IOException {
        if (in == null) {
          in = new ByteArrayInputStream(bytes());
        }
        return in;
      }

      @Override
      public int read() throws IOException {
        return in().read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return in().read(b, off, len);
      }
    };
  }

  @Override
  public String toString() {
    return "StoredObject[" + hash.hex() + ", " + size + " bytes, delta]";
  }
}
