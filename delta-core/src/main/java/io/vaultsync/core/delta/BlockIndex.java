package io.vaultsync.core.delta;

import io.vaultsync.core.signature.Signature;

/**
 * Finds the basis blocks whose weak sum equals a window's: an open-addressing table of longs, each
 * {@code weak << 32 | (block + 1)}, at most a quarter full, so a miss (the common case while
 * rolling through changed data) usually costs one load from a table of 32 bytes per block.
 *
 * <p>Blocks with the same weak and strong sum as an earlier block (runs of zeros, repeated
 * boilerplate) are indexed once, and a lookup visits at most {@link #MAX_PROBES} slots, so a basis
 * crafted to collide cannot make one lookup long. Only full-length blocks are indexed; the short
 * last block is matched at the end of the target only.
 *
 * <p>Immutable after construction; safe to share between threads.
 */
final class BlockIndex {
  /** Most slots one lookup (or insertion) visits. */
  static final int MAX_PROBES = 32;

  private static final int GOLDEN = 0x9E3779B9;

  /** The filter's second hash: another odd multiplier, so the two bits are independent. */
  private static final int GOLDEN2 = 0x85EBCA6B;

  final long[] table;
  final int shift;
  final int mask;

  /**
   * A Bloom filter over the indexed weak sums, two bits per sum, {@value #FILTER_BITS_PER_BLOCK}
   * bits per block: a window with either bit clear has no candidate. It is 16 times smaller than
   * the table, so while rolling through changed data the per-byte probe stays in cache; with two
   * bits the false positives that send a probe to the table (a likely cache miss) drop from ~6% to
   * ~1.4% of positions.
   */
  final long[] filter;

  final int filterShift;

  static final int FILTER_BITS_PER_BLOCK = 16;

  BlockIndex(Signature signature) {
    int full = fullBlocks(signature);
    int bits = Math.max(4, 64 - Long.numberOfLeadingZeros(Math.max(1L, 4L * full - 1)));
    this.table = new long[1 << bits];
    this.shift = 32 - bits;
    this.mask = table.length - 1;
    int filterBits =
        Math.max(
            6,
            64 - Long.numberOfLeadingZeros(Math.max(1L, (long) FILTER_BITS_PER_BLOCK * full - 1)));
    this.filter = new long[1 << (filterBits - 6)];
    this.filterShift = 32 - filterBits;
    for (int b = 0; b < full; b++) {
      insert(signature, b);
    }
  }

  private static int fullBlocks(Signature s) {
    int n = s.blockCount();
    return n > 0 && s.blockLengthOf(n - 1) < s.blockLength() ? n - 1 : n;
  }

  private void insert(Signature s, int block) {
    int weak = s.weakSum(block);
    int slot = slotOf(weak);
    for (int probe = 0; probe < MAX_PROBES; probe++, slot = (slot + 1) & mask) {
      long e = table[slot];
      if (e == 0) {
        table[slot] = (long) weak << 32 | (block + 1L);
        int bit = (weak * GOLDEN) >>> filterShift;
        filter[bit >>> 6] |= 1L << bit;
        int bit2 = (weak * GOLDEN2) >>> filterShift;
        filter[bit2 >>> 6] |= 1L << bit2;
        return;
      }
      if ((int) (e >>> 32) == weak && s.strongEquals((int) e - 1, block)) {
        return; // the same content is already indexed under an earlier block
      }
    }
    // The probe sequence is full of collisions: leave this block out. It costs a possible match,
    // never correctness.
  }

  /** Whether some indexed block may have weak sum {@code weak}. */
  boolean mayContain(int weak) {
    int bit = (weak * GOLDEN) >>> filterShift;
    if ((filter[bit >>> 6] & (1L << bit)) == 0) {
      return false;
    }
    int bit2 = (weak * GOLDEN2) >>> filterShift;
    return (filter[bit2 >>> 6] & (1L << bit2)) != 0;
  }

  int slotOf(int weak) {
    return (weak * GOLDEN) >>> shift;
  }
}
