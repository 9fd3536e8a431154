package io.vaultsync.core.signature;

import io.vaultsync.core.internal.StrongSum;
import java.util.Arrays;

/**
 * The signature of a basis: for each block its weak rolling sum and the first {@code strongLength}
 * bytes of its {@link StrongSum}, held in two primitive arrays (not an object per block), so a
 * signature costs {@code 4 + strongLength} bytes per block.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class Signature {
  /**
   * Upper bound on blocks in one signature: 2^25, so the strong hashes (at most 32 bytes a block)
   * fit in one array of at most 1 GiB.
   */
  public static final int MAX_BLOCKS = 1 << 25;

  private final SignatureParams params;
  private final long basisLength;
  private final int blockCount;
  private final int[] weak;
  private final byte[] strong;

  private Signature(SignatureParams params, long basisLength, int[] weak, byte[] strong) {
    this.params = params;
    this.basisLength = basisLength;
    this.blockCount = weak.length;
    this.weak = weak;
    this.strong = strong;
  }

  /**
   * Number of blocks a basis of {@code basisLength} bytes has with blocks of {@code blockLength}.
   */
  public static long blockCountFor(long basisLength, int blockLength) {
    return (basisLength + blockLength - 1) / blockLength;
  }

  public SignatureParams params() {
    return params;
  }

  public int blockLength() {
    return params.blockLength();
  }

  public int strongLength() {
    return params.strongLength();
  }

  public long basisLength() {
    return basisLength;
  }

  public int blockCount() {
    return blockCount;
  }

  /** Where block {@code block} starts in the basis. */
  public long blockOffset(int block) {
    return (long) block * params.blockLength();
  }

  /** Length of block {@code block}: the block length, or less for the last block. */
  public int blockLengthOf(int block) {
    return (int) Math.min(params.blockLength(), basisLength - blockOffset(block));
  }

  public int weakSum(int block) {
    return weak[block];
  }

  /** Whether block {@code block}'s strong hash equals the first strongLength bytes of digest. */
  public boolean strongEquals(int block, byte[] digest) {
    int s = params.strongLength();
    return Arrays.equals(strong, block * s, block * s + s, digest, 0, s);
  }

  /** Whether blocks {@code a} and {@code b} have the same strong hash. */
  public boolean strongEquals(int a, int b) {
    int s = params.strongLength();
    return Arrays.equals(strong, a * s, a * s + s, strong, b * s, b * s + s);
  }

  /** Copies block {@code block}'s strong hash into {@code dst} at {@code offset}. */
  public void copyStrong(int block, byte[] dst, int offset) {
    int s = params.strongLength();
    System.arraycopy(strong, block * s, dst, offset, s);
  }

  /** Bytes of heap this signature holds in its arrays. */
  public long memoryBytes() {
    return 4L * weak.length + strong.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature other
        && params.equals(other.params)
        && basisLength == other.basisLength
        && Arrays.equals(weak, other.weak)
        && Arrays.equals(strong, other.strong);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(weak) + Long.hashCode(basisLength);
  }

  @Override
  public String toString() {
    return "Signature[block="
        + params.blockLength()
        + ", strong="
        + params.strongLength()
        + ", basis="
        + basisLength
        + " bytes, blocks="
        + blockCount
        + "]";
  }

  /**
   * Collects blocks in order. Used by {@link SignatureBuilder} (hashing a basis) and by the
   * signature reader (parsing one); grows its arrays as blocks arrive, so a header that claims many
   * blocks allocates nothing until their bytes are really there.
   */
  public static final class Accumulator {
    private final SignatureParams params;
    private final int maxBlocks;
    private int[] weak;
    private byte[] strong;
    private int count;

    /** An accumulator that accepts at most {@code maxBlocks} ({@code <=} {@link #MAX_BLOCKS}). */
    public Accumulator(SignatureParams params, int maxBlocks) {
      if (maxBlocks < 0 || maxBlocks > MAX_BLOCKS) {
        throw new IllegalArgumentException(
            "signature of " + maxBlocks + " blocks; expected 0.." + MAX_BLOCKS);
      }
      this.params = params;
      this.maxBlocks = maxBlocks;
      int initial = Math.min(maxBlocks, 16);
      this.weak = new int[initial];
      this.strong = new byte[initial * params.strongLength()];
    }

    /** Adds the next block: its weak sum and the first strongLength bytes of {@code digest}. */
    public void add(int weakSum, byte[] digest, int digestOffset) {
      if (count == maxBlocks) {
        throw new IllegalStateException("signature is full at " + maxBlocks + " blocks");
      }
      if (count == weak.length) {
        int grown = (int) Math.min(maxBlocks, Math.max(16L, 2L * weak.length));
        weak = Arrays.copyOf(weak, grown);
        strong = Arrays.copyOf(strong, grown * params.strongLength());
      }
      weak[count] = weakSum;
      System.arraycopy(
          digest, digestOffset, strong, count * params.strongLength(), params.strongLength());
      count++;
    }

    public int count() {
      return count;
    }

    /** The signature of a basis of {@code basisLength} bytes, whose blocks must all be added. */
    public Signature build(long basisLength) {
      long expected = blockCountFor(basisLength, params.blockLength());
      if (basisLength < 0 || count != expected) {
        throw new IllegalStateException(
            count
                + " blocks added; a basis of "
                + basisLength
                + " bytes in blocks of "
                + params.blockLength()
                + " needs "
                + expected);
      }
      int[] w = weak.length == count ? weak : Arrays.copyOf(weak, count);
      int sl = params.strongLength();
      byte[] s = strong.length == count * sl ? strong : Arrays.copyOf(strong, count * sl);
      weak = null;
      strong = null;
      return new Signature(params, basisLength, w, s);
    }
  }
}
