import { concatBytes } from "./bytes";
import { BlockIndex, fullBlocks, MAX_PROBES } from "./block-index";
import { DeltaOpWriter, type DeltaStats } from "./delta-writer";
import { newSha256, newStrongHasher, type Sha256, type StrongHasher } from "./hashes";
import { roll, rollingPower, weakSum } from "./rolling";
import { blockLengthOf, type Signature } from "./signature";

/** Pending literal bytes go to the writer once this many have accumulated. */
const LITERAL_FLUSH = 64 * 1024;
const INPUT_ROOM = 64 * 1024;
const FALSE_ALARM_FACTOR = 4;

/**
 * The matcher (a port of the Java `DeltaEncoder`): turns a target, fed in chunks of any size, into
 * a delta against a basis known only by its signature. After a block matches it expects the next
 * basis block and checks only its strong sum; elsewhere it rolls the weak sum byte by byte,
 * probing the {@link BlockIndex}, and confirms every weak hit with the strong sum. Strong hashes
 * spent on false alarms are budgeted (4x the target bytes seen, plus 16 blocks), so crafted weak
 * collisions cost matches, never quadratic time.
 *
 * Memory: one buffer of at most 64 KiB + block length + 64 KiB, the index (about 40 bytes per
 * basis block) and the delta bytes not yet taken. {@link update} and {@link finish} return the
 * delta bytes they completed.
 */
export class DeltaEncoder {
  private readonly sig: Signature | null;
  private readonly index: BlockIndex | null;
  private readonly writer: DeltaOpWriter;
  private readonly strong: StrongHasher;
  private readonly sha: Sha256;
  private readonly blockLength: number;
  private readonly outFactor: number;
  private readonly fullBlocks: number;
  private readonly shortBlock: number;
  private readonly maxBuffer: number;
  private buf: Uint8Array;
  private bufBase = 0;
  private start = 0;
  private pos = 0;
  private limit = 0;
  private weak = 0;
  private weakValid = false;
  private digest: Uint8Array = new Uint8Array(16);
  private digestPos = -1;
  private predicted = -1;
  private falseAlarmBytes = 0;
  private total = 0;
  private finished = false;

  private constructor(sig: Signature | null, strong: StrongHasher, sha: Sha256) {
    this.sig = sig && sig.blockCount > 0 ? sig : null;
    this.writer = new DeltaOpWriter();
    this.strong = strong;
    this.sha = sha;
    this.blockLength = sig ? sig.blockLength : 256;
    this.outFactor = rollingPower(this.blockLength);
    const n = this.sig ? this.sig.blockCount : 0;
    this.fullBlocks = this.sig ? fullBlocks(this.sig) : 0;
    this.shortBlock = this.fullBlocks < n ? n - 1 : -1;
    this.index = this.sig && this.fullBlocks > 0 ? new BlockIndex(this.sig) : null;
    this.maxBuffer = LITERAL_FLUSH + this.blockLength + INPUT_ROOM;
    this.buf = new Uint8Array(Math.min(this.maxBuffer, 2 * this.blockLength + 4096));
  }

  /** An encoder against the basis `sig` describes (null or empty: the delta is all literal). */
  static async create(sig: Signature | null): Promise<DeltaEncoder> {
    return new DeltaEncoder(sig, await newStrongHasher(), await newSha256());
  }

  /** Feeds the next bytes of the target; returns the delta bytes completed so far. */
  update(data: Uint8Array): Uint8Array[] {
    if (this.finished) {
      throw new Error("delta already finished");
    }
    this.sha.update(data);
    this.total += data.length;
    if (this.sig === null) {
      this.writer.literalBytes(data, 0, data.length);
      return this.writer.take();
    }
    let off = 0;
    while (off < data.length) {
      if (this.limit === this.buf.length) {
        this.compact();
        if (this.limit === this.buf.length) {
          const grown = new Uint8Array(Math.min(this.maxBuffer, 2 * this.buf.length));
          grown.set(this.buf);
          this.buf = grown;
        }
      }
      const n = Math.min(data.length - off, this.buf.length - this.limit);
      this.buf.set(data.subarray(off, off + n), this.limit);
      this.limit += n;
      off += n;
      this.match();
    }
    return this.writer.take();
  }

  /** Ends the target: the remaining operations and the END marker. */
  finish(): Uint8Array[] {
    if (this.finished) {
      throw new Error("delta already finished");
    }
    this.finished = true;
    if (this.sig !== null) {
      this.flushTail(this.sig);
    }
    this.writer.end(this.total, this.sha.digest());
    return this.writer.take();
  }

