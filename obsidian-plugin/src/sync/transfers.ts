/**
 * Moving content between the vault and the server, for one round.
 *
 * Downloads: in fetch batches; each item's delta is patched as it arrives (src/format's
 * DeltaPatcher, output in pieces of about 1 MiB at most) and appended to a temp file beside the
 * target (`.vstmp-*`, never synced); the output's SHA-256 is checked against the version asked for,
 * and the temp file is renamed into place only when the local file is still what the plan saw. A
 * file above {@link MAX_BASIS_BYTES} is fetched against an empty base, so no large base is read
 * into memory; nothing but the current piece of a large file is ever held.
 *
 * Uploads: the file is read, checked against the version the plan saw, and sent as a delta from
 * the kept signature of its base: small deltas in commit batches (at most 500 mutations and 4 MiB
 * of deltas each), larger ones through push (parts of at most 4 MiB). A move with an edit sends
 * the move first, then the edit against the moved version.
 */
import { newSha256 } from "./hash";
import { TEMP_PREFIX } from "./ignore";
import type { LogRing } from "./log";
import { MassDeleteRefused, type DeltaCodec, type Mutation, type Outcome, type SyncRemote } from "./ports";
import type { Version } from "./remote-view";
import { unchanged } from "./scan";
import type { IndexEntry, SyncState } from "./state";
import { parentOf, type FileStat, type VaultIO } from "./vault-io";

/** Largest local version used as a download's basis (and kept-signature size bound for downloads). */
export const MAX_BASIS_BYTES = 16 << 20;
export const MAX_BATCH_MUTATIONS = 500;
export const MAX_BATCH_BYTES = 4 << 20;
export const MAX_FETCH_ITEMS = 1000;

/** What a round shares between its steps. */
export interface RoundContext {
  readonly io: VaultIO;
  readonly remote: SyncRemote;
  readonly codec: DeltaCodec;
  readonly state: SyncState;
  readonly log: LogRing;
  /** What the scan saw (updated by the round's own writes). */
  readonly seen: Map<string, FileStat>;
  /** Paths whose remote changes this round did not apply (the last seq must not pass them). */
  readonly skipped: Set<string>;
  /** Files not synced this round, each with why. */
  readonly notSynced: { path: string; reason: string }[];
  /** Called right after the engine wrote, moved or deleted `path` (its vault event is an echo). */
  readonly wrote: (path: string) => void;
  readonly tally: { up: number; down: number; moved: number; deleted: number; merged: number };
  /** Mass deletes a person confirmed this round. */
  allowMassDelete: boolean;
  /** Seqs of the ledger changes this round's own commits and pushes made. */
  readonly applied: Set<number>;
}

export function skip(ctx: RoundContext, path: string, reason: string): void {
  ctx.skipped.add(path);
  ctx.notSynced.push({ path, reason });
  ctx.log.log("warn", `not synced: ${path} (${reason})`);
}

export interface DownloadStep {
  readonly path: string;
  readonly remote: Version;
  readonly localBase: string | null;
}

/** Downloads `steps`; each success is in the index, each failure skipped and named. */
export async function downloadAll(ctx: RoundContext, steps: readonly DownloadStep[]): Promise<Set<string>> {
  const ok = new Set<string>();
  for (let i = 0; i < steps.length; i += MAX_FETCH_ITEMS) {
    await downloadBatch(ctx, steps.slice(i, i + MAX_FETCH_ITEMS), ok);
  }
  return ok;
}

interface Item {
  readonly step: DownloadStep;
  readonly base: string | null;
  readonly temp: string;
  patcher?: ReturnType<DeltaCodec["patcher"]>;
  hasher?: Awaited<ReturnType<typeof newSha256>>;
  kept?: Uint8Array[];
  size: number;
  failed?: string;
}

