import { describe, expect, it } from "vitest";
import { checkDeletes, DEFAULT_LIMITS, exceeded, holdBack } from "../../src/sync/delete-guard";
import { plan, type PlanInput } from "../../src/sync/planner";
import { RemoteView, type ChangeRecord, type Version } from "../../src/sync/remote-view";
import { SyncState } from "../../src/sync/state";

const h = (c: string): string => c.repeat(64);
const v = (c: string, size = 10): Version => ({ hash: h(c), size });

function state(files: Record<string, string>, lastSeq = 10): SyncState {
  const s = new SyncState();
  s.lastSeq = lastSeq;
  for (const [p, c] of Object.entries(files)) s.put({ path: p, hash: h(c), size: 10, mtime: 1, signature: null });
  return s;
}

function input(base: SyncState, local: Record<string, string>, changes: ChangeRecord[], extra: Partial<PlanInput> = {}): PlanInput {
  return {
    base: base.entries,
    local: new Map(Object.entries(local).map(([p, c]) => [p, v(c)])),
    remote: RemoteView.fold(base, changes, 0),
    ignored: () => false,
    ...extra,
  };
}

const put = (seq: number, path: string, c: string): ChangeRecord => ({ seq, op: "put", path, hash: h(c), size: 10, device: "x" });
const del = (seq: number, path: string, c: string, confirmed = false): ChangeRecord => ({ seq, op: "delete", path, hash: h(c), size: 10, device: "x", confirmed });
const move = (seq: number, from: string, to: string, c: string): ChangeRecord => ({ seq, op: "move", path: to, previousPath: from, hash: h(c), size: 10, device: "x" });

describe("plan", () => {
  it("nothing changed: nothing to do", () => {
    const s = state({ "a.md": "1" });
    expect(plan(input(s, { "a.md": "1" }, []))).toEqual([]);
  });

  it("one side changed: upload, download, delete there or here", () => {
    const s = state({ "a.md": "1", "b.md": "1", "c.md": "1", "d.md": "1" });
    const acts = plan(input(s, { "a.md": "2", "b.md": "1", "d.md": "1", "n.md": "5" }, [put(11, "b.md", "3"), del(12, "d.md", "1")]));
    expect(acts).toEqual([
      { kind: "upload", path: "a.md", base: h("1"), local: v("2") },
      { kind: "download", path: "b.md", remote: v("3"), localBase: h("1") },
      { kind: "deleteRemote", path: "c.md", expected: h("1") },
      { kind: "deleteLocal", path: "d.md", expected: h("1") },
      { kind: "upload", path: "n.md", base: null, local: v("5") },
    ]);
  });

  it("both changed: text merges against the base, anything else keeps both, never a silent overwrite", () => {
    const s = state({ "a.md": "1", "p.png": "1" });
    const acts = plan(input(s, { "a.md": "2", "p.png": "2" }, [put(11, "a.md", "3"), put(12, "p.png", "3")]));
    expect(acts).toEqual([
      { kind: "merge", path: "a.md", base: h("1"), local: v("2"), remote: v("3") },
      { kind: "keepBoth", path: "p.png", local: v("2"), remote: v("3") },
    ]);
  });

  it("a new file on both sides with different content merges against an empty base", () => {
    const acts = plan(input(state({}), { "a.md": "2" }, [put(11, "a.md", "3")]));
    expect(acts).toEqual([{ kind: "merge", path: "a.md", base: null, local: v("2"), remote: v("3") }]);
  });

  it("deleted on one side and edited on the other keeps the edit", () => {
    const s = state({ "a.md": "1", "b.md": "1" });
    const acts = plan(input(s, { "a.md": "2" }, [put(11, "b.md", "3"), del(12, "a.md", "1")]));
    expect(acts).toEqual([
      { kind: "upload", path: "a.md", base: null, local: v("2") },
      { kind: "download", path: "b.md", remote: v("3"), localBase: null },
    ]);
  });

  it("equal on both sides: only the index changes", () => {
    const s = state({ "a.md": "1" });
    expect(plan(input(s, { "a.md": "2" }, [put(11, "a.md", "2")]))).toEqual([{ kind: "record", path: "a.md", now: v("2") }]);
  });

  it("a local rename is a move on the server, never a delete plus an add", () => {
    const s = state({ "old/a.md": "1", "old/b.md": "2" });
    const acts = plan(input(s, { "new/a.md": "1", "new/b.md": "2" }, []));
    expect(acts).toEqual([
      { kind: "moveRemote", path: "old/a.md", to: "new/a.md", hash: h("1") },
      { kind: "moveRemote", path: "old/b.md", to: "new/b.md", hash: h("2") },
    ]);
  });

  it("a rename with an edit known from a rename event is a move plus an upload of the edit", () => {
    const s = state({ "a.md": "1" });
    const acts = plan(input(s, { "b.md": "2" }, [], { pairs: new Map([["b.md", "a.md"]]) }));
    expect(acts).toEqual([
      { kind: "moveRemote", path: "a.md", to: "b.md", hash: h("1") },
      { kind: "upload", path: "b.md", base: h("1"), local: v("2") },
    ]);
  });

  it("a move on the server (and an edit after it) is a local move plus a delta download", () => {
    const s = state({ "a.md": "1", "c.md": "5" });
    const acts = plan(input(s, { "a.md": "1", "c.md": "5" }, [move(11, "a.md", "b.md", "1"), put(12, "b.md", "2"), move(13, "c.md", "d/c.md", "5")]));
    expect(acts).toEqual([
      { kind: "moveLocal", path: "c.md", to: "d/c.md", hash: h("5") },
      { kind: "moveLocal", path: "a.md", to: "b.md", hash: h("1") },
      { kind: "download", path: "b.md", remote: v("2"), localBase: h("1") },
    ]);
  });

  it("an unreadable file is skipped, and deletes on the server wait while a new file cannot be read", () => {
    const s = state({ "a.md": "1", "b.md": "1" });
    const acts = plan(input(s, { "b.md": "1" }, [], { unreadable: new Set(["b.md", "new.md"]) }));
    expect(acts.map((a) => a.kind)).toEqual(["skip", "skip", "skip"]);
    expect(acts[0].path).toBe("b.md");
    expect(acts[2]).toMatchObject({ kind: "skip", path: "a.md" });
    expect((acts[2] as { reason: string }).reason).toMatch(/waits while new.md/);
  });

  it("ignored paths are never uploaded, downloaded or deleted", () => {
    const s = state({ "x.tmp": "1" });
    const acts = plan(input(s, { "y.tmp": "1" }, [put(11, "z.tmp", "2")], { ignored: (p) => p.endsWith(".tmp") }));
    expect(acts).toEqual([]);
  });
});