  stats(): DeltaStats {
    return this.writer.stats();
  }

  private flushTail(sig: Signature): void {
    this.match();
    if (this.shortBlock >= 0) {
      const shortLen = blockLengthOf(sig, this.shortBlock);
      const tail = this.limit - shortLen;
      if (
        tail >= this.start &&
        weakSum(this.buf, tail, shortLen) === sig.weak[this.shortBlock] &&
        this.strongAt(tail, shortLen) &&
        this.strongEquals(this.shortBlock)
      ) {
        if (tail > this.start) {
          this.writer.literalBytes(this.buf, this.start, tail - this.start);
        }
        this.writer.copy(this.shortBlock * sig.blockLength, shortLen);
        this.start = this.limit;
      }
    }
    if (this.limit > this.start) {
      this.writer.literalBytes(this.buf, this.start, this.limit - this.start);
    }
    this.start = this.pos = this.limit;
  }

  private compact(): void {
    this.buf.copyWithin(0, this.start, this.limit);
    this.bufBase += this.start;
    this.pos -= this.start;
    this.limit -= this.start;
    this.start = 0;
    this.digestPos = -1;
  }

  private match(): void {
    const b = this.buf;
    const len = this.blockLength;
    const index = this.index;
    let p = this.pos;
    while (this.limit - p >= len) {
      if (this.predicted >= 0) {
        const block = this.predicted;
        this.predicted = -1;
        this.strongAt(p, len);
        if (this.strongEquals(block)) {
          p = this.emitCopy(p, block);
          continue;
        }
      }
      if (!this.weakValid) {
        this.weak = weakSum(b, p, len);
        this.weakValid = true;
      }
      let w = this.weak;
      let found = -1;
      for (;;) {
        if (index !== null && index.mayContain(w | 0)) {
          found = this.lookup(index, p, w | 0);
          if (found >= 0) {
            break;
          }
        }
        if (p + len >= this.limit) {
          this.weak = w;
          this.pos = p;
          return;
        }
        w = roll(w, b[p], b[p + len], this.outFactor);
        p++;
        if (p - this.start >= LITERAL_FLUSH) {
          this.writer.literalBytes(b, this.start, p - this.start);
          this.start = p;
        }
      }
      this.weak = w;
      p = this.emitCopy(p, found);
    }
    this.pos = p;
  }

  private lookup(index: BlockIndex, p: number, w: number): number {
    let slot = index.slotOf(w);
    let hashed = this.digestPos === p;
    for (let probe = 0; probe < MAX_PROBES; probe++, slot = (slot + 1) & index.mask) {
      const e = index.blocks[slot];
      if (e === 0) {
        break;
      }
      if (index.weaks[slot] !== w) {
        continue;
      }
      if (!hashed) {
        const seen = this.bufBase + p;
        if (this.falseAlarmBytes > FALSE_ALARM_FACTOR * seen + 16 * this.blockLength) {
          return -1;
        }
        this.strongAt(p, this.blockLength);
        hashed = true;
      }
      if (this.strongEquals(e - 1)) {
        return e - 1;
      }
    }
    if (hashed) {
      this.falseAlarmBytes += this.blockLength;
    }
    return -1;
  }

  private emitCopy(p: number, block: number): number {
    if (p > this.start) {
      this.writer.literalBytes(this.buf, this.start, p - this.start);
    }
    this.writer.copy(block * this.blockLength, this.blockLength);
    const next = p + this.blockLength;
    this.start = next;
    this.pos = next;
    this.weakValid = false;
    this.digestPos = -1;
    this.predicted = block + 1 < this.fullBlocks ? block + 1 : -1;
    return next;
  }

  private strongAt(p: number, len: number): boolean {
    this.digest = this.strong.of(this.buf, p, len);
    this.digestPos = len === this.blockLength ? p : -1;
    return true;
  }

  private strongEquals(block: number): boolean {
    const sig = this.sig!;
    const n = sig.strongLength;
    const at = block * n;
    for (let i = 0; i < n; i++) {
      if (sig.strong[at + i] !== this.digest[i]) {
        return false;
      }
    }
    return true;
  }
}

/** The delta that rebuilds `target` from the basis `sig` describes (null: no basis). */
export async function writeDelta(sig: Signature | null, target: Uint8Array): Promise<Uint8Array> {
  const enc = await DeltaEncoder.create(sig);
  return concatBytes([...enc.update(target), ...enc.finish()]);
}
