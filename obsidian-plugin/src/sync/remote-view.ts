/**
 * The server's head state as this device sees it, as the CLI's RemoteView: the index's bases with
 * the ledger's changes since the last seq folded over them, or a whole manifest (first sync, or a
 * ledger compacted past the last seq). Folded from changes it also knows which deletes a person
 * confirmed and where a moved (and perhaps then edited) file came from; from a manifest it knows
 * neither. It remembers the first seq that touched each path, so a round that skips a path does
 * not move its last seq past a change it did not apply ({@link RemoteView.safeSeq}).
 */
import type { SyncState } from "./state";

/** One version of a file: SHA-256 (lower-case hex) and size. */
export interface Version {
  readonly hash: string;
  readonly size: number;
}

/** One ledger change, as the sync core sees it (src/remote's Change, hashes as hex). */
export interface ChangeRecord {
  readonly seq: number;
  readonly op: "put" | "delete" | "move";
  readonly path: string;
  /** For a move: where the file was. */
  readonly previousPath?: string;
  readonly hash: string;
  readonly size: number;
  readonly device: string;
  /** For a delete: committed with mass deletes allowed (a person confirmed it). */
  readonly confirmed?: boolean;
}

export class RemoteView {
  private constructor(
    readonly files: Map<string, Version>,
    private readonly firstTouch: Map<string, number>,
    readonly confirmedDeletes: Set<string>,
    /** Destination → the path it had in the base, for files the changes moved. */
    readonly movedFrom: Map<string, string>,
    readonly headSeq: number,
    private readonly fromSeq: number,
    private readonly whole: boolean,
  ) {}

  /** The index's bases with `changes` (after `state.lastSeq`, oldest first) applied. */
  static fold(state: SyncState, changes: readonly ChangeRecord[], headSeq: number): RemoteView {
    const files = new Map<string, Version>();
    for (const e of state.entries.values()) files.set(e.path, { hash: e.hash, size: e.size });
    const first = new Map<string, number>();
    const confirmed = new Set<string>();
    const movedFrom = new Map<string, string>();
    let previous = state.lastSeq;
    for (const c of changes) {
      if (c.seq <= previous) throw new Error(`change seq ${c.seq} after seq ${previous}; expected increasing seqs`);
      previous = c.seq;
      if (!first.has(c.path)) first.set(c.path, c.seq);
      confirmed.delete(c.path);
      if (c.op === "put") {
        files.set(c.path, { hash: c.hash, size: c.size });
      } else if (c.op === "delete") {
        files.delete(c.path);
        movedFrom.delete(c.path);
        if (c.confirmed) confirmed.add(c.path);
      } else {
        const from = c.previousPath ?? "";
        if (!first.has(from)) first.set(from, c.seq);
        files.delete(from);
        files.set(c.path, { hash: c.hash, size: c.size });
        const origin = movedFrom.get(from);
        movedFrom.delete(from);
        movedFrom.set(c.path, origin ?? from);
      }
    }
    return new RemoteView(files, first, confirmed, movedFrom, Math.max(headSeq, previous), state.lastSeq, false);
  }

  /** The head state from a whole manifest read at `headSeq`. */
  static ofManifest(entries: Iterable<{ path: string } & Version>, headSeq: number, fromSeq: number): RemoteView {
    const files = new Map<string, Version>();
    for (const e of entries) files.set(e.path, { hash: e.hash, size: e.size });
    return new RemoteView(files, new Map(), new Set(), new Map(), headSeq, fromSeq, true);
  }

  get(path: string): Version | undefined {
    return this.files.get(path);
  }

  deleteConfirmed(path: string): boolean {
    return this.confirmedDeletes.has(path);
  }

  /** The highest last seq a device may record if it did not apply `skipped`. */
  safeSeq(skipped: Iterable<string>): number {
    let safe = this.headSeq;
    for (const p of skipped) {
      if (this.whole) return Math.min(safe, this.fromSeq);
      const t = this.firstTouch.get(p);
      if (t !== undefined) safe = Math.min(safe, t - 1);
    }
    return safe;
  }
}
