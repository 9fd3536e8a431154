package io.vaultsync.server.s3;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;

/** A verified small object held in memory (at most {@link S3ContentStore#IN_MEMORY} bytes). */
final class BytesObject implements io.vaultsync.server.store.StoredObject {
  private final ContentHash hash;
  private final byte[] bytes;

  BytesObject(ContentHash hash, byte[] bytes) {
    this.hash = hash;
    this.bytes = bytes;
  }

  @Override
  public ContentHash hash() {
    return hash;
  }

  @Override
  public long size() {
    return bytes.length;
  }

  @Override
  public Basis basis() {
    return new Basis() {
      @Override
      public long length() {
        return bytes.length;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) throws EOFException {
        if (position < 0 || len < 0 || position > bytes.length - len) {
          throw new EOFException(
              "read of " + len + " bytes at " + position + " in a basis of " + bytes.length);
        }
        System.arraycopy(bytes, (int) position, dst, off, len);
      }
    };
  }

  @Override
  public InputStream stream() {
    return new ByteArrayInputStream(bytes);
  }

  @Override
  public String toString() {
    return "StoredObject[" + hash.hex() + ", " + bytes.length + " bytes, in memory]";
  }
}