describe("mass-delete guard (as the CLI's MassDeleteGuard + DeleteLimits)", () => {
  it("uses the CLI's limits: more than 30% from 10 deletes on", () => {
    expect(exceeded(DEFAULT_LIMITS, 9, 10)).toBe(false);
    expect(exceeded(DEFAULT_LIMITS, 10, 100)).toBe(false);
    expect(exceeded(DEFAULT_LIMITS, 31, 100)).toBe(true);
    expect(exceeded({ maxFiles: 5, maxPercent: 100, percentFloor: 1 }, 6, 1000)).toBe(true);
  });

  const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`n${String(i).padStart(2, "0")}.md`, "1"]));

  it("holds back deletes on the server beyond the limits, and keeps the rest of the plan", () => {
    const s = state(files);
    const local: Record<string, string> = { "n00.md": "2", "new.md": "3" };
    const inp = input(s, local, []);
    const acts = plan(inp);
    const refusals = checkDeletes(acts, inp.remote, { localFiles: 2, unreadableFiles: 0, syncedFiles: 20, remoteFiles: 20 }, DEFAULT_LIMITS);
    expect(refusals).toHaveLength(1);
    expect(refusals[0].side).toBe("remote");
    const held = holdBack(acts, refusals);
    expect(held.filter((a) => a.kind === "heldBack")).toHaveLength(19);
    expect(held.filter((a) => a.kind === "upload")).toHaveLength(2);
  });

  it("an emptied vault never deletes on the server, however few files", () => {
    const s = state({ "a.md": "1", "b.md": "1" });
    const inp = input(s, {}, []);
    const refusals = checkDeletes(plan(inp), inp.remote, { localFiles: 0, unreadableFiles: 0, syncedFiles: 2, remoteFiles: 2 }, DEFAULT_LIMITS);
    expect(refusals[0].reason).toMatch(/no files at all/);
  });

  it("holds back a mass delete from the server unless a person confirmed it there", () => {
    const s = state(files);
    const changes = Object.keys(files).slice(0, 15).map((p, i) => del(11 + i, p, "1"));
    const inp = input(s, files, changes);
    const counts = { localFiles: 20, unreadableFiles: 0, syncedFiles: 20, remoteFiles: 5 };
    expect(checkDeletes(plan(inp), inp.remote, counts, DEFAULT_LIMITS)[0].side).toBe("local");
    const confirmed = input(s, files, Object.keys(files).slice(0, 15).map((p, i) => del(11 + i, p, "1", true)));
    expect(checkDeletes(plan(confirmed), confirmed.remote, counts, DEFAULT_LIMITS)).toEqual([]);
  });
});

describe("RemoteView", () => {
  it("never lets the last seq pass a change it skipped", () => {
    const s = state({ "a.md": "1" });
    const view = RemoteView.fold(s, [put(11, "b.md", "1"), put(12, "c.md", "1"), put(13, "b.md", "2")], 13);
    expect(view.safeSeq([])).toBe(13);
    expect(view.safeSeq(["c.md"])).toBe(11);
    expect(view.safeSeq(["b.md"])).toBe(10);
    const whole = RemoteView.ofManifest([{ path: "a.md", hash: h("1"), size: 1 }], 20, 10);
    expect(whole.safeSeq(["a.md"])).toBe(10);
  });
});
