/**
 * One sync round, as the CLI's Syncer does one: the server's head (the manifest on a first sync or
 * after the ledger was compacted past the last seq, else the changes since the last seq), the
 * vault's files, the plan, the mass-delete guard, then the steps: local moves, downloads, local
 * deletes, merges and conflict copies, bookkeeping, then moves, deletes and uploads on the server.
 * The last seq moves only past what was applied (RemoteView.safeSeq), and the state is saved at the
 * end. A step whose file changed meanwhile is skipped and named, never forced.
 */
import { nextConflictName } from "./conflict-names";
import { checkDeletes, holdBack, type DeleteLimits } from "./delete-guard";
import { FILE_NAME, IgnoreRules, MAX_FILE_BYTES } from "./ignore";
import { mergeBytes, MAX_MERGE_BYTES } from "./merge";
import { findMovePairs } from "./move-pairing";
import { plan, type SyncAction } from "./planner";
import { RemoteView } from "./remote-view";
import { scanVault, unchanged } from "./scan";
import { downloadAll, fetchWhole, MAX_BASIS_BYTES, sendRemote, skip, type DownloadStep, type RoundContext, type UploadStep } from "./transfers";
import { sha256Hex } from "./hash";

export interface RoundOptions {
  readonly device: string;
  readonly configDir: string;
  readonly pluginId: string;
  readonly limits: DeleteLimits;
  readonly confirmDeletes: (paths: string[], reason: string) => Promise<boolean>;
  readonly now: () => Date;
  /** Destination → source of renames the vault reported since the last round. */
  readonly renames: ReadonlyMap<string, string>;
  /** Told how many steps the round will take, once it has planned them. */
  readonly planned: (steps: number) => void;
}

export interface RoundResult {
  readonly tally: RoundContext["tally"];
  readonly notSynced: { path: string; reason: string }[];
  /** Conflict copies in the vault now. */
  readonly conflicts: string[];
  readonly headSeq: number;
}

const CHANGES_PER_PAGE = 10_000;
const CONFLICT_COPY = / \(conflict .+ \d{4}-\d\d-\d\d \d{6}( \d+)?\)(\.[^/]*)?$/u;

/** The server's head as this device sees it. */
export async function remoteView(ctx: RoundContext): Promise<RemoteView> {
  const s = ctx.state;
  if (s.lastSeq > 0 || s.size > 0) {
    const changes = [];
    let after = s.lastSeq;
    let head = after;
    for (;;) {
      const page = await ctx.remote.changesSince(after, CHANGES_PER_PAGE);
      if (page.horizonSeq > s.lastSeq) {
        ctx.log.log("info", `the server compacted its ledger past seq ${s.lastSeq}: reading its manifest`);
        return manifestView(ctx);
      }
      for (const c of page.changes) changes.push(c);
      head = Math.max(head, page.headSeq);
      if (page.changes.length === 0) break;
      after = page.changes[page.changes.length - 1].seq;
      if (after >= page.headSeq) break;
    }
    return RemoteView.fold(s, changes, head);
  }
  return manifestView(ctx);
}

/**
 * Rename hints as file pairs: a folder rename (the vault reports the folder) becomes one pair per
 * file the index has below the old folder.
 */
function expandRenames(renames: ReadonlyMap<string, string>, ctx: RoundContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const [to, from] of renames) {
    if (ctx.state.get(from)) {
      out.set(to, from);
      continue;
    }
    const prefix = from + "/";
    for (const p of ctx.state.entries.keys()) {
      if (p.startsWith(prefix)) out.set(to + "/" + p.slice(prefix.length), p);
    }
  }
  return out;
}

async function manifestView(ctx: RoundContext): Promise<RemoteView> {
  const m = await ctx.remote.manifest();
  return RemoteView.ofManifest(m.entries, m.headSeq, ctx.state.lastSeq);
}

async function ignoreRules(ctx: RoundContext, o: RoundOptions): Promise<IgnoreRules> {
  const st = await ctx.io.stat(FILE_NAME);
  if (!st) return IgnoreRules.parse("", o.configDir, o.pluginId);
  if (st.size > MAX_FILE_BYTES) throw new Error(`${FILE_NAME} is larger than ${MAX_FILE_BYTES} bytes; expected a short list of patterns`);
  const rules = IgnoreRules.parse(new TextDecoder().decode(await ctx.io.read(FILE_NAME)), o.configDir, o.pluginId);
  for (const p of rules.problems) ctx.log.log("warn", p);
  return rules;
}

