/**
 * The weak (rolling) sum of docs/FORMAT.md section 1: a Rabin-Karp polynomial hash modulo 2^32
 * with librsync's multiplier, `h = h·M + b` per byte; rolling one byte is
 * `sum' = sum·M + in − out·M^n`. Values are unsigned 32-bit numbers.
 */
export const ROLLING_MULT = 0x08104225;

/** The weak sum of `b[off..off+len)`. */
export function weakSum(b: Uint8Array, off: number, len: number): number {
  let h = 0;
  for (let i = off, end = off + len; i < end; i++) {
    h = (Math.imul(h, ROLLING_MULT) + b[i]) | 0;
  }
  return h >>> 0;
}

/** M^n mod 2^32, the factor that removes the byte leaving a window of n bytes. */
export function rollingPower(n: number): number {
  let p = 1;
  for (let i = 0; i < n; i++) {
    p = Math.imul(p, ROLLING_MULT);
  }
  return p | 0;
}

/** The weak sum of the window moved one byte on: `out` leaves, `inb` enters. */
export function roll(sum: number, out: number, inb: number, power: number): number {
  return (Math.imul(sum, ROLLING_MULT) + inb - Math.imul(out, power)) >>> 0;
}
