import { badHeader, corrupt, hex, truncated } from "./errors";
import { crc32c, newStrongHasher, type StrongHasher } from "./hashes";
import { weakSum } from "./rolling";
import { MAX_LENGTH } from "./varint";

/** Signature format version 2 (docs/FORMAT.md section 3). */
export const SIGNATURE_MAGIC = new Uint8Array([0x76, 0x73, 0x73, 0x67]);
export const SIGNATURE_VERSION = 2;
export const SIGNATURE_HEADER = 18;
export const MIN_BLOCK_LENGTH = 16;
export const MAX_BLOCK_LENGTH = 1 << 20;
export const MIN_STRONG_LENGTH = 4;
export const MAX_STRONG_LENGTH = 16;
export const MAX_BLOCKS = 1 << 25;

/** A basis cut into blocks: what a delta writer matches against. */
export interface Signature {
  blockLength: number;
  strongLength: number;
  basisLength: number;
  blockCount: number;
  /** Weak sum of each block (unsigned). */
  weak: Uint32Array;
  /** `strongLength` bytes per block, block after block. */
  strong: Uint8Array;
}

/** How a basis is cut: the block and strong lengths. */
export interface SignatureParams {
  blockLength: number;
  strongLength: number;
}

/** floor(log2(max(1, v))), exact for every safe integer. */
function log2(v: number): number {
  let x = Math.max(1, v);
  let n = 0;
  while (x >= 2) {
    x = Math.floor(x / 2);
    n++;
  }
  return n;
}

/**
 * The parameters the Java client picks (`SignatureParams.forBasisLength`): 256-byte blocks up to
 * 64 KiB, else √length rounded up to a multiple of 128, at most 64 KiB; librsync's strong length.
 */
export function paramsForBasisLength(basisLength: number): SignatureParams {
  let block: number;
  if (basisLength <= 64 * 1024) {
    block = 256;
  } else {
    const root = Math.ceil(Math.sqrt(basisLength));
    block = Math.min(64 * 1024, Math.ceil(root / 128) * 128);
  }
  return paramsWithBlockLength(basisLength, block);
}

/** A caller-chosen block length with the strong length of the heuristic (`withBlockLength`). */
export function paramsWithBlockLength(basisLength: number, blockLength: number): SignatureParams {
  if (blockLength < MIN_BLOCK_LENGTH || blockLength > MAX_BLOCK_LENGTH) {
    throw new RangeError(
      `block length ${blockLength}; expected ${MIN_BLOCK_LENGTH}..${MAX_BLOCK_LENGTH}`,
    );
  }
  const blocks = Math.floor(basisLength / blockLength) + 1;
  const bits = log2(basisLength + 2 ** 24) + log2(blocks + 1);
  const strong = 2 + Math.floor((bits + 7) / 8);
  return {
    blockLength,
    strongLength: Math.max(MIN_STRONG_LENGTH, Math.min(MAX_STRONG_LENGTH, strong)),
  };
}

/**
 * Builds the signature of a basis fed in chunks of any size; memory: one block plus the
 * signature itself (4 + strong length bytes per block).
 */
export class SignatureBuilder {
  private readonly params: SignatureParams;
  private readonly basisLength: number;
  private readonly strongHasher: StrongHasher;
  private readonly out: Uint8Array;
  private readonly block: Uint8Array;
  private blockFill = 0;
  private blocks = 0;
  private fed = 0;

  private constructor(basisLength: number, params: SignatureParams, strong: StrongHasher) {
    this.basisLength = basisLength;
    this.params = params;
    this.strongHasher = strong;
    const count = Math.ceil(basisLength / params.blockLength);
    if (count > MAX_BLOCKS) {
      throw new RangeError(
        `basis of ${basisLength} bytes in blocks of ${params.blockLength} makes ${count} blocks; at most ${MAX_BLOCKS}`,
      );
    }
    this.out = new Uint8Array(SIGNATURE_HEADER + count * (4 + params.strongLength) + 4);
    this.block = new Uint8Array(Math.min(params.blockLength, Math.max(1, basisLength)));
    this.out.set(SIGNATURE_MAGIC, 0);
    this.out[4] = SIGNATURE_VERSION;
    this.out[5] = params.strongLength;
    const view = new DataView(this.out.buffer);
    view.setUint32(6, params.blockLength);
    view.setUint32(10, Math.floor(basisLength / 2 ** 32));
    view.setUint32(14, basisLength >>> 0);
  }

  /** A builder for a basis of `basisLength` bytes (params: the Java client's heuristic). */
  static async create(basisLength: number, params?: SignatureParams): Promise<SignatureBuilder> {
    if (!Number.isSafeInteger(basisLength) || basisLength < 0) {
      throw new RangeError(`basis length ${basisLength}; expected 0..2^53`);
    }
    return new SignatureBuilder(
      basisLength,
      params ?? paramsForBasisLength(basisLength),
      await newStrongHasher(),
    );
  }

