/**
 * Reads what the vault holds now: every file the ignore rules leave in, with its hash. A file whose
 * size and mtime equal the index's is not read again (its hash is the index's); every other file
 * is read and hashed, one at a time, so at most one file is in memory. A file that cannot be read
 * is named as unreadable (never taken for a delete).
 */
import { sha256Hex } from "./hash";
import type { IgnoreRules } from "./ignore";
import type { Version } from "./remote-view";
import type { SyncState } from "./state";
import type { FileStat, VaultIO } from "./vault-io";

export interface ScanResult {
  readonly local: Map<string, Version>;
  /** What the scan saw per path (size, mtime): steps check a file is still this before acting. */
  readonly seen: Map<string, FileStat>;
  readonly unreadable: Set<string>;
  /** Files read and hashed this time. */
  readonly hashed: number;
}

export async function scanVault(io: VaultIO, state: SyncState, rules: IgnoreRules): Promise<ScanResult> {
  const local = new Map<string, Version>();
  const seen = new Map<string, FileStat>();
  const unreadable = new Set<string>();
  let hashed = 0;
  for (const f of await io.list()) {
    if (rules.ignores(f.path)) continue;
    const base = state.get(f.path);
    if (base && base.mtime >= 0 && base.mtime === f.mtime && base.size === f.size) {
      local.set(f.path, { hash: base.hash, size: base.size });
      seen.set(f.path, f);
      continue;
    }
    try {
      const data = await io.read(f.path);
      const after = await io.stat(f.path);
      if (!after || after.size !== data.length || after.mtime !== f.mtime) {
        unreadable.add(f.path); // changed while being read: next round
        continue;
      }
      local.set(f.path, { hash: await sha256Hex(data), size: data.length });
      seen.set(f.path, after);
      hashed++;
    } catch {
      unreadable.add(f.path);
    }
  }
  return { local, seen, unreadable, hashed };
}

/** Whether the file at `path` is still what `seen` says (null: absent). */
export async function unchanged(io: VaultIO, path: string, seen: FileStat | undefined): Promise<boolean> {
  const now = await io.stat(path);
  if (!seen) return now === null;
  return now !== null && now.size === seen.size && now.mtime === seen.mtime;
}
