import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  patch,
  paramsWithBlockLength,
  readSignature,
  sha256,
  writeDelta,
  writeSignature,
} from "../../src/format";

const GOLDEN = join(__dirname, "../../../delta-core/src/test/resources/golden");
const read = (name: string) => new Uint8Array(readFileSync(join(GOLDEN, name)));

describe("golden files of delta-core", () => {
  it("patches every golden delta to exactly its target", async () => {
    const deltas = readdirSync(GOLDEN).filter((f) => f.endsWith(".delta"));
    expect(deltas.length).toBeGreaterThan(0);
    for (const d of deltas) {
      const out = await patch(read("basis.txt"), read(d));
      expect(Buffer.from(out).toString(), d).toBe(Buffer.from(read("target.txt")).toString());
    }
  });

  it("writes block16.sig byte for byte (section 7 worked example)", async () => {
    const basis = read("basis.txt");
    const params = paramsWithBlockLength(basis.length, 16);
    expect(params.strongLength).toBe(6);
    const sig = await writeSignature(basis, params);
    expect(Buffer.from(sig).toString("hex")).toBe(Buffer.from(read("block16.sig")).toString("hex"));
  });

  it("reads block16.sig into the values of the worked example", async () => {
    const sig = await readSignature(read("block16.sig"));
    expect(sig.blockLength).toBe(16);
    expect(sig.strongLength).toBe(6);
    expect(sig.basisLength).toBe(108);
    expect(sig.blockCount).toBe(7);
    expect(sig.weak[0]).toBe(0x4b1fe5ed);
    expect(Buffer.from(sig.strong.subarray(0, 6)).toString("hex")).toBe("c636d8a603b8");
  });

  it("writes block16.delta byte for byte from block16.sig and the target", async () => {
    const sig = await readSignature(read("block16.sig"));
    const delta = await writeDelta(sig, read("target.txt"));
    expect(Buffer.from(delta).toString("hex")).toBe(
      Buffer.from(read("block16.delta")).toString("hex"),
    );
  });

  it("decodes the worked example's END: target length 127 and its SHA-256", async () => {
    const delta = read("block16.delta");
    expect(delta.length).toBe(82);
    const hash = await sha256(read("target.txt"));
    expect(Buffer.from(delta.subarray(0x32)).toString("hex")).toBe(
      Buffer.from(hash).toString("hex"),
    );
  });
});

// Vectors written by delta-core's Java test (TsVectorsTest) when the Maven build ran first: deltas
// of every op kind that Java wrote, patched here.
const VECTORS = join(__dirname, "../../../delta-core/target/ts-vectors");

describe.skipIf(!existsSync(VECTORS))("Java-written deltas (delta-core/target/ts-vectors)", () => {
  it("patches each to its target", async () => {
    const names = readdirSync(VECTORS).filter((f) => f.endsWith(".delta"));
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) {
      const stem = n.slice(0, -".delta".length);
      const basis = new Uint8Array(readFileSync(join(VECTORS, `${stem}.basis`)));
      const target = new Uint8Array(readFileSync(join(VECTORS, `${stem}.target`)));
      const out = await patch(basis, new Uint8Array(readFileSync(join(VECTORS, n))));
      expect(Buffer.compare(Buffer.from(out), Buffer.from(target)), stem).toBe(0);
    }
  });

  it("writes Java's signature byte for byte, and a delta that patches to the target", async () => {
    const names = readdirSync(VECTORS).filter((f) => f.endsWith(".sig"));
    for (const n of names) {
      const stem = n.slice(0, -".sig".length);
      const basis = new Uint8Array(readFileSync(join(VECTORS, `${stem}.basis`)));
      const target = new Uint8Array(readFileSync(join(VECTORS, `${stem}.target`)));
      const javaSig = readFileSync(join(VECTORS, n));
      expect(Buffer.from(await writeSignature(basis)).equals(javaSig), stem).toBe(true);
      const delta = await writeDelta(await readSignature(javaSig), target);
      const out = await patch(basis, delta);
      expect(Buffer.compare(Buffer.from(out), Buffer.from(target)), stem).toBe(0);
      const javaDelta = readFileSync(join(VECTORS, `${stem}.delta`));
      process.stdout.write(
        `${stem}: TS delta ${delta.length} bytes, Java ${javaDelta.length}${Buffer.from(delta).equals(javaDelta) ? " (identical)" : ""}\n`,
      );
    }
  });
});
