package io.vaultsync.server.s3;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.StoredObject;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

/** Content staged in an open {@link S3Batch}: a region of the batch's local file. */
final class StagedObject implements StoredObject {
  private final ContentHash hash;
  private final FileChannel channel;
  private final long offset;
  private final long length;

  StagedObject(ContentHash hash, FileChannel channel, long offset, long length) {
    this.hash = hash;
    this.channel = channel;
    this.offset = offset;
    this.length = length;
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
        FileObject.readFully(channel, offset + position, dst, off, len);
      }
    };
  }

  @Override
  public InputStream stream() {
    return new RegionStream(channel, offset, length, this);
  }
}