async function downloadBatch(ctx: RoundContext, steps: readonly DownloadStep[], ok: Set<string>): Promise<void> {
  const items: Item[] = steps.map((s) => {
    const local = ctx.seen.get(s.path);
    const useBase = s.localBase !== null && local !== undefined && local.size <= MAX_BASIS_BYTES;
    return { step: s, base: useBase ? s.localBase : null, temp: tempName(s.path), size: 0 };
  });
  const start = async (it: Item): Promise<void> => {
    let basis: Uint8Array | null = null;
    if (it.base !== null) {
      basis = await ctx.io.read(it.step.path);
      if (!(await unchanged(ctx.io, it.step.path, ctx.seen.get(it.step.path)))) throw new Error("changed locally meanwhile");
    }
    it.patcher = ctx.codec.patcher(basis);
    it.hasher = await newSha256();
    it.hasher.init();
    it.kept = it.step.remote.size <= MAX_BASIS_BYTES ? [] : undefined;
    await ctx.io.append(it.temp, new Uint8Array(0));
  };
  const fail = async (it: Item, e: unknown): Promise<void> => {
    it.failed = (e as Error).message;
    await ctx.io.remove(it.temp).catch(() => undefined);
  };
  const write = async (it: Item, out: Uint8Array): Promise<void> => {
    if (out.length === 0) return;
    it.hasher?.update(out);
    it.kept?.push(out.slice()); // a patcher's chunk is valid until the next one
    it.size += out.length;
    await ctx.io.append(it.temp, out);
  };
  await ctx.remote.fetch(
    items.map((it) => ({ target: it.step.remote.hash, base: it.base })),
    {
      data: async (i, bytes) => {
        const it = items[i];
        if (it.failed !== undefined) return;
        try {
          if (!it.patcher) await start(it);
          for await (const out of (it.patcher as NonNullable<Item["patcher"]>).push(bytes)) await write(it, out);
        } catch (e) {
          await fail(it, e);
        }
      },
      notFound: async (i, message) => {
        const it = items[i];
        if (it.failed === undefined) await fail(it, new Error(`the server lacks this version (${message})`));
      },
      end: async (i) => {
        const it = items[i];
        if (it.failed !== undefined) return;
        try {
          if (!it.patcher) await start(it);
          (it.patcher as NonNullable<Item["patcher"]>).finish();
          await finishItem(ctx, it);
          ok.add(it.step.path);
        } catch (e) {
          await fail(it, e);
        }
      },
    },
  );
  for (const it of items) {
    if (it.failed !== undefined) skip(ctx, it.step.path, `download failed: ${it.failed}`);
    else if (!ok.has(it.step.path)) {
      await ctx.io.remove(it.temp).catch(() => undefined);
      skip(ctx, it.step.path, "the server sent no content for it");
    }
  }
}

async function finishItem(ctx: RoundContext, it: Item): Promise<void> {
  const hash = (it.hasher as NonNullable<Item["hasher"]>).digest("hex");
  const want = it.step.remote;
  if (hash !== want.hash || it.size !== want.size) {
    throw new Error(`downloaded ${it.size} bytes with SHA-256 ${hash.slice(0, 12)}…, expected ${want.size} bytes ${want.hash.slice(0, 12)}…`);
  }
  if (!(await unchanged(ctx.io, it.step.path, ctx.seen.get(it.step.path)))) throw new Error("changed locally meanwhile");
  await ctx.io.replace(it.temp, it.step.path);
  ctx.wrote(it.step.path);
  const st = await ctx.io.stat(it.step.path);
  if (st) ctx.seen.set(it.step.path, st);
  const signature = it.kept ? await ctx.codec.signature(concat(it.kept, it.size)) : null;
  ctx.state.put({ path: it.step.path, hash, size: it.size, mtime: st ? st.mtime : -1, signature });
  ctx.tally.down++;
}

/** The whole content of one version (at most MAX_BASIS_BYTES), for a merge. */
export async function fetchWhole(ctx: RoundContext, target: Version, base: string | null, basis: Uint8Array | null): Promise<Uint8Array> {
  if (target.size > MAX_BASIS_BYTES) throw new Error(`version of ${target.size} bytes is too large to merge`);
  const parts: Uint8Array[] = [];
  let size = 0;
  const patcher = ctx.codec.patcher(base === null ? null : basis);
  let ended = false;
  await ctx.remote.fetch([{ target: target.hash, base: base === null ? null : base }], {
    data: async (_i, bytes) => {
      for await (const out of patcher.push(bytes)) {
        size += out.length;
        if (size > MAX_BASIS_BYTES) throw new Error("version grew past the merge limit");
        parts.push(out.slice());
      }
    },
    end: () => {
      patcher.finish();
      ended = true;
      return Promise.resolve();
    },
    notFound: (_i, message) => Promise.reject(new Error(`the server lacks version ${target.hash.slice(0, 12)}… (${message})`)),
  });
  if (!ended) throw new Error("the server sent no content");
  return concat(parts, size);
}

