package io.vaultsync.core.delta;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.hash.PipelinedDigest;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Applies operations to a basis and streams the output, hashing it as it goes; at the end marker it
 * fails unless the output's length and SHA-256 are the ones the delta declares. Memory: one copy
 * buffer of {@value #COPY_BUFFER} bytes.
 *
 * <p>A failure leaves whatever was already written in {@code out}: callers that write a file write
 * to a temporary name and rename only on success (see {@code io.vaultsync.core.Deltas}).
 *
 * <p>A patcher may be given a bound on the output ({@code maxTargetBytes}): an operation that would
 * take the output past it fails with {@link TargetTooLargeException} before any of its bytes is
 * written, so a tiny delta that declares a huge target (a copy of the whole basis repeated many
 * times, or one copy per megabyte of literal) costs nothing to refuse. The delta's own end marker
 * cannot be trusted for this: it comes last.
 *
 * <p>Not thread-safe.
 */
public final class Patcher implements DeltaSink {
  static final int COPY_BUFFER = 256 * 1024;

  private final Basis basis;
  private final long basisLength;
  private final OutputStream out;
  private final PipelinedDigest sha;
  private final long maxTargetBytes;
  private byte[] stage = new byte[8 * 1024];
  private byte[] spare = new byte[8 * 1024];
  private int staged;
  private long written;
  private ContentHash result;

  public Patcher(Basis basis, OutputStream out) throws IOException {
    this(basis, out, null);
  }

  /** A patcher that hashes its output on {@code executor} (null: on the calling thread). */
  public Patcher(Basis basis, OutputStream out, Executor executor) throws IOException {
    this(basis, out, executor, Long.MAX_VALUE);
  }

  /**
   * A patcher that hashes its output on {@code executor} (null: on the calling thread) and refuses
   * to write more than {@code maxTargetBytes} bytes ({@link TargetTooLargeException}).
   *
   * @throws IllegalArgumentException if {@code maxTargetBytes} is negative
   */
  public Patcher(Basis basis, OutputStream out, Executor executor, long maxTargetBytes)
      throws IOException {
    if (maxTargetBytes < 0) {
      throw new IllegalArgumentException(
          "maxTargetBytes " + maxTargetBytes + "; expected 0 or more");
    }
    this.basis = Objects.requireNonNull(basis, "basis");
    this.basisLength = basis.length();
    this.out = Objects.requireNonNull(out, "out");
    this.maxTargetBytes = maxTargetBytes;
    this.sha = new PipelinedDigest(executor);
  }

  /** Fails before an operation of {@code length} bytes takes the output past the bound. */
  private void checkBound(long length) throws TargetTooLargeException {
    if (length > maxTargetBytes - written) {
      long reached = length > Long.MAX_VALUE - written ? Long.MAX_VALUE : written + length;
      throw new TargetTooLargeException(reached, maxTargetBytes);
    }
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
    checkBound(length);
    long p = offset;
    long left = length;
    while (left > 0) {
      int n = (int) Math.min(left, stage.length - staged);
      basis.readFully(p, stage, staged, n);
      staged += n;
      p += n;
      left -= n;
      if (staged == stage.length) {
        ship();
      }
    }
    written += length;
  }

  @Override
  public void literal(byte[] data, int offset, int length) throws IOException {
    checkBound(length);
    int left = length;
    while (left > 0) {
      int n = Math.min(left, stage.length - staged);
      System.arraycopy(data, offset, stage, staged, n);
      staged += n;
      offset += n;
      left -= n;
      if (staged == stage.length) {
        ship();
      }
    }
    written += length;
  }

  /**
   * Hands the staged bytes to the hasher and the output, and swaps buffers. The buffers start at 8
   * KiB and double up to {@value #COPY_BUFFER} as output keeps coming, so patching a small note
   * stays cheap.
   */
  private void ship() throws IOException {
    if (staged == 0) {
      return;
    }
    sha.update(stage, 0, staged);
    out.write(stage, 0, staged);
    byte[] shipped = stage;
    if (staged == shipped.length && shipped.length < COPY_BUFFER) {
      stage = new byte[Math.min(COPY_BUFFER, 2 * shipped.length)];
    } else {
      stage = spare.length >= shipped.length ? spare : new byte[shipped.length];
    }
    spare = shipped;
    staged = 0;
  }

  @Override
  public void end(long targetLength, ContentHash targetHash) throws IOException {
    if (targetLength != written) {
      throw new CorruptDataException(
          "delta declares a target of " + targetLength + " bytes; the patch wrote " + written);
    }
    ship();
    ContentHash actual = sha.finish();
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
