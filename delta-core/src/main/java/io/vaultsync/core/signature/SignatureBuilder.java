package io.vaultsync.core.signature;

import io.vaultsync.core.internal.RollingChecksum;
import io.vaultsync.core.internal.StrongSum;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Computes a signature incrementally: feed the basis in buffers of any size, then {@link
 * #finish()}. Never opens files. Holds one block of carry-over between calls; a block that arrives
 * whole in one buffer is hashed in place, without a copy.
 *
 * <p>Given an executor, a buffer of at least {@value #PARALLEL_MIN_BLOCKS} whole blocks is split in
 * two: the executor hashes the second half while the calling thread hashes the first. Blocks are
 * independent, so this doubles throughput on two cores with no change to the result.
 *
 * <p>Not thread-safe.
 */
public final class SignatureBuilder {
  private final SignatureParams params;
  private final byte[] digest = new byte[StrongSum.LENGTH];
  private final byte[] carry;
  private final Signature.Accumulator blocks;
  private int carried;
  private long length;
  private boolean finished;
  private final ExecutorService executor;

  static final int PARALLEL_MIN_BLOCKS = 64;

  public SignatureBuilder(SignatureParams params) {
    this(params, null);
  }

  /**
   * A builder that hashes large buffers on {@code executor} too (null: the calling thread only).
   */
  public SignatureBuilder(SignatureParams params, ExecutorService executor) {
    this.params = params;
    this.executor = executor;
    this.carry = new byte[params.blockLength()];
    this.blocks = new Signature.Accumulator(params, Signature.MAX_BLOCKS);
  }

  /** Signature of an in-memory basis. */
  public static Signature of(byte[] basis, SignatureParams params) {
    SignatureBuilder b = new SignatureBuilder(params);
    b.update(basis, 0, basis.length);
    return b.finish();
  }

  /** Feeds {@code len} bytes of the basis. */
  public void update(byte[] data, int off, int len) {
    if (finished) {
      throw new IllegalStateException("signature already finished");
    }
    Objects.checkFromIndexSize(off, len, data.length);
    length += len;
    int block = params.blockLength();
    if (carried > 0) {
      int n = Math.min(len, block - carried);
      System.arraycopy(data, off, carry, carried, n);
      carried += n;
      off += n;
      len -= n;
      if (carried < block) {
        return;
      }
      addBlock(carry, 0, block);
      carried = 0;
    }
    int whole = len / block;
    if (executor != null && whole >= PARALLEL_MIN_BLOCKS) {
      int first = whole / 2;
      int second = whole - first;
      int secondOff = off + first * block;
      Future<Hashed> later = executor.submit(() -> hashBlocks(data, secondOff, second));
      for (int i = 0; i < first; i++) {
        addBlock(data, off + i * block, block);
      }
      Hashed h = join(later);
      for (int i = 0; i < second; i++) {
        blocks.add(h.weak[i], h.strong, i * StrongSum.LENGTH);
      }
      off += whole * block;
      len -= whole * block;
    }
    while (len >= block) {
      addBlock(data, off, block);
      off += block;
      len -= block;
    }
    if (len > 0) {
      System.arraycopy(data, off, carry, 0, len);
      carried = len;
    }
  }

  /** The signature of everything fed; the builder cannot be used afterwards. */
  public Signature finish() {
    if (finished) {
      throw new IllegalStateException("signature already finished");
    }
    if (carried > 0) {
      addBlock(carry, 0, carried);
      carried = 0;
    }
    finished = true;
    return blocks.build(length);
  }

  private record Hashed(int[] weak, byte[] strong) {}

  private Hashed hashBlocks(byte[] data, int off, int count) {
    int block = params.blockLength();
    int[] weak = new int[count];
    byte[] strong = new byte[count * StrongSum.LENGTH];
    for (int i = 0; i < count; i++) {
      int p = off + i * block;
      weak[i] = RollingChecksum.of(data, p, block);
      StrongSum.of(data, p, block, strong, i * StrongSum.LENGTH);
    }
    return new Hashed(weak, strong);
  }

  private static Hashed join(Future<Hashed> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while hashing signature blocks", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("hashing signature blocks failed", e.getCause());
    }
  }

  private void addBlock(byte[] data, int off, int len) {
    int weak = RollingChecksum.of(data, off, len);
    StrongSum.of(data, off, len, digest, 0);
    blocks.add(weak, digest, 0);
  }
}