export async function runRound(ctx: RoundContext, o: RoundOptions): Promise<RoundResult> {
  const rules = await ignoreRules(ctx, o);
  const view = await remoteView(ctx);
  const scan = await scanVault(ctx.io, ctx.state, rules);
  for (const [p, st] of scan.seen) ctx.seen.set(p, st);
  const ignored = (p: string): boolean => rules.ignores(p);
  const input = { base: ctx.state.entries, local: scan.local, unreadable: scan.unreadable, remote: view, ignored, pairs: expandRenames(o.renames, ctx) };
  let actions = plan(input);
  // Files moved and edited with no rename event: paired by content, then planned again.
  const similar = await findMovePairs(actions, ctx.state, view, ctx.io, ctx.codec);
  if (similar.size > 0) {
    for (const [to, from] of input.pairs) similar.set(to, from);
    actions = plan({ ...input, pairs: similar });
  }
  o.planned(actions.filter((a) => a.kind !== "record" && a.kind !== "skip" && a.kind !== "heldBack").length);
  const refusals = checkDeletes(
    actions,
    view,
    { localFiles: scan.local.size, unreadableFiles: scan.unreadable.size, syncedFiles: ctx.state.size, remoteFiles: [...view.files.keys()].filter((p) => !ignored(p)).length },
    o.limits,
  );
  if (refusals.length > 0) {
    const paths = refusals.flatMap((r) => r.paths);
    const reason = refusals.map((r) => r.reason).join("; ");
    ctx.log.log("warn", reason);
    if (await o.confirmDeletes(paths, reason)) {
      ctx.allowMassDelete = true;
      ctx.log.log("info", `${paths.length} deletes confirmed`);
    } else {
      actions = holdBack(actions, refusals);
    }
  }
  await runSteps(ctx, o, actions, view);
  for (const a of actions) {
    if (a.kind === "skip") skip(ctx, a.path, a.reason);
    if (a.kind === "heldBack") skip(ctx, a.path, a.reason);
  }
  ctx.state.lastSeq = Math.max(ctx.state.lastSeq, lastSeqAfter(view, ctx));
  const conflicts = [...(await ctx.io.list())].map((f) => f.path).filter((p) => CONFLICT_COPY.test(p) && !ignored(p));
  return { tally: ctx.tally, notSynced: ctx.notSynced, conflicts, headSeq: view.headSeq };
}

/**
 * The last seq the round may record: the view's, held before the first change of a path it
 * skipped; when nothing was skipped, also past this round's own changes that follow the view's
 * head without a gap (a change another device made in between stops it: the next round reads it,
 * and this round's own changes after it fold as equal to the index).
 */
export function lastSeqAfter(view: RemoteView, ctx: RoundContext): number {
  let seq = view.safeSeq(ctx.skipped);
  if (seq !== view.headSeq) return seq;
  while (ctx.applied.has(seq + 1)) seq++;
  return seq;
}

async function runSteps(ctx: RoundContext, o: RoundOptions, actions: SyncAction[], view: RemoteView): Promise<void> {
  const downloads: DownloadStep[] = [];
  const uploads: UploadStep[] = [];
  const moves: { path: string; to: string; hash: string }[] = [];
  const deletes: { path: string; expected: string }[] = [];
  for (const a of actions) {
    if (a.kind === "moveLocal") await moveLocal(ctx, a.path, a.to);
  }
  for (const a of actions) {
    if (a.kind === "download") downloads.push(a);
    else if (a.kind === "upload") uploads.push(a);
    else if (a.kind === "moveRemote") moves.push(a);
    else if (a.kind === "deleteRemote") deletes.push(a);
  }
  await downloadAll(ctx, downloads);
  for (const a of actions) {
    try {
      if (a.kind === "deleteLocal") await deleteLocal(ctx, a.path, a.expected);
      else if (a.kind === "merge") await merge(ctx, o, a, uploads, view);
      else if (a.kind === "keepBoth") await keepBoth(ctx, o, a.path, a.local, a.remote, uploads, view);
      else if (a.kind === "record") await recordAgreed(ctx, a.path, a.now);
    } catch (e) {
      if ((e as Error).name === "OfflineError") throw e;
      skip(ctx, a.path, (e as Error).message);
    }
  }
  await sendRemote(ctx, moves, deletes, uploads);
}

async function moveLocal(ctx: RoundContext, from: string, to: string): Promise<void> {
  if (!(await unchanged(ctx.io, from, ctx.seen.get(from))) || (await ctx.io.stat(to)) !== null) {
    skip(ctx, from, "changed locally meanwhile");
    ctx.skipped.add(to);
    return;
  }
  await ctx.io.rename(from, to);
  ctx.wrote(from);
  ctx.wrote(to);
  const old = ctx.state.get(from);
  const st = await ctx.io.stat(to);
  ctx.state.remove(from);
  if (old && st) ctx.state.put({ ...old, path: to, mtime: st.mtime });
  if (st) ctx.seen.set(to, st);
  ctx.seen.delete(from);
  ctx.tally.moved++;
}

