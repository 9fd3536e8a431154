import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DeltaPatcher,
  FormatError,
  lz4DecompressBlock,
  patch,
  readSignature,
  sha256,
  writeVarint,
} from "../../src/format";

const GOLDEN = join(__dirname, "../../../delta-core/src/test/resources/golden");
const read = (name: string) => new Uint8Array(readFileSync(join(GOLDEN, name)));
const BASIS = read("basis.txt");
const DELTA = read("block16.delta");

function bytes(...parts: (number | number[] | Uint8Array)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

function varint(v: number): number[] {
  const b = new Uint8Array(10);
  return [...b.subarray(0, writeVarint(v, b, 0))];
}

const HEADER = [0x76, 0x73, 0x64, 0x6c, 0x01];

async function end(target: Uint8Array): Promise<number[]> {
  const out = [0, 0, 0, 0];
  const n = target.length;
  out.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  return [0x00, ...out, ...(await sha256(target))];
}

async function expectFormatError(
  basis: Uint8Array | null,
  delta: Uint8Array,
  kind: string,
  pattern: RegExp,
): Promise<void> {
  const err = await patch(basis, delta).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected a FormatError matching ${pattern}`).toBeInstanceOf(FormatError);
  expect((err as FormatError).kind).toBe(kind);
  expect((err as FormatError).message).toMatch(pattern);
}

describe("hostile deltas (docs/FORMAT.md section 5) throw FormatError", () => {
  it("rule 1: bad magic, bad version", async () => {
    await expectFormatError(BASIS, bytes([0x76, 0x73, 0x73, 0x67, 1]), "bad-header", /magic 76737367/);
    await expectFormatError(BASIS, bytes([0x76, 0x73, 0x64, 0x6c, 2]), "bad-header", /version 2/);
    await expectFormatError(BASIS, bytes([0x76, 0x73, 0x64, 0x6c, 0]), "bad-header", /version 0/);
  });

  it("rule 2: overlong and non-shortest varints", async () => {
    const overlong = bytes(HEADER, 0x02, [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]);
    await expectFormatError(BASIS, overlong, "corrupt", /overlong varint for a literal length at offset 6/);
    const nonShortest = bytes(HEADER, 0x01, [0x80, 0x00], 0x01);
    await expectFormatError(BASIS, nonShortest, "corrupt", /non-shortest varint for a copy offset at offset 6/);
  });

  it("rule 3: trailing bytes after END", async () => {
    const withTrailer = bytes(DELTA, 0x00);
    await expectFormatError(BASIS, withTrailer, "corrupt", /1 bytes after the END marker at offset 41/);
  });

  it("rule 3: truncation at every offset is refused by finish()", async () => {
    for (let cut = 0; cut < DELTA.length; cut++) {
      const p = new DeltaPatcher(BASIS);
      for await (const out of p.push(DELTA.subarray(0, cut))) void out;
      expect(() => p.finish(), `cut at ${cut}`).toThrow(FormatError);
      try {
        p.finish();
      } catch (e) {
        expect((e as FormatError).kind, `cut at ${cut}`).toBe("truncated");
      }
    }
  });

  it("feeding the golden delta one byte at a time gives the target", async () => {
    const p = new DeltaPatcher(BASIS);
    const parts: number[] = [];
    for (const b of DELTA) {
      for await (const out of p.push(Uint8Array.of(b))) parts.push(...out);
    }
    expect(p.finish().length).toBe(127);
    expect(Buffer.from(parts).equals(Buffer.from(read("target.txt")))).toBe(true);
  });

  it("rule 9: literal lengths 0 and 2^20 + 1 are refused before their bytes arrive", async () => {
    await expectFormatError(BASIS, bytes(HEADER, 0x02, 0x00), "corrupt", /literal at offset 5 of 0 bytes; expected 1..1048576/);
    await expectFormatError(BASIS, bytes(HEADER, 0x02, varint(2 ** 20 + 1)), "corrupt", /of 1048577 bytes/);
    await expectFormatError(BASIS, bytes(HEADER, 0x03, varint(2 ** 20 + 1), 0x01), "corrupt", /of 1048577 bytes/);
  });

  it("rule 10: an LZ4 literal that does not shrink, expands past or stops short of its length", async () => {
    await expectFormatError(BASIS, bytes(HEADER, 0x03, 0x05, 0x05), "corrupt", /stores 5 bytes for 5; expected 1..4/);
    await expectFormatError(BASIS, bytes(HEADER, 0x03, 0x05, 0x00), "corrupt", /stores 0 bytes/);
    // token 0x40: 4 literals, but the raw length says 3
    await expectFormatError(BASIS, bytes(HEADER, 0x03, 0x03, 0x02, [0x10, 0x41]), "corrupt", /expands to 1 bytes; its header declares 3/);
    await expectFormatError(BASIS, bytes(HEADER, 0x03, 0x05, 0x04, [0x20, 0x41, 0x42, 0x43]), "corrupt", /does not decompress/);
    // one literal, then a match of 24 bytes from offset 1: past the raw length of 10
    await expectFormatError(BASIS, bytes(HEADER, 0x03, 0x0a, 0x05, [0x1f, 0x41, 0x01, 0x00, 0x05]), "corrupt", /expands past 10 bytes/);
    // a match that points before the output's start
    await expectFormatError(BASIS, bytes(HEADER, 0x03, 0x0a, 0x04, [0x14, 0x41, 0x05, 0x00]), "corrupt", /points before the output's start/);
  });

  it("rule 11 and 12: zero-length copy, copy outside the basis, copy past 2^62, copy without basis", async () => {
    await expectFormatError(BASIS, bytes(HEADER, 0x01, 0x00, 0x00), "corrupt", /zero-length copy at offset 5/);
    await expectFormatError(BASIS, bytes(HEADER, 0x01, 100, 9), "corrupt", /from basis offset 100 ends past the basis \(108 bytes\)/);
    await expectFormatError(BASIS, bytes(HEADER, 0x01, [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40], 0x01), "corrupt", /ends past 2\^62/);
    await expectFormatError(null, bytes(HEADER, 0x01, 0x00, 0x01), "corrupt", /ends past the basis \(0 bytes\)/);
  });

  it("rule 13: END's length must equal the operations' sum", async () => {
    const target = BASIS.subarray(0, 10);
    const e = await end(target);
    e[8] = 11;
    await expectFormatError(BASIS, bytes(HEADER, 0x01, 0x00, 0x0a, e), "corrupt", /declares a target of 11 bytes; the operations add up to 10/);
  });

  it("rule 13: maxTargetBytes refuses before producing", async () => {
    const err = await patch(BASIS, bytes(HEADER, 0x01, 0x00, 100), { maxTargetBytes: 50 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/longer than the 50 bytes allowed/);
  });

  it("rule 14: a hash mismatch", async () => {
    const bad = DELTA.slice();
    bad[bad.length - 1] ^= 1;
    await expectFormatError(BASIS, bad, "corrupt", /SHA-256 is 36d9bed6.*; the delta declares/);
  });

  it("rule 15 and opcodes: unknown opcode, no END", async () => {
    await expectFormatError(BASIS, bytes(HEADER, 0x04), "corrupt", /unknown operation code 0x04 at offset 5/);
    await expectFormatError(BASIS, bytes(HEADER, 0x02, 0x01, 0x41), "truncated", /before its END marker/);
  });

  it("a valid hand-made delta of every op kind patches", async () => {
    const target = bytes(BASIS.subarray(0, 16), [0x41, 0x42], BASIS.subarray(16, 32));
    const delta = bytes(HEADER, 0x01, 0x00, 0x10, 0x02, 0x02, [0x41, 0x42], 0x01, 0x10, 0x10, await end(target));
    expect(Buffer.from(await patch(BASIS, delta)).equals(Buffer.from(target))).toBe(true);
  });

  it("LZ4 blocks with bounds: reading past the block's end", () => {
    expect(() => lz4DecompressBlock(Uint8Array.of(0x50, 0x41), 5, 7)).toThrow(/run past the block's end/);
    expect(() => lz4DecompressBlock(Uint8Array.of(0xf0), 20, 7)).toThrow(/inside a literal length/);
    expect(() => lz4DecompressBlock(Uint8Array.of(0x10, 0x41, 0x01), 20, 7)).toThrow(/inside a match offset/);
  });
});

describe("hostile signatures throw FormatError", () => {
  const SIG = read("block16.sig");
  const kindOf = (b: Uint8Array) => readSignature(b).then(() => "ok", (e: FormatError) => `${e.kind}: ${e.message}`);

  it("bad magic, version, strong and block lengths, CRC, trailing and truncated input", async () => {
    const mut = (i: number, v: number) => {
      const b = SIG.slice();
      b[i] = v;
      return b;
    };
    expect(await kindOf(mut(0, 0))).toMatch(/^bad-header: not a vaultsync signature/);
    expect(await kindOf(mut(4, 1))).toMatch(/^bad-header: signature version 1/);
    expect(await kindOf(mut(5, 3))).toMatch(/^corrupt: signature strong length 3 at offset 5/);
    expect(await kindOf(mut(5, 17))).toMatch(/^corrupt: signature strong length 17/);
    expect(await kindOf(mut(9, 8))).toMatch(/^corrupt: signature block length 8 at offset 6/);
    expect(await kindOf(mut(7, 0x20))).toMatch(/^corrupt: signature block length 2097168/);
    expect(await kindOf(mut(10, 0x80))).toMatch(/^corrupt: signature basis length/);
    expect(await kindOf(mut(20, 0))).toMatch(/^corrupt: signature CRC32C/);
    expect(await kindOf(bytes(SIG, 0))).toMatch(/^corrupt: signature has 1 bytes after its CRC/);
    for (let cut = 0; cut < SIG.length; cut++) {
      expect(await kindOf(SIG.subarray(0, cut)), `cut at ${cut}`).toMatch(/^(truncated|bad-header)/);
    }
  });

  it("a block count above 2^25 is refused before allocating", async () => {
    const b = SIG.slice(0, 18);
    b[10] = 0x00;
    b[11] = 0x01; // 2^48 bytes in blocks of 16: 2^44 blocks
    expect(await kindOf(b)).toMatch(/^corrupt: .* blocks; at most 33554432/);
  });
});
