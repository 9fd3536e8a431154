import { describe, expect, it } from "vitest";
import {
  concatBytes,
  DeltaEncoder,
  DeltaPatcher,
  lz4CompressBlock,
  lz4DecompressBlock,
  OUTPUT_CHUNK,
  readSignature,
  writeSignature,
  paramsWithBlockLength,
} from "../../src/format";

/** mulberry32: a small seeded generator, so a failure can be replayed from the printed seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(r: () => number, n: number, text: boolean): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = text ? "abc de\nfgh"[Math.floor(r() * 10)].charCodeAt(0) : Math.floor(r() * 256);
  }
  return out;
}

/** The basis with random inserts, deletes, duplicated and moved pieces. */
function edit(r: () => number, basis: Uint8Array): Uint8Array {
  const pieces: Uint8Array[] = [];
  let i = 0;
  while (i < basis.length) {
    const n = Math.min(basis.length - i, 1 + Math.floor(r() * 3000));
    const what = r();
    if (what < 0.6) pieces.push(basis.subarray(i, i + n));
    else if (what < 0.75) pieces.push(randomBytes(r, Math.floor(r() * 500), r() < 0.5));
    else if (what < 0.85) pieces.push(basis.subarray(0, Math.min(basis.length, n)));
    else if (what < 0.9) pieces.push(new Uint8Array(Math.floor(r() * 5000)).fill(7));
    i += n;
  }
  return concatBytes(pieces);
}

async function encodeInChunks(
  r: () => number,
  sigBytes: Uint8Array | null,
  target: Uint8Array,
): Promise<Uint8Array[]> {
  const enc = await DeltaEncoder.create(sigBytes ? await readSignature(sigBytes) : null);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < target.length; ) {
    const n = 1 + Math.floor(r() * 70000);
    parts.push(...enc.update(target.subarray(i, i + n)));
    i += n;
  }
  parts.push(...enc.finish());
  return parts;
}

async function patchInChunks(
  r: () => number,
  basis: Uint8Array,
  delta: Uint8Array[],
): Promise<Uint8Array> {
  const all = Buffer.concat(delta);
  const p = new DeltaPatcher(basis);
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; ) {
    const n = 1 + Math.floor(r() * 9000);
    for await (const piece of p.push(all.subarray(i, i + n))) {
      expect(piece.length).toBeLessThanOrEqual(OUTPUT_CHUNK);
      out.push(Buffer.from(piece));
    }
    i += n;
  }
  expect(p.finish().length).toBe(Buffer.concat(out).length);
  return Buffer.concat(out);
}

describe("writer -> patcher round trip", () => {
  it("random bases and edits, fed and patched in random chunks", async () => {
    const seed = Number(process.env.VAULTSYNC_SEED ?? Date.now() % 1_000_000);
    process.stdout.write(`roundtrip seed ${seed} (VAULTSYNC_SEED=${seed} to replay)\n`);
    const r = rng(seed);
    for (let round = 0; round < 12; round++) {
      const text = r() < 0.5;
      const basis = randomBytes(r, Math.floor(r() * 200_000), text);
      const target = r() < 0.1 ? randomBytes(r, Math.floor(r() * 1000), text) : edit(r, basis);
      const blockLength = r() < 0.5 ? undefined : 16 + Math.floor(r() * 2000);
      const sig =
        r() < 0.1
          ? null
          : await writeSignature(
              basis,
              blockLength ? paramsWithBlockLength(basis.length, blockLength) : undefined,
            );
      const delta = await encodeInChunks(r, sig, target);
      const out = await patchInChunks(r, basis, delta);
      expect(Buffer.compare(out, Buffer.from(target)), `seed ${seed} round ${round}`).toBe(0);
    }
  });

  it("an unchanged 3 MiB file costs a few dozen bytes; a one-line edit about one block", async () => {
    const r = rng(42);
    const basis = randomBytes(r, 3 << 20, true);
    const sig = await readSignature(await writeSignature(basis));
    const enc = await DeltaEncoder.create(sig);
    const same = Buffer.concat([...enc.update(basis), ...enc.finish()]);
    expect(same.length).toBeLessThan(64);
    const edited = Buffer.from(basis);
    edited.write("a changed line\n", 1_000_000);
    const enc2 = await DeltaEncoder.create(sig);
    const delta = Buffer.concat([...enc2.update(edited), ...enc2.finish()]);
    expect(delta.length).toBeLessThan(2 * sig.blockLength + 100);
    expect(Buffer.compare(await patchInChunks(r, basis, [delta]), edited)).toBe(0);
  });

  it("a copy of 5 MiB comes out in chunks of at most 1 MiB", async () => {
    const basis = new Uint8Array(5 << 20).fill(3);
    basis[17] = 9;
    const delta = await encodeInChunks(rng(1), await writeSignature(basis), basis);
    const p = new DeltaPatcher(basis);
    let max = 0;
    for await (const piece of p.push(Buffer.concat(delta))) max = Math.max(max, piece.length);
    expect(max).toBe(OUTPUT_CHUNK);
    expect(p.finish().length).toBe(basis.length);
  });

  it("LZ4 blocks round trip (random, runs, short)", () => {
    const seed = 7;
    const r = rng(seed);
    for (let i = 0; i < 200; i++) {
      const n = Math.floor(r() * 70000);
      const src = r() < 0.5 ? randomBytes(r, n, true) : new Uint8Array(n).fill(i);
      const block = lz4CompressBlock(src);
      expect(Buffer.compare(Buffer.from(lz4DecompressBlock(block, n, 0)), Buffer.from(src))).toBe(0);
    }
  });
});
