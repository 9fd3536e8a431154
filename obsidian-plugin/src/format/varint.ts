import { corrupt } from "./errors";

/** Longest varint the formats allow (docs/FORMAT.md section 1): 9 bytes, values below 2^63. */
export const VARINT_MAX_BYTES = 9;

/** 2^62: the largest basis, target, offset + length the formats allow. */
export const MAX_LENGTH = 2 ** 62;

/** Bytes {@link writeVarint} uses for `value`. */
export function varintSize(value: number): number {
  let n = 1;
  let v = value;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/**
 * Writes `value` (a non-negative safe integer) as an unsigned LEB128 varint at `out[at]`; returns
 * the number of bytes written.
 */
export function writeVarint(value: number, out: Uint8Array, at: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`varint value ${value}; expected a non-negative safe integer`);
  }
  let v = value;
  let i = at;
  while (v >= 128) {
    out[i++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[i++] = v;
  return i - at;
}

/** A decoded varint: its value and how many bytes it took. */
export interface Varint {
  /** The value; rounded above 2^53. */
  value: number;
  /** The exact value. */
  exact: bigint;
  size: number;
}

/**
 * Reads a varint from `buf[at..end)`. Returns null when the input ends inside it (the caller
 * decides whether more input may come); throws a {@link FormatError} for an overlong (more than 9
 * bytes) or non-shortest varint. Values above 2^53 come back rounded (JavaScript numbers); no
 * basis or target of a client comes near that, so such a value always fails a later range check.
 *
 * @param offset the stream offset of `buf[at]`, for messages
 */
export function readVarint(
  buf: Uint8Array,
  at: number,
  end: number,
  offset: number,
  what: string,
): Varint | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < VARINT_MAX_BYTES; i++) {
    if (at + i >= end) {
      return null;
    }
    const b = buf[at + i];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) {
        throw corrupt(
          `non-shortest varint for ${what} at offset ${offset}: ${i + 1} bytes ending in 00; expected its shortest form`,
        );
      }
      return { value, exact: exactValue(buf, at, i + 1), size: i + 1 };
    }
  }
  throw corrupt(
    `overlong varint for ${what} at offset ${offset}: more than ${VARINT_MAX_BYTES} bytes`,
  );
}

function exactValue(buf: Uint8Array, at: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) {
    v = (v << 7n) | BigInt(buf[at + i] & 0x7f);
  }
  return v;
}
