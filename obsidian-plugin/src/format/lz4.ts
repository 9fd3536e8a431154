import { corrupt } from "./errors";

/**
 * LZ4 block format (no frame, no checksum: https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md),
 * the payload of a delta's LITERAL_LZ4 (docs/FORMAT.md section 4.2).
 *
 * Written here rather than taken from the `lz4js` package: its block decoder checks no bound (a
 * hostile block writes past its buffer or reads past its input), its compressor may start the last
 * match inside the final 12 bytes, which the reference decoder (and lz4-java, which the server
 * uses) rejects, and loading it allocates a 5 MiB buffer, which a phone should not pay for.
 */

const MIN_MATCH = 4;
/** The last match must start at least this many bytes before the end of the block. */
const MF_LIMIT = 12;
/** The last this-many bytes of a block are always literals. */
const LAST_LITERALS = 5;
const HASH_LOG = 14;
const MAX_OFFSET = 65535;
const SKIP_TRIGGER = 6;

let table: Int32Array | null = null;

/** The most bytes compressing `n` bytes can take (LZ4_compressBound). */
export function lz4CompressBound(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

/** Compresses `src` into one LZ4 block (greedy, as LZ4's fast mode); returns the block. */
export function lz4CompressBlock(src: Uint8Array): Uint8Array {
  const n = src.length;
  const dst = new Uint8Array(lz4CompressBound(n));
  let d = 0;
  let anchor = 0;
  if (n >= MF_LIMIT + 1) {
    const hashes = (table ??= new Int32Array(1 << HASH_LOG));
    hashes.fill(-1);
    const matchLimit = n - LAST_LITERALS;
    const lastMatchStart = n - MF_LIMIT;
    let ip = 0;
    // As LZ4's fast mode: after 64 misses in a row the search steps over more and more bytes, so
    // data that does not compress costs little time.
    let misses = 0;
    while (ip <= lastMatchStart) {
      const seq = read32(src, ip);
      const h = Math.imul(seq, -1640531535) >>> (32 - HASH_LOG);
      const ref = hashes[h];
      hashes[h] = ip;
      if (ref < 0 || ip - ref > MAX_OFFSET || read32(src, ref) !== seq) {
        ip += 1 + (misses++ >> SKIP_TRIGGER);
        continue;
      }
      misses = 0;
      let start = ip;
      let back = ref;
      while (start > anchor && back > 0 && src[start - 1] === src[back - 1]) {
        start--;
        back--;
      }
      let end = ip + MIN_MATCH;
      let m = ref + MIN_MATCH;
      while (end < matchLimit && src[end] === src[m]) {
        end++;
        m++;
      }
      d = writeSequence(src, anchor, start - anchor, dst, d, start - back, end - start);
      anchor = end;
      ip = end;
    }
  }
  d = writeSequence(src, anchor, n - anchor, dst, d, 0, 0);
  return dst.subarray(0, d);
}

function writeSequence(
  src: Uint8Array,
  litStart: number,
  litLen: number,
  dst: Uint8Array,
  d: number,
  offset: number,
  matchLen: number,
): number {
  const tokenAt = d++;
  let token = (litLen >= 15 ? 15 : litLen) << 4;
  if (litLen >= 15) {
    d = writeLength(dst, d, litLen - 15);
  }
  dst.set(src.subarray(litStart, litStart + litLen), d);
  d += litLen;
  if (matchLen > 0) {
    dst[d++] = offset & 0xff;
    dst[d++] = offset >>> 8;
    const ml = matchLen - MIN_MATCH;
    token |= ml >= 15 ? 15 : ml;
    if (ml >= 15) {
      d = writeLength(dst, d, ml - 15);
    }
  }
  dst[tokenAt] = token;
  return d;
}

function writeLength(dst: Uint8Array, d: number, rest: number): number {
  let r = rest;
  while (r >= 255) {
    dst[d++] = 255;
    r -= 255;
  }
  dst[d++] = r;
  return d;
}

function read32(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/**
 * Decompresses the LZ4 block `src` to exactly `rawLength` bytes, checking every bound: a block
 * that would write past `rawLength`, reads past its end, refers before the output's start, or
 * stops short of `rawLength` throws a {@link FormatError} naming `at` (the delta offset of the
 * operation). As LZ4's decoders do, the match bits of the last token are ignored.
 */
export function lz4DecompressBlock(src: Uint8Array, rawLength: number, at: number): Uint8Array {
  const dst = new Uint8Array(rawLength);
  const end = src.length;
  const fail = (why: string) =>
    corrupt(
      `LZ4 literal at offset ${at} (${end} bytes declared to expand to ${rawLength}) does not decompress: ${why}`,
    );
  let s = 0;
  let d = 0;
  /** A length of 15 or more: the nibble's 15 plus bytes while they are 255, then one more. */
  const extend = (n: number, what: string): number => {
    if (n !== 15) return n;
    let b: number;
    do {
      if (s >= end) {
        throw fail(`the input ends inside a ${what} length at block byte ${s}`);
      }
      b = src[s++];
      n += b;
    } while (b === 255);
    return n;
  };
  while (s < end) {
    const token = src[s++];
    const lit = extend(token >>> 4, "literal");
    if (lit > end - s) {
      throw fail(`${lit} literal bytes at block byte ${s} run past the block's end`);
    }
    if (lit > rawLength - d) {
      throw fail(`it expands past ${rawLength} bytes`);
    }
    dst.set(src.subarray(s, s + lit), d);
    s += lit;
    d += lit;
    if (s === end) {
      break;
    }
    if (end - s < 2) {
      throw fail(`the input ends inside a match offset at block byte ${s}`);
    }
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    if (offset === 0 || offset > d) {
      throw fail(`match offset ${offset} at output byte ${d} points before the output's start`);
    }
    const ml = extend(token & 15, "match") + MIN_MATCH;
    if (ml > rawLength - d) {
      throw fail(`it expands past ${rawLength} bytes`);
    }
    if (s === end) {
      throw fail("the block ends with a match; its last sequence must be literals");
    }
    let from = d - offset;
    if (offset >= ml) {
      dst.copyWithin(d, from, from + ml);
      d += ml;
    } else {
      for (let i = 0; i < ml; i++) {
        dst[d++] = dst[from++];
      }
    }
  }
  if (d !== rawLength) {
    throw corrupt(
      `LZ4 literal at offset ${at} expands to ${d} bytes; its header declares ${rawLength}`,
    );
  }
  return dst;
}
