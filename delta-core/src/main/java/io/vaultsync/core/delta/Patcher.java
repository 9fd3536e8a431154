package io.vaultsync.core.delta;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Applies operations to a basis and streams the output, hashing it as it goes; at the end marker it
 * fails unless the output's length and SHA-256 are the ones the delta declares. Memory: one copy
 * buffer of {@value #COPY_BUFFER} bytes.
 *
 * <p>A failure leaves whatever was already written in {@code out}: callers that write a file write
 * to a temporary name and rename only on success (see {@code io.vaultsync.core.Deltas}).
 *
 * <p>Not thread-safe.
 */
public final class Patcher implements DeltaSink {
  static final int COPY_BUFFER = 64 * 1024;

  private final Basis basis;
  private final long basisLength;
  private final OutputStream out;
  private final MessageDigest sha = ContentHash.newDigest();
  private final byte[] buffer = new byte[COPY_BUFFER];
  private long written;
  private ContentHash result;

  public Patcher(Basis basis, OutputStream out) throws IOException {
    this.basis = Objects.requireNonNull(basis, "basis");
    this.basisLength = basis.length();
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void copy(long offset, long length) throws IOException {
    if (offset < 0 || length <= 0 || offset > basisLength || length > basisLength - offset) {
      throw new CorruptDataException(
          "copy of "
              + length
              + " bytes at basis offset "
              + offset
              + " is outside the basis of "
              + basisLength
              + " bytes");
    }
    long p = offset;
    long left = length;
    while (left > 0) {
      int n = (int) Math.min(left, buffer.length);
      basis.readFully(p, buffer, 0, n);
      sha.update(buffer, 0, n);
      out.write(buffer, 0, n);
      p += n;
      left -= n;
    }
    written += length;
  }

  @Override
  public void literal(byte[] data, int offset, int length) throws IOException {
    sha.update(data, offset, length);
    out.write(data, offset, length);
    written += length;
  }

  @Override
  public void end(long targetLength, ContentHash targetHash) throws IOException {
    if (targetLength != written) {
      throw new CorruptDataException(
          "delta declares a target of " + targetLength + " bytes; the patch wrote " + written);
    }
    ContentHash actual = ContentHash.finish(sha);
    if (!actual.equals(targetHash)) {
      throw new CorruptDataException(
          "patched output has hash "
              + actual.hex()
              + "; the delta declares "
              + targetHash.hex()
              + " (wrong basis or corrupt delta)");
    }
    out.flush();
    result = actual;
  }

  /** Bytes written so far. */
  public long written() {
    return written;
  }

  /** The verified hash of the output, once the end marker was applied; otherwise null. */
  public ContentHash verifiedHash() {
    return result;
  }
}
