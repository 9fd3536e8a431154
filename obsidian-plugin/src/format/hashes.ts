import { createCRC32, createSHA256, createXXHash128, type IHasher } from "hash-wasm";

/**
 * The hashes of docs/FORMAT.md section 1, on hash-wasm (WebAssembly, no Node API). hash-wasm's
 * hashers are made asynchronously (the module is compiled once); each object here owns its own
 * instances, so two patchers never share a running hash.
 */

/** SHA-256 of a whole target, fed incrementally. */
export interface Sha256 {
  update(data: Uint8Array): void;
  /** The 32-byte digest; the hasher starts over afterwards. */
  digest(): Uint8Array;
}

export async function newSha256(): Promise<Sha256> {
  const h = await createSHA256();
  h.init();
  return {
    update: (data) => {
      h.update(data);
    },
    digest: () => {
      const d = h.digest("binary");
      h.init();
      return d;
    },
  };
}

/** SHA-256 of `data` in one call. */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  const h = await newSha256();
  h.update(data);
  return h.digest();
}

/**
 * XXH3-128 with seed 0 of a block, in xxHash's canonical order (high 64 bits big-endian, then the
 * low 64 bits): the strong sum of a signature's blocks.
 */
export interface StrongHasher {
  /** The 16-byte strong sum of `b[off..off+len)`. */
  of(b: Uint8Array, off: number, len: number): Uint8Array;
}

export async function newStrongHasher(): Promise<StrongHasher> {
  const h: IHasher = await createXXHash128(0, 0);
  return {
    of: (b, off, len) => {
      h.init();
      h.update(b.subarray(off, off + len));
      return h.digest("binary");
    },
  };
}

/** CRC32C (Castagnoli) of `data`, as java.util.zip.CRC32C: the signature trailer. */
export async function crc32c(data: Uint8Array): Promise<number> {
  const h = await createCRC32(0x82f63b78);
  h.init();
  h.update(data);
  const d = h.digest("binary");
  return ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0;
}
