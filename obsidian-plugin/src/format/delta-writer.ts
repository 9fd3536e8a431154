import {
  DEFAULT_LITERAL_BLOCK,
  DELTA_MAGIC,
  DELTA_VERSION,
  MAX_LITERAL_LENGTH,
  OP_COPY,
  OP_END,
  OP_LITERAL,
  OP_LITERAL_LZ4,
} from "./delta-format";
import { lz4CompressBlock } from "./lz4";
import { MAX_LENGTH, VARINT_MAX_BYTES, writeVarint } from "./varint";

/** What a delta cost: bytes written, and how the target split into literal and copied bytes. */
export interface DeltaStats {
  targetBytes: number;
  deltaBytes: number;
  literalBytes: number;
  copiedBytes: number;
  copyOps: number;
  literalOps: number;
}

const OUT_CHUNK = 64 * 1024;

/**
 * Encodes operations into the delta format (docs/FORMAT.md section 4), as the Java `DeltaWriter`:
 * writes the header at once, merges adjacent copies, gathers literals into blocks of up to 64 KiB
 * and stores a block as LITERAL_LZ4 only when LZ4 makes it smaller. Output accumulates in chunks
 * that {@link take} hands over.
 */
export class DeltaOpWriter {
  private readonly literalBlock: number;
  private literal: Uint8Array;
  private literalLen = 0;
  private copyOffset = -1;
  private copyLength = 0;
  private out = new Uint8Array(OUT_CHUNK);
  private outLen = 0;
  private parts: Uint8Array[] = [];
  private ended = false;
  private readonly s: DeltaStats = {
    targetBytes: 0,
    deltaBytes: 0,
    literalBytes: 0,
    copiedBytes: 0,
    copyOps: 0,
    literalOps: 0,
  };

  constructor(literalBlock = DEFAULT_LITERAL_BLOCK) {
    if (literalBlock < 1 || literalBlock > MAX_LITERAL_LENGTH) {
      throw new RangeError(`literal block ${literalBlock} bytes; expected 1..${MAX_LITERAL_LENGTH}`);
    }
    this.literalBlock = literalBlock;
    this.literal = new Uint8Array(Math.min(literalBlock, 4096));
    this.put(DELTA_MAGIC);
    this.put(Uint8Array.of(DELTA_VERSION));
  }

  copy(offset: number, length: number): void {
    this.checkOpen();
    if (offset < 0 || length <= 0 || offset > MAX_LENGTH - length) {
      throw new RangeError(
        `copy of ${length} bytes at offset ${offset}; expected length > 0 and end <= 2^62`,
      );
    }
    this.flushLiteral();
    this.s.targetBytes += length;
    this.s.copiedBytes += length;
    if (this.copyOffset >= 0 && this.copyOffset + this.copyLength === offset) {
      this.copyLength += length;
      return;
    }
    this.flushCopy();
    this.copyOffset = offset;
    this.copyLength = length;
  }

  literalBytes(data: Uint8Array, offset: number, length: number): void {
    this.checkOpen();
    this.flushCopy();
    this.s.targetBytes += length;
    this.s.literalBytes += length;
    let off = offset;
    let left = length;
    while (left > 0) {
      if (this.literalLen === this.literal.length) {
        const grown = new Uint8Array(Math.min(this.literalBlock, 2 * this.literal.length));
        grown.set(this.literal);
        this.literal = grown;
      }
      const n = Math.min(left, this.literal.length - this.literalLen);
      this.literal.set(data.subarray(off, off + n), this.literalLen);
      this.literalLen += n;
      off += n;
      left -= n;
      if (this.literalLen === this.literalBlock) {
        this.flushLiteral();
      }
    }
  }

  /** Writes the END marker; `sha256` is the whole target's. */
  end(targetLength: number, sha256: Uint8Array): void {
    this.checkOpen();
    if (targetLength !== this.s.targetBytes) {
      throw new RangeError(
        `end of a target of ${targetLength} bytes; the operations add up to ${this.s.targetBytes}`,
      );
    }
    this.flushCopy();
    this.flushLiteral();
    const trailer = new Uint8Array(1 + 8 + 32);
    trailer[0] = OP_END;
    const view = new DataView(trailer.buffer);
    view.setUint32(1, Math.floor(targetLength / 2 ** 32));
    view.setUint32(5, targetLength >>> 0);
    trailer.set(sha256, 9);
    this.put(trailer);
    this.ended = true;
  }

  /** The delta bytes written since the last call (all of them once {@link end} returned). */
  take(): Uint8Array[] {
    if (this.outLen > 0 && (this.ended || this.outLen >= OUT_CHUNK / 2)) {
      this.parts.push(this.out.slice(0, this.outLen));
      this.outLen = 0;
    }
    const parts = this.parts;
    this.parts = [];
    return parts;
  }

  stats(): DeltaStats {
    return { ...this.s };
  }

  private checkOpen(): void {
    if (this.ended) {
      throw new Error("delta already ended");
    }
  }

  private flushCopy(): void {
    if (this.copyOffset < 0) {
      return;
    }
    const op = new Uint8Array(1 + 2 * VARINT_MAX_BYTES);
    op[0] = OP_COPY;
    let n = 1 + writeVarint(this.copyOffset, op, 1);
    n += writeVarint(this.copyLength, op, n);
    this.put(op.subarray(0, n));
    this.s.copyOps++;
    this.copyOffset = -1;
    this.copyLength = 0;
  }

  private flushLiteral(): void {
    if (this.literalLen === 0) {
      return;
    }
    const raw = this.literal.subarray(0, this.literalLen);
    const compressed = lz4CompressBlock(raw);
    const head = new Uint8Array(1 + 2 * VARINT_MAX_BYTES);
    if (compressed.length < raw.length) {
      head[0] = OP_LITERAL_LZ4;
      let n = 1 + writeVarint(raw.length, head, 1);
      n += writeVarint(compressed.length, head, n);
      this.put(head.subarray(0, n));
      this.put(compressed);
    } else {
      head[0] = OP_LITERAL;
      const n = 1 + writeVarint(raw.length, head, 1);
      this.put(head.subarray(0, n));
      this.put(raw);
    }
    this.s.literalOps++;
    this.literalLen = 0;
  }

  private put(b: Uint8Array): void {
    this.s.deltaBytes += b.length;
    if (b.length >= OUT_CHUNK) {
      this.drain();
      this.parts.push(b.slice());
      return;
    }
    if (this.outLen + b.length > OUT_CHUNK) {
      this.drain();
    }
    this.out.set(b, this.outLen);
    this.outLen += b.length;
  }

  private drain(): void {
    if (this.outLen > 0) {
      this.parts.push(this.out.slice(0, this.outLen));
      this.outLen = 0;
    }
  }
}
