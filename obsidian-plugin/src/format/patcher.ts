import { concatBytes } from "./bytes";
import {
  DELTA_HEADER,
  DELTA_MAGIC,
  DELTA_VERSION,
  END_SIZE,
  MAX_LITERAL_LENGTH,
  OP_COPY,
  OP_END,
  OP_LITERAL,
  OP_LITERAL_LZ4,
} from "./delta-format";
import { badHeader, corrupt, FormatError, hex, truncated } from "./errors";
import { newSha256, type Sha256 } from "./hashes";
import { lz4DecompressBlock } from "./lz4";
import { MAX_LENGTH, readVarint } from "./varint";

/** The old version of a file, read in pieces (a patcher never needs it whole). */
export interface BasisSource {
  readonly length: number;
  /** Bytes `[offset, offset + length)`; the patcher asks for at most {@link OUTPUT_CHUNK} at once. */
  read(offset: number, length: number): Promise<Uint8Array> | Uint8Array;
}

const MAX_LENGTH_BIG = 2n ** 62n;

/** The most bytes one chunk of a patcher's output holds. */
export const OUTPUT_CHUNK = 1 << 20;

/** What a finished patch produced. */
export interface PatchResult {
  length: number;
  sha256: Uint8Array;
}

export interface PatcherOptions {
  /** Refuse a delta whose output would pass this many bytes, before producing them. */
  maxTargetBytes?: number;
}

function basisOf(basis: Uint8Array | BasisSource | null): BasisSource {
  if (basis === null) {
    return { length: 0, read: () => new Uint8Array(0) };
  }
  if (basis instanceof Uint8Array) {
    return { length: basis.length, read: (o, n) => basis.subarray(o, o + n) };
  }
  return basis;
}

/**
 * A streaming delta patcher (docs/FORMAT.md sections 4 and 5): feed the delta in chunks of any
 * size with {@link push}, write each output chunk it yields (at most {@link OUTPUT_CHUNK} bytes,
 * valid until the next call), then {@link finish}. Every rule of section 5 is checked as soon as
 * its value is read, before anything sized by it is produced or allocated; a broken or hostile
 * delta throws a {@link FormatError} naming the value and its byte offset in the delta. The
 * output is only good once `finish` returned: callers write it to a temporary file and publish it
 * then.
 *
 * Memory: the unparsed rest of the input (at most one operation, about 1 MiB, plus the caller's
 * chunk) and one decompressed LZ4 literal.
 */
export class DeltaPatcher {
  private readonly basis: BasisSource;
  private readonly maxTarget: number;
  private sha: Sha256 | null = null;
  private pending: Uint8Array = new Uint8Array(0);
  /** Delta offset of pending[0]. */
  private base = 0;
  private headerDone = false;
  private total = 0;
  private ended = false;
  private failed: FormatError | null = null;
  private result: PatchResult | null = null;

  constructor(basis: Uint8Array | BasisSource | null, options: PatcherOptions = {}) {
    this.basis = basisOf(basis);
    this.maxTarget = options.maxTargetBytes ?? Number.MAX_SAFE_INTEGER;
  }

  /** Bytes of output produced so far. */
  get produced(): number {
    return this.total;
  }

