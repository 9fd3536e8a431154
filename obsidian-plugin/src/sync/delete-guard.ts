/**
 * The mass-delete guard, as the CLI's MassDeleteGuard with the protocol's DeleteLimits: pure. It
 * counts only what really disappears (a move is not a delete), against the whole vault, and never
 * stops the rest of a round: uploads, downloads, moves and merges run as planned.
 *
 * 1. A vault with no files at all while the index says files were synced holds back every delete
 *    on the server (an emptied folder is never "delete everything").
 * 2. Deletes on the server beyond the limits (a share of the server's files) are held back.
 * 3. Deletes here beyond the limits (a share of this vault's files) are held back too, unless a
 *    person confirmed them on the device that made them (the change's `confirmed` flag).
 *
 * Held-back deletes are offered to `confirmDeletes`; a yes runs them (the server is told mass
 * deletes are allowed), a no leaves them undone and named, the index keeping the files, so the
 * next round sees the same deletes again until someone confirms them or puts the files back.
 */
import type { SyncAction } from "./planner";
import type { RemoteView } from "./remote-view";

export interface DeleteLimits {
  /** Most files one round may delete; 0: no absolute cap. */
  readonly maxFiles: number;
  /** Most percent of the vault's files one round may delete. */
  readonly maxPercent: number;
  /** The percentage rule applies from this many deletes on. */
  readonly percentFloor: number;
}

/** The CLI's DeleteLimits.DEFAULTS: more than 30% of the vault's files from 10 deletes on. */
export const DEFAULT_LIMITS: DeleteLimits = { maxFiles: 0, maxPercent: 30, percentFloor: 10 };

export function exceeded(limits: DeleteLimits, deletes: number, files: number): boolean {
  if (deletes <= 0) return false;
  if (limits.maxFiles > 0 && deletes > limits.maxFiles) return true;
  return deletes >= limits.percentFloor && deletes * 100 > limits.maxPercent * Math.max(files, 0);
}

export function describeLimits(l: DeleteLimits): string {
  const percent = `more than ${l.maxPercent}% of the vault's files (from ${l.percentFloor} deletes on)`;
  return l.maxFiles > 0 ? `more than ${l.maxFiles} files or ${percent}` : percent;
}

export interface GuardCounts {
  /** Files in this vault now (ignored ones left out). */
  readonly localFiles: number;
  /** Files that could not be read (the vault is not empty if there are any). */
  readonly unreadableFiles: number;
  /** Files in the index. */
  readonly syncedFiles: number;
  /** Files on the server now. */
  readonly remoteFiles: number;
}

export interface GuardRefusal {
  readonly side: "remote" | "local";
  readonly paths: string[];
  readonly reason: string;
}

export function checkDeletes(actions: readonly SyncAction[], view: RemoteView, counts: GuardCounts, limits: DeleteLimits): GuardRefusal[] {
  const remoteDeletes: string[] = [];
  const localDeletes: string[] = [];
  for (const a of actions) {
    if (a.kind === "deleteRemote") remoteDeletes.push(a.path);
    else if (a.kind === "deleteLocal" && !view.deleteConfirmed(a.path)) localDeletes.push(a.path);
  }
  const out: GuardRefusal[] = [];
  if (counts.localFiles === 0 && counts.unreadableFiles === 0 && counts.syncedFiles > 0 && remoteDeletes.length > 0) {
    out.push({
      side: "remote",
      paths: remoteDeletes,
      reason: `the vault has no files at all while ${counts.syncedFiles} were synced from it: ${remoteDeletes.length} deletes on the server held back`,
    });
  } else if (exceeded(limits, remoteDeletes.length, counts.remoteFiles)) {
    out.push({
      side: "remote",
      paths: remoteDeletes,
      reason: `${remoteDeletes.length} of the server's ${counts.remoteFiles} files would be deleted, ${describeLimits(limits)}: held back`,
    });
  }
  if (exceeded(limits, localDeletes.length, counts.localFiles)) {
    out.push({
      side: "local",
      paths: localDeletes,
      reason: `${localDeletes.length} of this vault's ${counts.localFiles} files were deleted on the server, ${describeLimits(limits)}: held back`,
    });
  }
  return out;
}

/** `actions` with the deletes `refusals` name replaced by held-back steps; every other step stays. */
export function holdBack(actions: readonly SyncAction[], refusals: readonly GuardRefusal[]): SyncAction[] {
  if (refusals.length === 0) return [...actions];
  const why = new Map<string, string>();
  for (const r of refusals) for (const p of r.paths) why.set(`${r.side}:${p}`, r.reason);
  return actions.map((a) => {
    if (a.kind === "deleteRemote" || a.kind === "deleteLocal") {
      const reason = why.get(`${a.kind === "deleteRemote" ? "remote" : "local"}:${a.path}`);
      if (reason !== undefined) return { kind: "heldBack", path: a.path, step: a.kind, expected: a.expected, reason };
    }
    return a;
  });
}
