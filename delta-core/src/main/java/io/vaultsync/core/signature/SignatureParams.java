package io.vaultsync.core.signature;

import io.vaultsync.core.internal.StrongSum;

/**
 * How a basis is cut into blocks for its signature.
 *
 * @param blockLength bytes per block (the last block of a basis may be shorter), {@value
 *     #MIN_BLOCK_LENGTH}..{@value #MAX_BLOCK_LENGTH}
 * @param strongLength bytes of each block's {@link StrongSum} that the signature keeps, {@value
 *     #MIN_STRONG_LENGTH}..{@value #MAX_STRONG_LENGTH}
 */
public record SignatureParams(int blockLength, int strongLength) {
  public static final int MIN_BLOCK_LENGTH = 16;
  public static final int MAX_BLOCK_LENGTH = 1 << 20;
  public static final int MIN_STRONG_LENGTH = 4;
  public static final int MAX_STRONG_LENGTH = StrongSum.LENGTH;

  /** Block length for bases up to 64 KiB: small enough that a one-line edit in a note is cheap. */
  static final int SMALL_FILE_BLOCK_LENGTH = 256;

  /** The heuristic never picks blocks longer than this; callers may. */
  static final int MAX_HEURISTIC_BLOCK_LENGTH = 64 * 1024;

  public SignatureParams {
    if (blockLength < MIN_BLOCK_LENGTH || blockLength > MAX_BLOCK_LENGTH) {
      throw new IllegalArgumentException(
          "block length "
              + blockLength
              + "; expected "
              + MIN_BLOCK_LENGTH
              + ".."
              + MAX_BLOCK_LENGTH);
    }
    if (strongLength < MIN_STRONG_LENGTH || strongLength > MAX_STRONG_LENGTH) {
      throw new IllegalArgumentException(
          "strong hash length "
              + strongLength
              + "; expected "
              + MIN_STRONG_LENGTH
              + ".."
              + MAX_STRONG_LENGTH);
    }
  }

  /**
   * Parameters for a basis of {@code basisLength} bytes.
   *
   * <p>Block length: {@value #SMALL_FILE_BLOCK_LENGTH} bytes up to 64 KiB (most notes are a few
   * KiB, so a one-line edit costs about one block of literal); above that √length rounded up to a
   * multiple of 128, at most 64 KiB. The square root balances the two costs of a delta: the
   * signature grows as length/block and each edit costs about one block of literal (rsync and
   * librsync use the same rule).
   *
   * <p>Strong length: librsync's rule, enough bits that a false block match stays below about
   * 2<sup>-24</sup> per file even for large files: {@code 2 + (log2(length + 2^24) + log2(blocks +
   * 1) + 7) / 8} bytes. A false match could only corrupt output that the whole-file hash then
   * rejects.
   */
  public static SignatureParams forBasisLength(long basisLength) {
    if (basisLength < 0) {
      throw new IllegalArgumentException("basis length " + basisLength + "; expected >= 0");
    }
    int block;
    if (basisLength <= 64 * 1024) {
      block = SMALL_FILE_BLOCK_LENGTH;
    } else {
      long root = (long) Math.ceil(Math.sqrt((double) basisLength));
      block = (int) Math.min(MAX_HEURISTIC_BLOCK_LENGTH, (root + 127) / 128 * 128);
    }
    return withBlockLength(basisLength, block);
  }

  /** Parameters with a caller-chosen block length and the strong length the heuristic picks. */
  public static SignatureParams withBlockLength(long basisLength, int blockLength) {
    if (blockLength < MIN_BLOCK_LENGTH) {
      throw new IllegalArgumentException(
          "block length " + blockLength + "; expected >= " + MIN_BLOCK_LENGTH);
    }
    long blocks = basisLength / blockLength + 1;
    int bits = log2(basisLength + (1L << 24)) + log2(blocks + 1);
    int strong = 2 + (bits + 7) / 8;
    return new SignatureParams(
        blockLength, Math.max(MIN_STRONG_LENGTH, Math.min(MAX_STRONG_LENGTH, strong)));
  }

  private static int log2(long v) {
    return 63 - Long.numberOfLeadingZeros(Math.max(1, v));
  }
}
