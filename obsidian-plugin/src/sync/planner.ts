/**
 * Decides what a round does, as the CLI's SyncPlanner + MovePlanner: pure, no I/O, hashes only
 * (never mtimes, never "newer wins"). Per path it compares base (the index: what both sides had
 * at the last sync), local (this vault now) and remote (the server's head, {@link RemoteView}):
 *
 * 1. A path the scan could not read is skipped (never deleted, uploaded or downloaded); while a
 *    new local file cannot be read, deletes on the server wait (it may be a vanished file under a
 *    new name).
 * 2. Moves: local moves (base → local pairs a vanished and a new file by hash, or a move pair
 *    from a rename event / similarity) become a move on the server when it still has the base
 *    version at the source and nothing at the destination (plus an upload of the edit, for a
 *    pair that was edited); moves on the server become a local move likewise (plus a download of
 *    the edit). Neither is a delete. Any other move falls through to the per-path rules.
 * 3. Per path: local = remote: only the index changes. Only remote changed: download or delete
 *    here. Only local changed: upload or delete there. Both changed: a delete on one side and an
 *    edit on the other keeps the edit; text is merged three-way; anything else keeps both.
 */
import { hasTextExtension } from "./merge";
import type { RemoteView, Version } from "./remote-view";
import type { IndexEntry } from "./state";

export type SyncAction =
  | { kind: "upload"; path: string; base: string | null; local: Version }
  | { kind: "download"; path: string; remote: Version; localBase: string | null }
  | { kind: "deleteRemote"; path: string; expected: string }
  | { kind: "deleteLocal"; path: string; expected: string }
  | { kind: "moveRemote"; path: string; to: string; hash: string }
  | { kind: "moveLocal"; path: string; to: string; hash: string }
  | { kind: "merge"; path: string; base: string | null; local: Version; remote: Version }
  | { kind: "keepBoth"; path: string; local: Version; remote: Version }
  | { kind: "record"; path: string; now: Version | null }
  | { kind: "heldBack"; path: string; step: "deleteRemote" | "deleteLocal"; expected: string; reason: string }
  | { kind: "skip"; path: string; reason: string };

export interface PlanInput {
  /** The index (bases). */
  readonly base: ReadonlyMap<string, IndexEntry>;
  /** This vault now, ignored paths left out. */
  readonly local: ReadonlyMap<string, Version>;
  /** Paths that could not be read this round (changing, unreadable). */
  readonly unreadable?: ReadonlySet<string>;
  readonly remote: RemoteView;
  /** Paths that stay local (never uploaded, downloaded or deleted). */
  readonly ignored: (path: string) => boolean;
  /** Destination → source of local moves known otherwise than by equal hashes (rename events, similarity). */
  readonly pairs?: ReadonlyMap<string, string>;
}

