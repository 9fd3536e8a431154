import { describe, expect, it } from "vitest";
import { findMovePairs, rank } from "../../src/sync/move-pairing";
import { plan } from "../../src/sync/planner";
import { formatCodec } from "../../src/sync/remote-adapter";
import { RemoteView } from "../../src/sync/remote-view";
import { SyncState } from "../../src/sync/state";
import { MemoryVaultIO } from "../../src/sync/vault-io";
import { sha } from "./fake-server";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const note = (tag: string, edit = ""): string => Array.from({ length: 200 }, (_, i) => `${tag} line ${i}${i === 100 ? edit : ""}\n`).join("");

describe("findMovePairs (as the CLI's MovePairing)", () => {
  it("pairs a moved-and-edited note with its vanished self by content, and the plan sends a move plus the edit", async () => {
    const codec = formatCodec();
    const io = new MemoryVaultIO();
    const state = new SyncState();
    for (const [p, t] of [["a/old.md", note("alpha")], ["b.md", note("beta")]]) {
      const d = enc(t);
      state.put({ path: p, hash: sha(d), size: d.length, mtime: 1, signature: await codec.signature(d) });
    }
    const view = RemoteView.fold(state, [], 0);
    const moved = enc(note("alpha", " edited"));
    await io.write("z/new.md", moved);
    await io.write("b.md", enc(note("beta")));
    await io.write("other.md", enc(note("gamma")));
    const local = new Map([
      ["z/new.md", { hash: sha(moved), size: moved.length }],
      ["b.md", { hash: state.get("b.md")?.hash ?? "", size: state.get("b.md")?.size ?? 0 }],
      ["other.md", { hash: sha(enc(note("gamma"))), size: enc(note("gamma")).length }],
    ]);
    const input = { base: state.entries, local, remote: view, ignored: () => false };
    const first = plan(input);
    expect(first.map((a) => a.kind).sort()).toEqual(["deleteRemote", "upload", "upload"]);
    const pairs = await findMovePairs(first, state, view, io, codec);
    expect([...pairs]).toEqual([["z/new.md", "a/old.md"]]);
    const second = plan({ ...input, pairs });
    expect(second.map((a) => `${a.kind} ${a.path}`)).toEqual(["moveRemote a/old.md", "upload z/new.md", "upload other.md"]);
  });

  it("ranks the same name first, then the same extension", () => {
    expect(rank("a/x.md", "b/x.md")).toBe(0);
    expect(rank("a/x.md", "b/y.md")).toBe(1);
    expect(rank("a/x.md", "b/y.png")).toBe(2);
  });
});
