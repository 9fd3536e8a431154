package io.vaultsync.client.sync;

import io.vaultsync.core.delta.DeltaSink;
import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.util.Objects;

/**
 * Passes a delta on and keeps the target's SHA-256 the encoder declares at its end, so an upload
 * reads and hashes each file once (the encoder hashes the target anyway) instead of twice.
 */
final class TargetHashSink implements DeltaSink {
  private final DeltaSink next;
  private ContentHash targetHash;

  TargetHashSink(DeltaSink next) {
    this.next = Objects.requireNonNull(next, "next");
  }

  @Override
  public void copy(long offset, long length) throws IOException {
    next.copy(offset, length);
  }

  @Override
  public void literal(byte[] data, int offset, int length) throws IOException {
    next.literal(data, offset, length);
  }

  @Override
  public void end(long targetLength, ContentHash targetHash) throws IOException {
    next.end(targetLength, targetHash);
    this.targetHash = targetHash;
  }

  /**
   * The hash declared at the end of the delta.
   *
   * @throws IllegalStateException if the delta has not ended
   */
  ContentHash targetHash() {
    if (targetHash == null) {
      throw new IllegalStateException("the delta has not ended");
    }
    return targetHash;
  }
}