  /**
   * Feeds the next bytes of the delta; yields the output they complete. Consume every chunk
   * before the next call (a generator left half-read loses its place).
   */
  async *push(bytes: Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.failed) {
      throw this.failed;
    }
    if (this.sha === null) {
      this.sha = await newSha256();
    }
    try {
      yield* this.parse(bytes);
    } catch (e) {
      if (e instanceof FormatError) {
        this.failed = e;
      }
      throw e;
    }
  }

  /** Checks that the delta ended with its END marker and that nothing is missing. */
  finish(): PatchResult {
    if (this.failed) {
      throw this.failed;
    }
    if (this.result) {
      return this.result;
    }
    const end = this.base + this.pending.length;
    if (!this.headerDone) {
      throw truncated(`delta of ${end} bytes ends inside its 5-byte header`);
    }
    if (this.pending.length > 0) {
      throw truncated(
        `delta ends at offset ${end} inside the operation that starts at offset ${this.base}`,
      );
    }
    throw truncated(`delta ends at offset ${end} before its END marker`);
  }

  private async *parse(bytes: Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.ended) {
      if (bytes.length > 0) {
        throw corrupt(
          `${bytes.length} bytes after the END marker at offset ${this.base}; expected none`,
        );
      }
      return;
    }
    const buf = this.pending.length === 0 ? bytes : concatBytes([this.pending, bytes]);
    let pos = 0;
    if (!this.headerDone) {
      const n = Math.min(DELTA_HEADER, buf.length);
      for (let i = 0; i < Math.min(n, 4); i++) {
        if (buf[i] !== DELTA_MAGIC[i]) {
          throw badHeader(
            `not a vaultsync delta: magic ${hex(buf.subarray(0, Math.min(4, buf.length)))}; expected 7673646c ("vsdl")`,
          );
        }
      }
      if (n < DELTA_HEADER) {
        this.keep(buf, 0);
        return;
      }
      if (buf[4] !== DELTA_VERSION) {
        throw badHeader(`delta version ${buf[4]} is not supported; expected ${DELTA_VERSION}`);
      }
      this.headerDone = true;
      pos = DELTA_HEADER;
    }
    while (pos < buf.length) {
      const at = this.base + pos;
      const op = buf[pos];
      const end = buf.length;
      if (op === OP_END) {
        if (end - pos < END_SIZE) {
          break;
        }
        this.end(buf, pos, at);
        pos += END_SIZE;
        this.ended = true;
        if (pos < end) {
          throw corrupt(`${end - pos} bytes after the END marker at offset ${at}; expected none`);
        }
        break;
      } else if (op === OP_COPY) {
        const offset = readVarint(buf, pos + 1, end, at + 1, "a copy offset");
        if (!offset) break;
        const length = readVarint(buf, pos + 1 + offset.size, end, at + 1 + offset.size, "a copy length");
        if (!length) break;
        this.checkCopy(offset.exact, length.exact, at);
        pos += 1 + offset.size + length.size;
        yield* this.copy(offset.value, length.value);
      } else if (op === OP_LITERAL) {
        const length = readVarint(buf, pos + 1, end, at + 1, "a literal length");
        if (!length) break;
        this.checkLiteral(length.value, at);
        const from = pos + 1 + length.size;
        if (end - from < length.value) break;
        const out = buf.subarray(from, from + length.value);
        pos = from + length.value;
        yield* this.emit(out);
      } else if (op === OP_LITERAL_LZ4) {
        const raw = readVarint(buf, pos + 1, end, at + 1, "an LZ4 literal's length");
        if (!raw) break;
        this.checkLiteral(raw.value, at);
        const stored = readVarint(buf, pos + 1 + raw.size, end, at + 1 + raw.size, "an LZ4 literal's stored length");
        if (!stored) break;
        if (stored.value < 1 || stored.value >= raw.value) {
          throw corrupt(
            `LZ4 literal at offset ${at} stores ${stored.value} bytes for ${raw.value}; expected 1..${raw.value - 1}`,
          );
        }
        const from = pos + 1 + raw.size + stored.size;
        if (end - from < stored.value) break;
        const out = lz4DecompressBlock(buf.subarray(from, from + stored.value), raw.value, at);
        pos = from + stored.value;
        yield* this.emit(out);
      } else {
        throw corrupt(
          `unknown operation code 0x${op.toString(16).padStart(2, "0")} at offset ${at}; expected 0x00..0x03`,
        );
      }
    }
    this.keep(buf, pos);
  }

  private keep(buf: Uint8Array, pos: number): void {
    // Copy: `buf` may be the caller's buffer, which it may reuse after this push.
    this.pending = buf.slice(pos);
    this.base += pos;
  }

  private checkLiteral(length: number, at: number): void {
    if (length < 1 || length > MAX_LITERAL_LENGTH) {
      throw corrupt(`literal at offset ${at} of ${length} bytes; expected 1..${MAX_LITERAL_LENGTH}`);
    }
    this.checkTotal(length, at);
  }

  private checkCopy(offset: bigint, length: bigint, at: number): void {
    if (length === 0n) {
      throw corrupt(`zero-length copy at offset ${at}`);
    }
    if (offset + length > MAX_LENGTH_BIG) {
      throw corrupt(
        `copy at offset ${at} of ${length} bytes from basis offset ${offset} ends past 2^62`,
      );
    }
    if (offset + length > BigInt(this.basis.length)) {
      throw corrupt(
        `copy at offset ${at} of ${length} bytes from basis offset ${offset} ends past the basis (${this.basis.length} bytes)`,
      );
    }
    this.checkTotal(Number(length), at);
  }

  private checkTotal(length: number, at: number): void {
    if (length > MAX_LENGTH - this.total) {
      throw corrupt(
        `operation at offset ${at} of ${length} bytes after ${this.total} makes the target longer than 2^62 bytes`,
      );
    }
    if (length > this.maxTarget - this.total) {
      throw corrupt(
        `operation at offset ${at} of ${length} bytes after ${this.total} makes the target longer than the ${this.maxTarget} bytes allowed`,
      );
    }
  }

  private end(buf: Uint8Array, pos: number, at: number): void {
    const view = new DataView(buf.buffer, buf.byteOffset + pos + 1, 8);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const declared = hi * 2 ** 32 + lo;
    if (declared !== this.total) {
      throw corrupt(
        `end marker at offset ${at} declares a target of ${BigInt(hi) * 2n ** 32n + BigInt(lo)} bytes; the operations add up to ${this.total}`,
      );
    }
    const expected = buf.subarray(pos + 9, pos + END_SIZE);
    const actual = this.sha!.digest();
    if (hex(expected) !== hex(actual)) {
      throw corrupt(
        `end marker at offset ${at}: the output's SHA-256 is ${hex(actual)}; the delta declares ${hex(expected)}`,
      );
    }
    this.result = { length: this.total, sha256: actual };
  }

  private async *copy(offset: number, length: number): AsyncGenerator<Uint8Array, void, undefined> {
    for (let done = 0; done < length; ) {
      const n = Math.min(OUTPUT_CHUNK, length - done);
      const piece = await this.basis.read(offset + done, n);
      if (piece.length !== n) {
        throw new Error(
          `basis returned ${piece.length} bytes at offset ${offset + done}; ${n} were asked for`,
        );
      }
      done += n;
      yield* this.emit(piece);
    }
  }

  private *emit(out: Uint8Array): Generator<Uint8Array, void, undefined> {
    for (let i = 0; i < out.length; i += OUTPUT_CHUNK) {
      const piece = out.subarray(i, Math.min(out.length, i + OUTPUT_CHUNK));
      this.sha!.update(piece);
      this.total += piece.length;
      yield piece;
    }
  }
}


/** Patches a whole delta held in memory; for small files and tests. */
export async function patch(
  basis: Uint8Array | BasisSource | null,
  delta: Uint8Array,
  options?: PatcherOptions,
): Promise<Uint8Array> {
  const p = new DeltaPatcher(basis, options);
  const parts: Uint8Array[] = [];
  for await (const out of p.push(delta)) {
    parts.push(out.slice());
  }
  p.finish();
  return concatBytes(parts);
}
