/**
 * Finds local files that were moved and edited without a rename event to say so (another app, a
 * sync from elsewhere, a restart between the rename and the round), as the CLI's MovePairing: each
 * vanished file (its step a delete on the server) with a kept signature is compared with each new
 * file (an upload of a path neither the index nor the server knows) by encoding the new file
 * against the kept signature; a delta that copies at least half of the new file makes a pair.
 * Among candidates a file with the same name (moved to another folder) is preferred, then the same
 * extension, then the larger share copied. Bounded as the CLI: at most 64 candidates per new file,
 * 4096 pairs and 256 MiB encoded per round, no file above 16 MiB, one new file in memory at a time.
 * A pair is only a hint: the planner still checks every version, and the executor every file.
 */
import type { SyncAction } from "./planner";
import type { DeltaCodec } from "./ports";
import type { RemoteView } from "./remote-view";
import type { IndexEntry, SyncState } from "./state";
import type { VaultIO } from "./vault-io";

export const MAX_PAIRS = 4096;
export const MAX_CANDIDATES_PER_FILE = 64;
export const MAX_ENCODED_BYTES = 256 << 20;
export const MAX_FILE_BYTES = 16 << 20;

const nameOf = (p: string): string => p.slice(p.lastIndexOf("/") + 1);
const extOf = (name: string): string => {
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot);
};

/** 0: same file name; 1: same extension; 2: otherwise. */
export function rank(a: string, b: string): number {
  if (nameOf(a) === nameOf(b)) return 0;
  return extOf(nameOf(a)) === extOf(nameOf(b)) ? 1 : 2;
}

/** Destination → source of the moved-and-edited files among `actions`. */
export async function findMovePairs(actions: readonly SyncAction[], state: SyncState, view: RemoteView, io: VaultIO, codec: DeltaCodec): Promise<Map<string, string>> {
  const copiedBytes = codec.copiedBytes?.bind(codec);
  const pairs = new Map<string, string>();
  if (!copiedBytes) return pairs;
  const vanished: IndexEntry[] = [];
  const added: { path: string; size: number }[] = [];
  for (const a of actions) {
    if (a.kind === "deleteRemote") {
      const e = state.get(a.path);
      if (e && e.signature && e.size > 0) vanished.push(e);
    } else if (a.kind === "upload" && a.base === null && !state.get(a.path) && !view.get(a.path) && a.local.size > 0 && a.local.size <= MAX_FILE_BYTES) {
      added.push({ path: a.path, size: a.local.size });
    }
  }
  if (vanished.length === 0 || added.length === 0) return pairs;
  const matches: { to: string; from: string; rank: number; share: number }[] = [];
  let pairsLeft = MAX_PAIRS;
  let bytesLeft = MAX_ENCODED_BYTES;
  for (const u of added) {
    const n = Math.min(MAX_CANDIDATES_PER_FILE, pairsLeft, vanished.length, Math.floor(bytesLeft / u.size));
    if (n <= 0) break;
    const candidates = [...vanished].sort((x, y) => rank(x.path, u.path) - rank(y.path, u.path) || Math.abs(x.size - u.size) - Math.abs(y.size - u.size) || (x.path < y.path ? -1 : 1)).slice(0, n);
    pairsLeft -= candidates.length;
    bytesLeft -= u.size * candidates.length;
    let data: Uint8Array;
    try {
      data = await io.read(u.path);
    } catch {
      continue; // unreadable: unpaired; the upload names a real problem
    }
    if (data.length === 0 || data.length > MAX_FILE_BYTES) continue;
    for (const c of candidates) {
      const copied = await copiedBytes(c.signature as Uint8Array, data).catch(() => 0);
      if (copied * 2 >= data.length) matches.push({ to: u.path, from: c.path, rank: rank(c.path, u.path), share: copied / data.length });
    }
  }
  matches.sort((x, y) => x.rank - y.rank || y.share - x.share || (x.to < y.to ? -1 : x.to > y.to ? 1 : 0) || (x.from < y.from ? -1 : 1));
  const used = new Set<string>();
  for (const m of matches) {
    if (used.has(m.to) || used.has(m.from)) continue;
    pairs.set(m.to, m.from);
    used.add(m.to).add(m.from);
  }
  return pairs;
}