export function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function tempName(path: string): string {
  const dir = parentOf(path);
  const name = `${TEMP_PREFIX}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  return dir === "" ? name : `${dir}/${name}`;
}

export interface UploadStep {
  readonly path: string;
  readonly base: string | null;
  readonly local: Version;
}

/** A mutation of a remote batch and what to record when it is applied. */
interface Batched {
  readonly mutation: Mutation;
  readonly entry?: IndexEntry;
}

/**
 * The remote steps of a round in commit batches: moves, then deletes, then uploads (large ones
 * through push). Each step checks again that the local file is what the plan saw.
 */
export async function sendRemote(
  ctx: RoundContext,
  moves: readonly { path: string; to: string; hash: string }[],
  deletes: readonly { path: string; expected: string }[],
  uploads: readonly UploadStep[],
): Promise<void> {
  let batch: Batched[] = [];
  let bytes = 0;
  const movingTo = new Map<string, string>();
  for (const m of moves) {
    if (!(await unchanged(ctx.io, m.to, ctx.seen.get(m.to))) || (await ctx.io.stat(m.path)) !== null) {
      skip(ctx, m.path, "changed locally meanwhile");
      continue;
    }
    batch.push({ mutation: { kind: "move", path: m.path, to: m.to, expected: m.hash } });
    movingTo.set(m.to, m.path);
  }
  for (const d of deletes) {
    if ((await ctx.io.stat(d.path)) !== null) {
      skip(ctx, d.path, "appeared again locally meanwhile");
      continue;
    }
    batch.push({ mutation: { kind: "delete", path: d.path, expected: d.expected } });
  }
  const queued = new Set<string>();
  for (const u of uploads) {
    if (queued.has(u.path)) continue;
    queued.add(u.path);
    const prepared = await prepareUpload(ctx, u, movingTo);
    if (!prepared) continue;
    const { delta, entry } = prepared;
    if (typeof delta === "function" || delta.length > MAX_BATCH_BYTES) {
      if (movingTo.has(u.path) && batch.length > 0) {
        await commit(ctx, batch); // the move must reach the server before the push at its destination
        batch = [];
        bytes = 0;
      }
      await push(ctx, u, delta, entry);
      continue;
    }
    if (batch.length >= MAX_BATCH_MUTATIONS || bytes + delta.length > MAX_BATCH_BYTES) {
      await commit(ctx, batch);
      batch = [];
      bytes = 0;
    }
    batch.push({ mutation: { kind: "put", path: u.path, base: u.base, delta }, entry });
    bytes += delta.length;
  }
  if (batch.length > 0) await commit(ctx, batch);
}

/** A delta in memory (small files) or made piece by piece as a push sends it (large ones). */
type Delta = Uint8Array | (() => AsyncIterable<Uint8Array>);

async function prepareUpload(ctx: RoundContext, u: UploadStep, movingTo: Map<string, string>): Promise<{ delta: Delta; entry: IndexEntry } | null> {
  let data: Uint8Array;
  try {
    data = await ctx.io.read(u.path);
  } catch (e) {
    skip(ctx, u.path, `cannot be read: ${(e as Error).message}`);
    return null;
  }
  const seen = ctx.seen.get(u.path);
  const h = await newSha256();
  h.init();
  h.update(data);
  if (data.length !== u.local.size || h.digest("hex") !== u.local.hash || !(await unchanged(ctx.io, u.path, seen))) {
    skip(ctx, u.path, "changed locally meanwhile; the next sync sends it");
    return null;
  }
  let base = u.base === null ? undefined : ctx.state.get(u.path);
  if (u.base !== null && base === undefined && movingTo.has(u.path)) base = ctx.state.get(movingTo.get(u.path) as string);
  const signature = base !== undefined && base.hash === u.base ? base.signature : null;
  const delta: Delta = data.length > MAX_BATCH_BYTES ? () => ctx.codec.deltaPieces(signature, data) : await ctx.codec.delta(signature, data);
  const entry: IndexEntry = { path: u.path, hash: u.local.hash, size: data.length, mtime: seen ? seen.mtime : -1, signature: await ctx.codec.signature(data) };
  return { delta, entry };
}

async function push(ctx: RoundContext, u: UploadStep, delta: Delta, entry: IndexEntry): Promise<void> {
  try {
    const r = await ctx.remote.push(u.path, u.base, delta);
    ctx.applied.add(r.seq);
    ctx.state.put(entry);
    ctx.tally.up++;
  } catch (e) {
    if ((e as Error).name === "OfflineError") throw e;
    skip(ctx, u.path, `upload refused: ${(e as Error).message}`);
  }
}

async function commit(ctx: RoundContext, batch: Batched[]): Promise<void> {
  let left = batch;
  while (left.length > 0) {
    let outcomes: Outcome[];
    try {
      outcomes = await ctx.remote.commit(
        left.map((b) => b.mutation),
        ctx.allowMassDelete,
      );
    } catch (e) {
      if (!(e instanceof Error && e.name === MassDeleteRefused.NAME) || ctx.allowMassDelete) throw e;
      const deletes = left.filter((b) => b.mutation.kind === "delete");
      if (deletes.length === 0) throw e;
      for (const d of deletes) skip(ctx, d.mutation.path, `held back: the server refused it as a mass delete (${(e).message})`);
      left = left.filter((b) => b.mutation.kind !== "delete");
      continue;
    }
    outcomes.forEach((o, i) => record(ctx, left[i], o));
    return;
  }
}

function record(ctx: RoundContext, b: Batched, o: Outcome): void {
  const m = b.mutation;
  if (o.kind === "stale") {
    skip(ctx, m.kind === "move" ? m.to : m.path, "changed on the server meanwhile; the next sync takes it");
    return;
  }
  if (o.kind === "refused") {
    skip(ctx, m.kind === "move" ? m.to : m.path, `refused by the server: ${o.reason}`);
    return;
  }
  ctx.applied.add(o.seq);
  if (m.kind === "put" && b.entry) {
    ctx.state.put(b.entry);
    ctx.tally.up++;
  } else if (m.kind === "delete") {
    ctx.state.remove(m.path);
    ctx.tally.deleted++;
  } else if (m.kind === "move") {
    const old = ctx.state.get(m.path);
    ctx.state.remove(m.path);
    // mtime -1: the next scan hashes the file again (it may have been edited after the move).
    const same = old !== undefined && old.hash === m.expected;
    ctx.state.put({ path: m.to, hash: m.expected, size: same ? old.size : 0, mtime: -1, signature: same ? old.signature : null });
    ctx.tally.moved++;
  }
}
