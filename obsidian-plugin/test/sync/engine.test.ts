import { setTimeout as later, clearTimeout as cancel } from "node:timers";
import { setTimeout as pause } from "node:timers/promises";
import { describe, expect, it, vi } from "vitest";
import { SyncEngine, type SyncEngineOptions, type SyncStatus } from "../../src/sync/engine";
import { MemoryStateStore } from "../../src/sync/state";
import { MemoryVaultIO } from "../../src/sync/vault-io";
import { FakeServer, sha, wholeCodec } from "./fake-server";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const timers = { setTimeout: (f: () => void, ms: number): unknown => later(f, ms), clearTimeout: (id: unknown) => cancel(id as ReturnType<typeof later>) };

function device(server: FakeServer, name: string, extra: Partial<SyncEngineOptions> = {}) {
  const io = new MemoryVaultIO();
  const store = new MemoryStateStore();
  const remote = server.remote(name);
  const engine = new SyncEngine(io, store, remote, { vault: "v", device: name, configDir: ".config", codec: wholeCodec, timers, debounceMs: 20, waitMs: 200, ...extra });
  return { io, store, remote, engine };
}

const lines = (n: number, tag = ""): string => Array.from({ length: n }, (_, i) => `line ${i}${i === 5 ? tag : ""}\n`).join("");