/** Code point order of paths (the CLI's NotePath order: UTF-8 bytes). */
export function comparePaths(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** The steps that bring base, local and remote together, in order. */
export function plan(input: PlanInput): SyncAction[] {
  const { base, remote, ignored } = input;
  const unreadable = new Set([...(input.unreadable ?? [])].filter((p) => !ignored(p)));
  const touched = new Set<string>();
  for (const [p, b] of base) {
    const l = input.local.get(p);
    const r = remote.get(p);
    if (!l || !r || l.hash !== b.hash || r.hash !== b.hash) touched.add(p);
  }
  for (const p of input.local.keys()) if (!base.has(p)) touched.add(p);
  for (const p of remote.files.keys()) if (!base.has(p)) touched.add(p);
  for (const p of unreadable) touched.add(p);

  const baseM = new Map<string, Version>();
  const localM = new Map<string, Version>();
  const remoteM = new Map<string, Version>();
  for (const p of touched) {
    if (ignored(p)) continue;
    const b = base.get(p);
    if (b) baseM.set(p, { hash: b.hash, size: b.size });
    const l = unreadable.has(p) ? (b ? { hash: b.hash, size: b.size } : undefined) : input.local.get(p);
    if (l) localM.set(p, l);
    const r = remote.get(p);
    if (r) remoteM.set(p, r);
  }
  const actions: SyncAction[] = [];
  const done = new Set<string>();
  for (const p of [...unreadable].sort(comparePaths)) {
    actions.push({ kind: "skip", path: p, reason: "could not be read this time" });
    done.add(p);
  }
  planMoves(baseM, localM, remoteM, input, done, actions);

  const beingWritten = [...unreadable].find((p) => !base.has(p));
  const paths = [...new Set([...baseM.keys(), ...localM.keys(), ...remoteM.keys()])].sort(comparePaths);
  for (const p of paths) {
    if (done.has(p)) continue;
    let a = decide(p, baseM.get(p)?.hash ?? null, localM.get(p) ?? null, remoteM.get(p) ?? null);
    if (a?.kind === "deleteRemote" && beingWritten !== undefined) {
      a = { kind: "skip", path: p, reason: `its delete waits while ${beingWritten} cannot be read (it may be this file under a new name)` };
    }
    if (a) actions.push(a);
  }
  return actions;
}

function decide(p: string, b: string | null, l: Version | null, r: Version | null): SyncAction | null {
  const lh = l?.hash ?? null;
  const rh = r?.hash ?? null;
  if (lh === rh) return b === lh ? null : { kind: "record", path: p, now: l };
  if (lh === b) return r === null ? { kind: "deleteLocal", path: p, expected: lh as string } : { kind: "download", path: p, remote: r, localBase: lh };
  if (rh === b) return l === null ? { kind: "deleteRemote", path: p, expected: b as string } : { kind: "upload", path: p, base: rh, local: l };
  if (l === null) return { kind: "download", path: p, remote: r as Version, localBase: null }; // deleted here, edited there: keep the edit
  if (r === null) return { kind: "upload", path: p, base: null, local: l }; // edited here, deleted there: keep the edit
  if (hasTextExtension(p)) return { kind: "merge", path: p, base: b, local: l, remote: r };
  return { kind: "keepBoth", path: p, local: l, remote: r };
}

/** Pairs of (vanished, new) entries with equal hashes, as the CLI's TreeDiff: same name first. */
export function pairByHash(before: ReadonlyMap<string, Version>, after: ReadonlyMap<string, Version>): Map<string, string> {
  const deleted = [...before.keys()].filter((p) => !after.has(p)).sort(comparePaths);
  const added = [...after.keys()].filter((p) => !before.has(p) && (after.get(p) as Version).size > 0).sort(comparePaths);
  const taken = new Set<string>();
  const moves = new Map<string, string>(); // to → from
  const name = (p: string): string => p.slice(p.lastIndexOf("/") + 1);
  const unpaired: string[] = [];
  for (const sameName of [true, false]) {
    for (const from of sameName ? deleted : unpaired.splice(0)) {
      const v = before.get(from) as Version;
      const to = v.size === 0 ? undefined : added.find((a) => !taken.has(a) && (after.get(a) as Version).hash === v.hash && (!sameName || name(a) === name(from)));
      if (to === undefined) {
        if (sameName) unpaired.push(from);
      } else {
        taken.add(to);
        moves.set(to, from);
      }
    }
  }
  return moves;
}

function planMoves(
  base: Map<string, Version>,
  local: Map<string, Version>,
  remoteTouched: Map<string, Version>,
  input: PlanInput,
  done: Set<string>,
  actions: SyncAction[],
): void {
  const remote = input.remote;
  const free = (...ps: string[]): boolean => ps.every((p) => !done.has(p));
  for (const [to, from] of pairByHash(base, local)) {
    const h = (local.get(to) as Version).hash;
    const r = remote.get(from);
    if (free(from, to) && r?.hash === h && !remote.get(to)) {
      actions.push({ kind: "moveRemote", path: from, to, hash: h });
      done.add(from).add(to);
    }
  }
  for (const [to, from] of pairByHash(base, remoteTouched)) {
    const h = (remoteTouched.get(to) as Version).hash;
    if (free(from, to) && local.get(from)?.hash === h && !local.has(to)) {
      actions.push({ kind: "moveLocal", path: from, to, hash: h });
      done.add(from).add(to);
    }
  }
  for (const [to, from] of remote.movedFrom) {
    const b = base.get(from);
    const l = local.get(from);
    const r = remote.get(to);
    if (free(from, to) && b && !base.has(to) && !remote.get(from) && r && l?.hash === b.hash && !local.has(to)) {
      actions.push({ kind: "moveLocal", path: from, to, hash: b.hash });
      if (r.hash !== b.hash) actions.push({ kind: "download", path: to, remote: r, localBase: b.hash });
      done.add(from).add(to);
    }
  }
  for (const [to, from] of input.pairs ?? []) {
    const b = base.get(from);
    const l = local.get(to);
    const r = remote.get(from);
    if (free(from, to) && b && !base.has(to) && !local.has(from) && l && r?.hash === b.hash && !remote.get(to)) {
      actions.push({ kind: "moveRemote", path: from, to, hash: b.hash });
      if (l.hash !== b.hash) actions.push({ kind: "upload", path: to, base: b.hash, local: l });
      done.add(from).add(to);
    }
  }
}
