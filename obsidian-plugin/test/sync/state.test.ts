import { describe, expect, it } from "vitest";
import { fromBase64, MemoryStateStore, SyncState, toBase64 } from "../../src/sync/state";

const H = "a".repeat(64);

describe("SyncState", () => {
  it("round-trips entries, signatures and the last seq", async () => {
    const s = new SyncState();
    s.vault = "notes";
    s.lastSeq = 42;
    s.put({ path: "a/b.md", hash: H, size: 3, mtime: 7, signature: new Uint8Array([1, 2, 3, 250]) });
    s.put({ path: "c.png", hash: H, size: 0, mtime: -1, signature: null });
    const store = new MemoryStateStore();
    await store.save(s.encode());
    const { state, problem } = SyncState.decode(await store.load());
    expect(problem).toBeNull();
    expect(state.vault).toBe("notes");
    expect(state.lastSeq).toBe(42);
    expect(state.get("a/b.md")?.signature).toEqual(new Uint8Array([1, 2, 3, 250]));
    expect(state.get("c.png")).toEqual({ path: "c.png", hash: H, size: 0, mtime: -1, signature: null });
  });

  it("a missing state is a first sync, not an error", () => {
    const { state, problem } = SyncState.decode(null);
    expect(state.size).toBe(0);
    expect(state.lastSeq).toBe(0);
    expect(problem).toBeNull();
  });

  it.each([
    ["not json", new TextEncoder().encode("{oops")],
    ["bad utf-8", new Uint8Array([0xff, 0xfe])],
    ["other version", new TextEncoder().encode('{"v":9,"vault":"x","lastSeq":1,"files":[]}')],
    ["bad hash", new TextEncoder().encode('{"v":1,"vault":"x","lastSeq":1,"files":[["a","zz",1,1,null]]}')],
    ["negative seq", new TextEncoder().encode('{"v":1,"vault":"x","lastSeq":-1,"files":[]}')],
  ])("a corrupt state (%s) loads empty (first sync again) and says why", (_name, bytes) => {
    const { state, problem } = SyncState.decode(bytes);
    expect(state.size).toBe(0);
    expect(state.lastSeq).toBe(0);
    expect(problem).toMatch(/syncing as for the first time/);
  });

  it("base64 round-trips every length", () => {
    for (let n = 0; n < 20; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(fromBase64(toBase64(b))).toEqual(b);
      expect(toBase64(b)).toBe(Buffer.from(b).toString("base64"));
    }
  });
});