async function deleteLocal(ctx: RoundContext, path: string, expected: string): Promise<void> {
  const seen = ctx.seen.get(path);
  if (!(await unchanged(ctx.io, path, seen)) || (await sha256Hex(await ctx.io.read(path))) !== expected) {
    throw new Error("changed locally meanwhile; kept");
  }
  await ctx.io.remove(path);
  ctx.wrote(path);
  ctx.state.remove(path);
  ctx.seen.delete(path);
  ctx.tally.deleted++;
}

async function recordAgreed(ctx: RoundContext, path: string, now: { hash: string; size: number } | null): Promise<void> {
  if (now === null) {
    ctx.state.remove(path);
    return;
  }
  const seen = ctx.seen.get(path);
  const data = await ctx.io.read(path);
  if ((await sha256Hex(data)) !== now.hash || !(await unchanged(ctx.io, path, seen))) throw new Error("changed while it was read");
  const signature = data.length <= MAX_BASIS_BYTES ? await ctx.codec.signature(data) : null;
  ctx.state.put({ path, hash: now.hash, size: now.size, mtime: seen ? seen.mtime : -1, signature });
}

async function merge(
  ctx: RoundContext,
  o: RoundOptions,
  m: Extract<SyncAction, { kind: "merge" }>,
  uploads: UploadStep[],
  view: RemoteView,
): Promise<void> {
  if (m.local.size > MAX_MERGE_BYTES || m.remote.size > MAX_MERGE_BYTES) {
    await keepBoth(ctx, o, m.path, m.local, m.remote, uploads, view);
    return;
  }
  const seen = ctx.seen.get(m.path);
  const local = await ctx.io.read(m.path);
  if ((await sha256Hex(local)) !== m.local.hash) throw new Error("changed locally meanwhile");
  let base: Uint8Array;
  let remote: Uint8Array;
  try {
    base = m.base === null ? new Uint8Array(0) : await fetchWhole(ctx, { hash: m.base, size: 0 }, null, null);
    remote = await fetchWhole(ctx, m.remote, m.base, base);
  } catch (e) {
    if ((e as Error).name === "OfflineError") throw e;
    ctx.log.log("warn", `cannot merge ${m.path} (${(e as Error).message}): keeping both versions`);
    await keepBoth(ctx, o, m.path, m.local, m.remote, uploads, view);
    return;
  }
  const merged = mergeBytes(base, local, remote);
  if (merged === null) {
    await keepBoth(ctx, o, m.path, m.local, m.remote, uploads, view);
    return;
  }
  if (!(await unchanged(ctx.io, m.path, seen))) throw new Error("changed locally meanwhile");
  await ctx.io.write(m.path, merged);
  ctx.wrote(m.path);
  const st = await ctx.io.stat(m.path);
  if (st) ctx.seen.set(m.path, st);
  const mergedHash = await sha256Hex(merged);
  const same = mergedHash === m.remote.hash;
  // The base becomes the remote version; unless the merge equals it, the file is a local edit of it.
  ctx.state.put({ path: m.path, hash: m.remote.hash, size: m.remote.size, mtime: same && st ? st.mtime : -1, signature: await ctx.codec.signature(remote) });
  ctx.tally.merged++;
  ctx.log.log("info", `merged ${m.path}`);
  if (!same) uploads.push({ path: m.path, base: m.remote.hash, local: { hash: mergedHash, size: merged.length } });
}

/**
 * Keeps the local version as a conflict copy (written first, from verified bytes), then downloads
 * the remote version to the path; the copy is uploaded as a new file. If the download fails, the
 * original is untouched and the copy removed again.
 */
async function keepBoth(
  ctx: RoundContext,
  o: RoundOptions,
  path: string,
  local: { hash: string; size: number },
  remote: { hash: string; size: number },
  uploads: UploadStep[],
  view: RemoteView,
): Promise<void> {
  const seen = ctx.seen.get(path);
  if (!(await unchanged(ctx.io, path, seen))) throw new Error("changed locally meanwhile");
  const copy = nextConflictName(path, o.device, o.now(), (p) => ctx.state.get(p) !== undefined || ctx.seen.has(p) || view.get(p) !== undefined);
  if ((await ctx.io.stat(copy)) !== null) throw new Error(`${copy} appeared locally meanwhile`);
  const data = await ctx.io.read(path);
  if ((await sha256Hex(data)) !== local.hash) throw new Error("changed locally meanwhile");
  await ctx.io.write(copy, data);
  ctx.wrote(copy);
  const copySeen = await ctx.io.stat(copy);
  const ok = await downloadAll(ctx, [{ path, remote, localBase: null }]);
  if (!ok.has(path)) {
    await ctx.io.remove(copy);
    return;
  }
  if (copySeen) ctx.seen.set(copy, copySeen);
  uploads.push({ path: copy, base: null, local });
  ctx.log.log("warn", `conflict: ${path} changed here and on the server; this device's version is kept as ${copy}`);
}
