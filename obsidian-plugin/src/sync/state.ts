/**
 * What the plugin remembers between syncs, as the CLI's index (state/LocalIndex, KeptSignature):
 * per path the version both sides had at the last sync (hash, size, the local mtime it was seen
 * with, the seq) and the kept signature of that version (so an upload's delta needs nothing from
 * the server), plus the last seq of the ledger applied.
 *
 * Persisted through a {@link StateStore} as JSON (version 1). A missing, unreadable or corrupt
 * state is never an error that deletes anything: it loads as an empty state, which means "first
 * sync again" (every file is compared with the server's manifest by hash; nothing is deleted on
 * either side, since nothing has a base).
 */
export interface IndexEntry {
  readonly path: string;
  /** SHA-256 of the content, lower-case hex. */
  readonly hash: string;
  readonly size: number;
  /** The local mtime the file had when it was synced; -1: unknown (hash it again). */
  readonly mtime: number;
  /** The kept signature (docs/FORMAT.md section 3) of this version, or null. */
  readonly signature: Uint8Array | null;
}

/** Where the state's bytes live (the plugin's data folder, memory in tests). */
export interface StateStore {
  /** The bytes last saved, or null if none. */
  load(): Promise<Uint8Array | null>;
  save(data: Uint8Array): Promise<void>;
}

/** Largest state accepted when loading (a vault of ~100,000 notes with signatures). */
export const MAX_STATE_BYTES = 512 << 20;

const FORMAT_VERSION = 1;

/** The index and last seq. Mutable; not shared between engines. */
export class SyncState {
  readonly entries = new Map<string, IndexEntry>();
  lastSeq = 0;
  /** The vault this state belongs to ("" before the first sync). */
  vault = "";

  get(path: string): IndexEntry | undefined {
    return this.entries.get(path);
  }

  put(e: IndexEntry): void {
    this.entries.set(e.path, e);
  }

  remove(path: string): void {
    this.entries.delete(path);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The state as bytes (JSON, signatures in base64). */
  encode(): Uint8Array {
    const files: unknown[] = [];
    for (const e of this.entries.values()) {
      files.push([e.path, e.hash, e.size, e.mtime, e.signature ? toBase64(e.signature) : null]);
    }
    const json = JSON.stringify({ v: FORMAT_VERSION, vault: this.vault, lastSeq: this.lastSeq, files });
    return new TextEncoder().encode(json);
  }

  /**
   * The state `data` holds, or an empty state (first sync again) with `problem` set when it is
   * missing, too large or damaged in any way.
   */
  static decode(data: Uint8Array | null): { state: SyncState; problem: string | null } {
    const empty = new SyncState();
    if (data === null) return { state: empty, problem: null };
    if (data.length > MAX_STATE_BYTES) {
      return { state: empty, problem: `sync state of ${data.length} bytes; at most ${MAX_STATE_BYTES}: syncing as for the first time` };
    }
    try {
      const o = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data)) as Record<string, unknown>;
      if (o.v !== FORMAT_VERSION) throw new Error(`version ${String(o.v)}, expected ${FORMAT_VERSION}`);
      const s = new SyncState();
      s.vault = requireString(o.vault, "vault");
      s.lastSeq = requireCount(o.lastSeq, "lastSeq");
      if (!Array.isArray(o.files)) throw new Error("files is not a list");
      for (const f of o.files as unknown[]) {
        if (!Array.isArray(f) || f.length !== 5) throw new Error("a file entry is not [path, hash, size, mtime, signature]");
        const path = requireString(f[0], "path");
        const hash = requireString(f[1], "hash");
        if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`hash of ${path} is not 64 hex digits`);
        const sig = f[4] === null ? null : fromBase64(requireString(f[4], "signature"));
        s.put({ path, hash, size: requireCount(f[2], "size"), mtime: requireNumber(f[3], "mtime"), signature: sig });
      }
      return { state: s, problem: null };
    } catch (e) {
      return { state: empty, problem: `sync state is damaged (${(e as Error).message}): syncing as for the first time` };
    }
  }
}

function requireString(v: unknown, what: string): string {
  if (typeof v !== "string") throw new Error(`${what} is not a string`);
  return v;
}

function requireNumber(v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${what} is not a number`);
  return v;
}

function requireCount(v: unknown, what: string): number {
  const n = requireNumber(v, what);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${what} ${n} is not a count`);
  return n;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Standard base64 (padded); no Node Buffer, no btoa of huge strings. */
export function toBase64(b: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out.push(B64[(n >> 18) & 63], B64[(n >> 12) & 63], i + 1 < b.length ? B64[(n >> 6) & 63] : "=", i + 2 < b.length ? B64[n & 63] : "=");
  }
  return out.join("");
}

export function fromBase64(s: string): Uint8Array {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error("not base64");
  const pad = s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    const n = (B64.indexOf(s[i]) << 18) | (B64.indexOf(s[i + 1]) << 12) | ((B64.indexOf(s[i + 2]) & 63) << 6) | (B64.indexOf(s[i + 3]) & 63);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** A state store in memory (tests, the Chromium run). */
export class MemoryStateStore implements StateStore {
  data: Uint8Array | null = null;
  load(): Promise<Uint8Array | null> {
    return Promise.resolve(this.data);
  }
  save(data: Uint8Array): Promise<void> {
    this.data = data.slice();
    return Promise.resolve();
  }
}