  update(data: Uint8Array): void {
    if (this.fed + data.length > this.basisLength) {
      throw new RangeError(
        `basis longer than the ${this.basisLength} bytes declared (${this.fed + data.length} fed)`,
      );
    }
    this.fed += data.length;
    const len = this.params.blockLength;
    let i = 0;
    if (this.blockFill > 0) {
      const n = Math.min(len - this.blockFill, data.length);
      this.block.set(data.subarray(0, n), this.blockFill);
      this.blockFill += n;
      i = n;
      if (this.blockFill === len) {
        this.emit(this.block, 0, len);
        this.blockFill = 0;
      }
    }
    for (; i + len <= data.length; i += len) {
      this.emit(data, i, len);
    }
    if (i < data.length) {
      this.block.set(data.subarray(i), 0);
      this.blockFill = data.length - i;
    }
  }

  /** The signature's bytes, CRC32C trailer included. */
  async finish(): Promise<Uint8Array> {
    if (this.fed !== this.basisLength) {
      throw new RangeError(`basis of ${this.fed} bytes; ${this.basisLength} were declared`);
    }
    if (this.blockFill > 0) {
      this.emit(this.block, 0, this.blockFill);
      this.blockFill = 0;
    }
    const end = this.out.length - 4;
    new DataView(this.out.buffer).setUint32(end, await crc32c(this.out.subarray(0, end)));
    return this.out;
  }

  private emit(b: Uint8Array, off: number, len: number): void {
    const entry = SIGNATURE_HEADER + this.blocks * (4 + this.params.strongLength);
    new DataView(this.out.buffer).setUint32(entry, weakSum(b, off, len));
    const strong = this.strongHasher.of(b, off, len);
    this.out.set(strong.subarray(0, this.params.strongLength), entry + 4);
    this.blocks++;
  }
}

/** The signature of `basis` (params: the Java client's heuristic), as bytes. */
export async function writeSignature(
  basis: Uint8Array,
  params?: SignatureParams,
): Promise<Uint8Array> {
  const b = await SignatureBuilder.create(basis.length, params);
  b.update(basis);
  return b.finish();
}

/** Parses and checks a signature (every rule of docs/FORMAT.md section 5 that applies). */
export async function readSignature(bytes: Uint8Array): Promise<Signature> {
  if (bytes.length < 5) {
    throw truncated(`signature of ${bytes.length} bytes ends inside its header`);
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== SIGNATURE_MAGIC[i]) {
      throw badHeader(
        `not a vaultsync signature: magic ${hex(bytes.subarray(0, 4))}; expected 76737367 ("vssg")`,
      );
    }
  }
  if (bytes[4] !== SIGNATURE_VERSION) {
    throw badHeader(
      `signature version ${bytes[4]} is not supported; expected ${SIGNATURE_VERSION}`,
    );
  }
  if (bytes.length < SIGNATURE_HEADER) {
    throw truncated(`signature of ${bytes.length} bytes ends inside its 18-byte header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const strongLength = bytes[5];
  if (strongLength < MIN_STRONG_LENGTH || strongLength > MAX_STRONG_LENGTH) {
    throw corrupt(
      `signature strong length ${strongLength} at offset 5; expected ${MIN_STRONG_LENGTH}..${MAX_STRONG_LENGTH}`,
    );
  }
  const blockLength = view.getUint32(6);
  if (blockLength < MIN_BLOCK_LENGTH || blockLength > MAX_BLOCK_LENGTH) {
    throw corrupt(
      `signature block length ${blockLength} at offset 6; expected ${MIN_BLOCK_LENGTH}..${MAX_BLOCK_LENGTH}`,
    );
  }
  const basisLength = view.getUint32(10) * 2 ** 32 + view.getUint32(14);
  if (basisLength > MAX_LENGTH) {
    throw corrupt(`signature basis length ${basisLength} at offset 10; expected 0..2^62`);
  }
  const blockCount = Math.ceil(basisLength / blockLength);
  if (blockCount > MAX_BLOCKS) {
    throw corrupt(
      `signature of a ${basisLength}-byte basis in ${blockLength}-byte blocks has ${blockCount} blocks; at most ${MAX_BLOCKS}`,
    );
  }
  const entry = 4 + strongLength;
  const size = SIGNATURE_HEADER + blockCount * entry + 4;
  if (bytes.length < size) {
    throw truncated(
      `signature of ${bytes.length} bytes ends early: ${blockCount} blocks need ${size} bytes`,
    );
  }
  if (bytes.length > size) {
    throw corrupt(
      `signature has ${bytes.length - size} bytes after its CRC at offset ${size}; expected none`,
    );
  }
  const stored = view.getUint32(size - 4);
  const actual = await crc32c(bytes.subarray(0, size - 4));
  if (stored !== actual) {
    throw corrupt(
      `signature CRC32C ${stored.toString(16).padStart(8, "0")} at offset ${size - 4} does not match its content (${actual.toString(16).padStart(8, "0")})`,
    );
  }
  const weak = new Uint32Array(blockCount);
  const strong = new Uint8Array(blockCount * strongLength);
  for (let i = 0; i < blockCount; i++) {
    const at = SIGNATURE_HEADER + i * entry;
    weak[i] = view.getUint32(at);
    strong.set(bytes.subarray(at + 4, at + entry), i * strongLength);
  }
  return { blockLength, strongLength, basisLength, blockCount, weak, strong };
}

/** Length of block `i` of `sig` (the last one may be short). */
export function blockLengthOf(sig: Signature, i: number): number {
  return Math.min(sig.blockLength, sig.basisLength - i * sig.blockLength);
}
