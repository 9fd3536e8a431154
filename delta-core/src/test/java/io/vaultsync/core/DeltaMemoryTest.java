package io.vaultsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.format.DeltaStats;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Encoding a 1 GiB input against its signature keeps the heap at O(signature + 1 MiB): signature,
 * delta and patch of 1 GiB of generated data (never on disk, never in memory) under {@code
 * -Xmx64m}. Runs in its own surefire execution (delta-core/pom.xml) that sets the small heap; the
 * test fails if that setting is lost.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeltaMemoryTest {
  private static final long GIB = 1L << 30;
  private static final long SEED = 0x5eed_2026_1126L;
  private static final long MAX_HEAP = 96L << 20;

  @Test
  void oneGibibyteEncodesAndPatchesInASmallHeap() throws IOException {
    assertThat(Runtime.getRuntime().maxMemory())
        .as("max heap; this test must run with -Xmx64m (see the memory-test execution)")
        .isLessThanOrEqualTo(MAX_HEAP);
    long t0 = System.nanoTime();

    SignatureParams params = SignatureParams.forBasisLength(GIB);
    Signature sig = Deltas.signature(new Generated(SEED, 0, GIB), params);
    assertThat(sig.basisLength()).isEqualTo(GIB);
    assertThat(sig.memoryBytes()).isLessThan(1L << 20);
    long t1 = System.nanoTime();

    // Identical target: one COPY of the whole basis, no literal.
    Counting identicalDelta = new Counting(null);
    DeltaStats same = Deltas.delta(sig, new Generated(SEED, 0, GIB), identicalDelta);
    assertThat(same.targetBytes()).isEqualTo(GIB);
    assertThat(same.copiedBytes()).isEqualTo(GIB);
    assertThat(same.literalBytes()).isZero();
    assertThat(same.copyOps()).isEqualTo(1);
    assertThat(identicalDelta.count).isEqualTo(same.deltaBytes()).isLessThan(64);
    long t2 = System.nanoTime();

    // A few edits: three flipped bytes, 1000 bytes inserted, 5000 bytes deleted.
    Counting editedDelta = new Counting(new ByteArrayOutputStream());
    DeltaStats edited = Deltas.delta(sig, edited(), editedDelta);
    long block = params.blockLength();
    assertThat(edited.targetBytes()).isEqualTo(GIB + 1000 - 5000);
    assertThat(edited.copiedBytes() + edited.literalBytes()).isEqualTo(edited.targetBytes());
    assertThat(edited.literalBytes()).isBetween(1000L, 1000 + 6 * block);
    assertThat(edited.copiedBytes()).isGreaterThanOrEqualTo(GIB - 5000 - 6 * block);
    assertThat(edited.copyOps()).isBetween(4L, 12L);
    long t3 = System.nanoTime();

    // Patch it against the generated basis: the patcher checks length and SHA-256 of the output.
    byte[] delta = ((ByteArrayOutputStream) editedDelta.out).toByteArray();
    Counting patched = new Counting(null);
    ContentHash hash = Deltas.patch(generatedBasis(), new ByteArrayInputStream(delta), patched);
    assertThat(hash).isNotNull();
    assertThat(patched.count).isEqualTo(edited.targetBytes());
    long t4 = System.nanoTime();

    System.out.printf(
        "DeltaMemoryTest: max heap %d MiB, block %d, signature %d KiB, edited delta %d bytes;"
            + " signature %.1f s, identical delta %.1f s, edited delta %.1f s, patch %.1f s%n",
        Runtime.getRuntime().maxMemory() >> 20,
        block,
        sig.memoryBytes() >> 10,
        delta.length,
        (t1 - t0) / 1e9,
        (t2 - t1) / 1e9,
        (t3 - t2) / 1e9,
        (t4 - t3) / 1e9);
  }

  /** The basis with the edits applied, streamed. Positions are in basis coordinates. */
  private static InputStream edited() {
    long insertAt = 300_000_017L;
    long deleteAt = 700_000_003L;
    long[] flips = {12_345L, 512L << 20, GIB - 10};
    InputStream s =
        concat(
            new Generated(SEED, 0, insertAt),
            new Generated(SEED + 1, 0, 1000),
            new Generated(SEED, insertAt, deleteAt - insertAt),
            new Generated(SEED, deleteAt + 5000, GIB - deleteAt - 5000));
    return new FlipAt(s, flips, insertAt, 1000, deleteAt, 5000);
  }

  private static InputStream concat(InputStream... parts) {
    return new java.io.SequenceInputStream(java.util.Collections.enumeration(Arrays.asList(parts)));
  }

  private static Basis generatedBasis() {
    return new Basis() {
      @Override
      public long length() {
        return GIB;
      }

      @Override
      public void readFully(long position, byte[] dst, int off, int len) {
        Generated.fill(SEED, position, dst, off, len);
      }
    };
  }

  /**
   * Deterministic pseudo-random bytes from a seed, random-access (byte {@code p} comes from word
   * {@code p / 8} of a SplitMix64 sequence), so a basis can be read at any position without storing
   * it. Cheap: one 64-bit mix per 8 bytes.
   */
  static final class Generated extends InputStream {
    private final long seed;
    private long position;
    private final long end;

    Generated(long seed, long start, long length) {
      this.seed = seed;
      this.position = start;
      this.end = start + length;
    }

    static long word(long seed, long index) {
      long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    static void fill(long seed, long position, byte[] dst, int off, int len) {
      int i = 0;
      while (i < len && ((position + i) & 7) != 0) {
        dst[off + i] = byteAt(seed, position + i);
        i++;
      }
      for (; i + 8 <= len; i += 8) {
        long w = word(seed, (position + i) >>> 3);
        for (int k = 0; k < 8; k++) {
          dst[off + i + k] = (byte) (w >>> (8 * k));
        }
      }
      for (; i < len; i++) {
        dst[off + i] = byteAt(seed, position + i);
      }
    }

    static byte byteAt(long seed, long p) {
      return (byte) (word(seed, p >>> 3) >>> (8 * (p & 7)));
    }

    @Override
    public int read() {
      if (position == end) {
        return -1;
      }
      return byteAt(seed, position++) & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (position == end) {
        return -1;
      }
      int n = (int) Math.min(len, end - position);
      fill(seed, position, b, off, n);
      position += n;
      return n;
    }
  }

  /** XORs 0x5a into the bytes at the given basis positions of the edited stream. */
  static final class FlipAt extends java.io.FilterInputStream {
    private final long[] flips;
    private long pos;

    /** Maps basis positions to target positions for one insertion and one deletion. */
    FlipAt(InputStream in, long[] basisFlips, long insAt, long ins, long delAt, long del) {
      super(in);
      this.flips = new long[basisFlips.length];
      for (int i = 0; i < basisFlips.length; i++) {
        long p = basisFlips[i];
        this.flips[i] = p < insAt ? p : p < delAt ? p + ins : p + ins - del;
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        for (long f : flips) {
          if (f >= pos && f < pos + n) {
            b[off + (int) (f - pos)] ^= 0x5a;
          }
        }
        pos += n;
      }
      return n;
    }
  }

  /** Counts bytes and passes them on to {@code out}, or discards them if it is null. */
  static final class Counting extends OutputStream {
    final OutputStream out;
    long count;

    Counting(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      count++;
      if (out != null) {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count += len;
      if (out != null) {
        out.write(b, off, len);
      }
    }
  }
}