describe("SyncEngine (against an in-memory server)", () => {
  it("a first sync uploads, another device downloads, both hold equal bytes", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    const b = device(s, "b");
    await a.io.write("notes/one.md", enc("hello"));
    await a.io.write("img.png", new Uint8Array([1, 2, 3]));
    await a.io.write(".config/workspace.json", enc("{}"));
    await a.engine.syncNow();
    expect([...s.files.keys()].sort()).toEqual(["img.png", "notes/one.md"]);
    expect(a.engine.lastSeq).toBe(s.headSeq); // past its own uploads: the next round reads nothing again
    await b.engine.syncNow();
    expect(b.io.paths()).toEqual(["img.png", "notes/one.md"]);
    expect(b.io.text("notes/one.md")).toBe("hello");
    expect(b.engine.status).toEqual({ kind: "synced" });
    const again = await b.engine.syncNow();
    expect(again.tally).toEqual({ up: 0, down: 0, moved: 0, deleted: 0, merged: 0 });
  });

  it("the last seq never passes another device's change it has not read", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    const b = device(s, "b");
    await a.io.write("x.md", enc("x"));
    await a.engine.syncNow();
    await b.engine.syncNow();
    // b reads the head, then a commits before b's own upload lands.
    await b.io.write("mine.md", enc("b"));
    const realCommit = b.remote.commit.bind(b.remote);
    b.remote.commit = async (m, allow) => {
      await a.io.write("theirs.md", enc("a"));
      await a.engine.syncNow();
      return realCommit(m, allow);
    };
    await b.engine.syncNow();
    expect(b.engine.lastSeq).toBeLessThan(s.headSeq);
    b.remote.commit = realCommit;
    await b.engine.syncNow();
    expect(b.io.text("theirs.md")).toBe("a");
    expect(b.engine.lastSeq).toBe(s.headSeq);
  });

  it("a file above 4 MiB goes through push, its delta made piece by piece", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    const b = device(s, "b");
    const big = new Uint8Array(6 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 255;
    await a.io.write("big.bin", big);
    await a.io.write("small.md", enc("s"));
    await a.engine.syncNow();
    expect(a.remote.calls.get("push")).toBe(1);
    await b.engine.syncNow();
    expect(sha(await b.io.read("big.bin"))).toBe(sha(big)); // (toEqual on 6 MiB is slow)
  });

  it("a concurrent text edit on two devices merges against the exact base", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    const b = device(s, "b");
    await a.io.write("n.md", enc(lines(20)));
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.io.write("n.md", enc("top\n" + lines(20)));
    await b.io.write("n.md", enc(lines(20) + "bottom\n"));
    await a.engine.syncNow();
    const r = await b.engine.syncNow();
    expect(r.tally.merged).toBe(1);
    await a.engine.syncNow();
    const want = "top\n" + lines(20) + "bottom\n";
    expect(a.io.text("n.md")).toBe(want);
    expect(b.io.text("n.md")).toBe(want);
    expect(s.text("n.md")).toBe(want);
  });

  it("a binary (or unmergeable) conflict keeps both, the local one as a conflict copy named like the CLI's", async () => {
    const s = new FakeServer();
    const now = () => new Date(2026, 0, 2, 3, 4, 5);
    const a = device(s, "a");
    const b = device(s, "phone", { now });
    await a.io.write("p.png", new Uint8Array([1]));
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.io.write("p.png", new Uint8Array([2]));
    await b.io.write("p.png", new Uint8Array([3]));
    await a.engine.syncNow();
    const statuses: SyncStatus[] = [];
    b.engine.onStatus((st) => statuses.push(st));
    await b.engine.syncNow();
    const copy = "p (conflict phone 2026-01-02 030405).png";
    expect(b.io.paths()).toEqual(["p (conflict phone 2026-01-02 030405).png", "p.png"]);
    expect(await b.io.read("p.png")).toEqual(new Uint8Array([2]));
    expect(await b.io.read(copy)).toEqual(new Uint8Array([3]));
    expect(b.engine.status).toEqual({ kind: "conflicts", count: 1, paths: [copy] });
    expect(statuses.some((st) => st.kind === "syncing")).toBe(true);
    await a.engine.syncNow();
    expect(a.io.paths()).toEqual(b.io.paths());
  });

  it("a rename (and a folder move) travel as moves, never as a delete plus an add", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    const b = device(s, "b");
    await a.io.write("old/x.md", enc("x".repeat(100)));
    await a.io.write("old/y.md", enc("y".repeat(100)));
    await a.io.write("z.md", enc(lines(40)));
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.io.rename("old/x.md", "new/x.md");
    await a.io.rename("old/y.md", "new/y.md");
    a.engine.notify({ type: "rename", path: "new", oldPath: "old" });
    await a.io.rename("z.md", "w.md");
    await a.io.write("w.md", enc(lines(40, " edited")));
    a.engine.notify({ type: "rename", path: "w.md", oldPath: "z.md" });
    const before = s.ledger.length;
    await a.engine.syncNow();
    const ops = s.ledger.slice(before).map((c) => `${c.op} ${c.previousPath ?? ""}>${c.path}`);
    expect(ops).toEqual(["move old/x.md>new/x.md", "move old/y.md>new/y.md", "move z.md>w.md", "put >w.md"]);
    const r = await b.engine.syncNow();
    expect(r.tally.moved).toBe(3);
    expect(b.io.paths()).toEqual(["new/x.md", "new/y.md", "w.md"]);
    expect(b.io.text("w.md")).toBe(lines(40, " edited"));
  });

  it("a mass delete asks; a no holds the deletes back (and the rest of the round runs), a yes deletes", async () => {
    const s = new FakeServer();
    const asked: string[][] = [];
    let answer = false;
    const a = device(s, "a", { confirmDeletes: (paths) => (asked.push(paths), Promise.resolve(answer)) });
    for (let i = 0; i < 20; i++) await a.io.write(`n${i}.md`, enc(`note ${i}`));
    await a.engine.syncNow();
    for (let i = 0; i < 15; i++) await a.io.remove(`n${i}.md`);
    await a.io.write("new.md", enc("new"));
    const r = await a.engine.syncNow();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toHaveLength(15);
    expect(s.files.size).toBe(21);
    expect(r.notSynced.filter((n) => /held back/.test(n.reason))).toHaveLength(15);
    answer = true;
    await a.engine.syncNow();
    expect(asked).toHaveLength(2);
    expect([...s.files.keys()].sort()).toEqual(["n15.md", "n16.md", "n17.md", "n18.md", "n19.md", "new.md"]);
  });

  it("a mass delete from another device is held back here unless a person confirmed it there", async () => {
    const s = new FakeServer();
    const a = device(s, "a", { confirmDeletes: () => Promise.resolve(false) });
    const b = device(s, "b");
    for (let i = 0; i < 20; i++) await a.io.write(`n${i}.md`, enc(`note ${i}`));
    await a.engine.syncNow();
    await b.engine.syncNow();
    s.guardDeletes = false;
    const remote = s.remote("cli");
    await remote.commit(
      [...s.files].slice(0, 15).map(([path, v]) => ({ kind: "delete", path, expected: v.hash })),
      false,
    );
    await b.engine.syncNow();
    expect(b.io.paths()).toHaveLength(20);
    expect(b.engine.logLines().some((l) => /held back/.test(l))).toBe(true);
    // Confirmed on the device that made it (committed with mass deletes allowed): applied here
    // without asking.
    const s2 = new FakeServer();
    const asked: string[][] = [];
    const d = device(s2, "d");
    const e = device(s2, "e", { confirmDeletes: (paths) => (asked.push(paths), Promise.resolve(false)) });
    for (let i = 0; i < 20; i++) await d.io.write(`n${i}.md`, enc(`note ${i}`));
    await d.engine.syncNow();
    await e.engine.syncNow();
    await d.remote.commit(
      [...s2.files].slice(0, 15).map(([path, v]) => ({ kind: "delete", path, expected: v.hash })),
      true,
    );
    await e.engine.syncNow();
    expect(asked).toEqual([]);
    expect(e.io.paths()).toHaveLength(5);
  });

  it("a corrupt state means a first sync again: nothing is deleted on either side", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    await a.io.write("a.md", enc("a"));
    await a.engine.syncNow();
    const b = device(s, "b");
    b.store.data = enc("{broken");
    await b.io.write("b.md", enc("b"));
    await b.engine.syncNow();
    expect(b.io.paths()).toEqual(["a.md", "b.md"]);
    expect([...s.files.keys()].sort()).toEqual(["a.md", "b.md"]);
    expect(b.engine.logLines().some((l) => /damaged/.test(l))).toBe(true);
  });

  it("live: a vault event is debounced and pushed, the other device pulls it by long-poll", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    const b = device(s, "b");
    a.engine.start();
    b.engine.start();
    try {
      await a.io.write("live.md", enc("1"));
      a.engine.notify({ type: "create", path: "live.md" });
      await vi.waitFor(() => expect(b.io.text("live.md")).toBe("1"), { timeout: 5000 });
      await b.io.write("live.md", enc("2"));
      b.engine.notify({ type: "modify", path: "live.md" });
      await vi.waitFor(() => expect(a.io.text("live.md")).toBe("2"), { timeout: 5000 });
      await vi.waitFor(() => expect(a.engine.status.kind).toBe("synced"), { timeout: 5000 });
    } finally {
      await a.engine.stop();
      await b.engine.stop();
    }
  });

  it("live: offline while the server is down, catches up when it is back", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    const b = device(s, "b");
    await b.engine.syncNow();
    s.offline = true;
    a.engine.start();
    try {
      await vi.waitFor(() => expect(a.engine.status.kind).toBe("offline"), { timeout: 5000 });
      s.offline = false;
      await b.io.write("while-away.md", enc("x"));
      await b.engine.syncNow();
      await vi.waitFor(() => expect(a.io.text("while-away.md")).toBe("x"), { timeout: 10000 });
    } finally {
      await a.engine.stop();
    }
  });

  it("its own downloads are echoes, a person's edit right after one is not", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    const b = device(s, "b");
    await a.io.write("x.md", enc("1"));
    await a.engine.syncNow();
    b.engine.start();
    try {
      await vi.waitFor(() => expect(b.io.text("x.md")).toBe("1"), { timeout: 5000 });
      await vi.waitFor(() => expect(b.engine.status.kind).toBe("synced"), { timeout: 5000 });
      const rounds = b.remote.calls.get("changesSince") ?? 0;
      b.engine.notify({ type: "create", path: "x.md" }); // the echo of its own download
      await pause(200);
      expect(b.remote.calls.get("changesSince") ?? 0).toBe(rounds);
      await b.io.write("x.md", enc("2"));
      b.engine.notify({ type: "modify", path: "x.md" });
      await vi.waitFor(() => expect(s.text("x.md")).toBe("2"), { timeout: 5000 });
    } finally {
      await b.engine.stop();
    }
  });

  it("the engine's own commits coming back by long-poll cause no extra round", async () => {
    const s = new FakeServer();
    const a = device(s, "a");
    a.engine.start();
    try {
      await vi.waitFor(() => expect(a.remote.calls.get("waitChanges") ?? 0).toBeGreaterThan(0), { timeout: 5000 });
      await a.io.write("mine.md", enc("1"));
      a.engine.notify({ type: "create", path: "mine.md" });
      await vi.waitFor(() => expect(s.files.has("mine.md")).toBe(true), { timeout: 5000 });
      await vi.waitFor(() => expect(a.engine.lastSeq).toBe(s.headSeq), { timeout: 5000 });
      const rounds = a.remote.calls.get("changesSince") ?? 0;
      await pause(400);
      expect(a.remote.calls.get("changesSince") ?? 0).toBe(rounds);
    } finally {
      await a.engine.stop();
    }
  });
});
