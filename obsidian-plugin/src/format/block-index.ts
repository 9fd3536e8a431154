import type { Signature } from "./signature";

/** Most slots one lookup (or insertion) visits. */
export const MAX_PROBES = 32;

const GOLDEN = 0x9e3779b9 | 0;
const GOLDEN2 = 0x85ebca6b | 0;

/** Whether blocks `a` and `b` of `sig` have the same strong sum. */
function sameStrong(sig: Signature, a: number, b: number): boolean {
  const n = sig.strongLength;
  for (let i = 0; i < n; i++) {
    if (sig.strong[a * n + i] !== sig.strong[b * n + i]) {
      return false;
    }
  }
  return true;
}

/** Number of full-length blocks (the short last block is matched at the end of a target only). */
export function fullBlocks(sig: Signature): number {
  const n = sig.blockCount;
  return n > 0 && sig.basisLength % sig.blockLength !== 0 ? n - 1 : n;
}

/**
 * Finds the basis blocks whose weak sum equals a window's, as the Java `BlockIndex`: an
 * open-addressing table (weak sums and block + 1), at most a quarter full, with a two-bit filter in
 * front so that rolling through changed data mostly costs one bit test. Blocks with the same weak
 * and strong sum as an earlier one are indexed once; a lookup visits at most {@link MAX_PROBES}
 * slots, so a basis crafted to collide cannot make one lookup long.
 */
export class BlockIndex {
  readonly weaks: Int32Array;
  readonly blocks: Int32Array;
  readonly mask: number;
  private readonly shift: number;
  private readonly filter: Int32Array;
  private readonly filterShift: number;

  constructor(sig: Signature) {
    const full = fullBlocks(sig);
    const bits = Math.max(4, Math.ceil(Math.log2(Math.max(2, 4 * full))));
    this.weaks = new Int32Array(1 << bits);
    this.blocks = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    const filterBits = Math.min(30, Math.max(5, Math.ceil(Math.log2(Math.max(2, 16 * full)))));
    this.filter = new Int32Array(1 << (filterBits - 5));
    this.filterShift = 32 - filterBits;
    for (let b = 0; b < full; b++) {
      this.insert(sig, b);
    }
  }

  slotOf(weak: number): number {
    return Math.imul(weak, GOLDEN) >>> this.shift;
  }

  mayContain(weak: number): boolean {
    const bit = Math.imul(weak, GOLDEN) >>> this.filterShift;
    if ((this.filter[bit >>> 5] & (1 << (bit & 31))) === 0) {
      return false;
    }
    const bit2 = Math.imul(weak, GOLDEN2) >>> this.filterShift;
    return (this.filter[bit2 >>> 5] & (1 << (bit2 & 31))) !== 0;
  }

  private insert(sig: Signature, block: number): void {
    const weak = sig.weak[block] | 0;
    let slot = this.slotOf(weak);
    for (let probe = 0; probe < MAX_PROBES; probe++, slot = (slot + 1) & this.mask) {
      const e = this.blocks[slot];
      if (e === 0) {
        this.weaks[slot] = weak;
        this.blocks[slot] = block + 1;
        const bit = Math.imul(weak, GOLDEN) >>> this.filterShift;
        this.filter[bit >>> 5] |= 1 << (bit & 31);
        const bit2 = Math.imul(weak, GOLDEN2) >>> this.filterShift;
        this.filter[bit2 >>> 5] |= 1 << (bit2 & 31);
        return;
      }
      if (this.weaks[slot] === weak && sameStrong(sig, e - 1, block)) {
        return; // the same content is already indexed under an earlier block
      }
    }
    // The probe sequence is full of collisions: leave this block out (a possible match lost).
  }
}
