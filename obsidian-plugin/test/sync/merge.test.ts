import { describe, expect, it } from "vitest";
import { hasTextExtension, isText, lines, mergeBytes, mergeText } from "../../src/sync/merge";

describe("mergeText (as the CLI's TextMerge)", () => {
  const base = "one\ntwo\nthree\nfour\nfive\n";

  it("takes edits of different lines from both sides", () => {
    expect(mergeText(base, "ONE\ntwo\nthree\nfour\nfive\n", "one\ntwo\nthree\nfour\nFIVE\n")).toBe("ONE\ntwo\nthree\nfour\nFIVE\n");
  });

  it("conflicts on different edits of the same line", () => {
    expect(mergeText(base, "one\nTWO\nthree\nfour\nfive\n", "one\n2\nthree\nfour\nfive\n")).toBeNull();
  });

  it("conflicts on edits of adjacent lines (touching hunks), as git does", () => {
    expect(mergeText(base, "one\nTWO\nthree\nfour\nfive\n", "one\ntwo\nTHREE\nfour\nfive\n")).toBeNull();
  });

  it("takes an identical edit once", () => {
    const both = "one\ntwo\nTHREE\nfour\nfive\n";
    expect(mergeText(base, both, both)).toBe(both);
  });

  it("merges an insert and a delete far apart, and appends on both ends", () => {
    expect(mergeText(base, "zero\none\ntwo\nthree\nfour\nfive\n", "one\ntwo\nthree\nfour\n")).toBe("zero\none\ntwo\nthree\nfour\n");
    expect(mergeText("", "a\n", "")).toBe("a\n");
  });

  it("keeps line endings byte for byte", () => {
    const b = "a\r\nb\r\nc\r\nd\r\n";
    expect(mergeText(b, "A\r\nb\r\nc\r\nd\r\n", "a\r\nb\r\nc\r\nD")).toBe("A\r\nb\r\nc\r\nD");
  });

  it("splits lines keeping terminators", () => {
    expect(lines("a\nb\r\nc")).toEqual(["a\n", "b\r\n", "c"]);
    expect(lines("")).toEqual([]);
  });

  it("merges random non-overlapping edits of both sides (seeded)", () => {
    let seed = 1234;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let round = 0; round < 200; round++) {
      const b = Array.from({ length: 40 }, (_, i) => `line ${i}\n`);
      const l = [...b];
      const r = [...b];
      const i = rnd(18);
      const j = 21 + rnd(18);
      l[i] = `local ${i}\n`;
      r[j] = `remote ${j}\n`;
      const expected = [...b];
      expected[i] = l[i];
      expected[j] = r[j];
      expect(mergeText(b.join(""), l.join(""), r.join(""))).toBe(expected.join(""));
    }
  });

  it("merges bytes only when all three are text", () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    expect(new TextDecoder().decode(mergeBytes(enc("a\nb\nc\n"), enc("A\nb\nc\n"), enc("a\nb\nC\n")) as Uint8Array)).toBe("A\nb\nC\n");
    expect(mergeBytes(enc("a"), new Uint8Array([0, 1]), enc("b"))).toBeNull();
    expect(isText(new Uint8Array([0xc3]))).toBe(false);
    expect(hasTextExtension("a/B.MD")).toBe(true);
    expect(hasTextExtension("a/.md")).toBe(false);
    expect(hasTextExtension("x.png")).toBe(false);
  });
});
