/**
 * The sync engine the plugin runs: one round on demand ({@link SyncEngine.syncNow}) or live
 * ({@link SyncEngine.start}): vault events debounced into rounds, a WaitChanges long-poll loop for
 * the server's changes, echoes of its own writes (vault events for files it wrote, ledger changes
 * it made) suppressed, backoff and an "offline" status while the server cannot be reached, and a
 * catch-up from the last seq (or the manifest, when the ledger was compacted past it) after any
 * time offline. Never imports `obsidian`: Node tests and a headless Chromium run it as is.
 *
 * Guarantees are the CLI's (see planner.ts, round.ts, transfers.ts, delete-guard.ts): hash-based
 * three-way decisions, text merged against the exact base, otherwise a conflict copy; moves as
 * moves; a mass delete asks through `confirmDeletes` and is held back unless confirmed; a failure
 * never looks like an edit or a delete.
 */
import { DEFAULT_LIMITS, type DeleteLimits } from "./delete-guard";
import { LogRing, type LogSink } from "./log";
import { VaultRemote } from "../remote";
import type { DeltaCodec, SyncRemote } from "./ports";
import { formatCodec, serverFor } from "./remote-adapter";
import { runRound, type RoundResult } from "./round";
import { SyncState, type StateStore } from "./state";
import type { RoundContext } from "./transfers";
import type { FileStat, VaultIO } from "./vault-io";

export interface SyncEngineOptions {
  /** The vault's name on the server. */
  readonly vault: string;
  /** This device's name (conflict copies are named after it). */
  readonly device: string;
  /** Obsidian's configuration folder (`Vault#configDir`). */
  readonly configDir: string;
  /** This plugin's id: its folder under `<configDir>/plugins/` is never synced. */
  readonly pluginId?: string;
  /** The delta format (default: docs/FORMAT.md through src/format). */
  readonly codec?: DeltaCodec;
  /** Quiet time after the last vault event before a round, in ms (default 2000). */
  readonly debounceMs?: number;
  /** How long one long-poll waits on the server, in ms (default 55,000; at most 60,000). */
  readonly waitMs?: number;
  /** Asked before a mass delete; false (the default answer) holds the deletes back. */
  readonly confirmDeletes?: (paths: string[], reason: string) => Promise<boolean>;
  readonly log?: LogSink;
  readonly limits?: DeleteLimits;
  readonly now?: () => Date;
  /**
   * The timers to use: the plugin passes `window`'s (Obsidian's popout-safe ones), Node tests and
   * the browser test `globalThis`'s.
   */
  readonly timers: Timers;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export type SyncStatus =
  | { readonly kind: "synced" }
  | { readonly kind: "syncing"; readonly pending: number }
  | { readonly kind: "offline"; readonly message: string }
  | { readonly kind: "conflicts"; readonly count: number; readonly paths: readonly string[] }
  | { readonly kind: "error"; readonly message: string };

/** A change Obsidian reported in the vault. */
export type VaultEvent =
  | { readonly type: "create" | "modify" | "delete"; readonly path: string }
  | { readonly type: "rename"; readonly path: string; readonly oldPath: string };

const MAX_BACKOFF_MS = 60_000;
/** How long the engine remembers what it wrote, to recognize the vault events of its writes. */
const ECHO_MS = 60_000;

/** What the engine left at a path it wrote: a vault event that finds the same is an echo. */
interface OwnWrite {
  readonly at: number;
  readonly after: Promise<FileStat | null>;
}

export class SyncEngine {
  private readonly log: LogRing;
  private state: SyncState | null = null;
  private round: Promise<RoundResult> | null = null;
  private again = false;
  private running = false;
  private timer: unknown = null;
  private poll: Promise<void> | null = null;
  private abortWait: (() => void) | null = null;
  private readonly renames = new Map<string, string>();
  private readonly ownWrites = new Map<string, OwnWrite>();
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  private current: SyncStatus = { kind: "synced" };
  private backoffMs = 1000;
  private readonly remote: SyncRemote;
  private readonly codec: DeltaCodec;

  /**
   * @param io the vault
   * @param store where the sync state is kept (the plugin's data folder)
   * @param remote the server (src/remote's VaultRemote; tests may pass a SyncRemote)
   */
  constructor(
    private readonly io: VaultIO,
    private readonly store: StateStore,
    remote: VaultRemote | SyncRemote,
    private readonly options: SyncEngineOptions,
  ) {
    this.log = new LogRing(500, options.log);
    this.remote = remote instanceof VaultRemote ? serverFor(remote, options.vault) : remote;
    this.codec = options.codec ?? formatCodec();
  }

  /** The current status. */
  get status(): SyncStatus {
    return this.current;
  }

  /** Calls `listener` on every status change; returns the unsubscribe function. */
  onStatus(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last log lines, oldest first (for "copy the log"). */
  logLines(): string[] {
    return this.log.lines();
  }

  /** The seq of the server's ledger this vault has applied. */
  get lastSeq(): number {
    return this.state?.lastSeq ?? 0;
  }

  /**
   * One round now (after the one running, if any). Rejects on errors that stop the whole round
   * (server unreachable, bad token); files that could not be synced are in the result, by name.
   */
  async syncNow(): Promise<RoundResult> {
    while (this.round) await this.round.catch(() => undefined);
    const r = this.runOnce();
    this.round = r;
    try {
      return await r;
    } finally {
      this.round = null;
    }
  }

  /** Starts live sync: a round now, then vault events and the server's changes. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
    this.poll = this.pollLoop();
  }

  /** Stops live sync and waits for the running round (if any) to end. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
    this.abortWait?.();
    await this.poll;
    this.poll = null;
    while (this.round) await this.round.catch(() => undefined);
  }

  /**
   * A vault event: debounced into a round. The events of the engine's own writes are dropped: an
   * event whose path still holds exactly what the engine left there (size and mtime; absent after
   * its delete or move) is an echo; anything else, a person's edit right after a download
   * included, is not.
   */
  notify(e: VaultEvent): void {
    if (e.type === "rename") {
      const origin = this.renames.get(e.oldPath) ?? e.oldPath;
      this.renames.delete(e.oldPath);
      if (origin !== e.path) this.renames.set(e.path, origin);
    }
    void this.isEcho(e).then((echo) => {
      if (!echo && this.running) this.schedule(this.options.debounceMs ?? 2000);
    });
  }

  private async isEcho(e: VaultEvent): Promise<boolean> {
    const paths = e.type === "rename" ? [e.oldPath, e.path] : [e.path];
    for (const p of paths) {
      const own = this.ownWrites.get(p);
      if (!own) return false;
      const [left, now] = await Promise.all([own.after, this.io.stat(p).catch(() => undefined)]);
      if (now === undefined || (left === null) !== (now === null)) return false;
      if (left !== null && now !== null && (left.size !== now.size || left.mtime !== now.mtime)) return false;
    }
    return true;
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      if (this.round) {
        this.again = true;
        return;
      }
      void this.syncNow()
        .then(() => {
          this.backoffMs = 1000;
        })
        .catch((e: unknown) => this.failed(e))
        .finally(() => {
          if (this.again && this.running) {
            this.again = false;
            this.schedule(0);
          }
        });
    }, delayMs);
  }

  private failed(e: unknown): void {
    const err = e as Error;
    const offline = err.name === "OfflineError";
    this.log.log("error", `sync failed: ${err.message}`);
    this.setStatus(offline ? { kind: "offline", message: err.message } : { kind: "error", message: err.message });
    if (this.running) {
      const wait = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
      this.schedule(wait);
    }
  }

  private async loadState(): Promise<SyncState> {
    if (this.state) return this.state;
    let data: Uint8Array | null = null;
    try {
      data = await this.store.load();
    } catch (e) {
      this.log.log("warn", `sync state cannot be read (${(e as Error).message}): syncing as for the first time`);
    }
    let { state, problem } = SyncState.decode(data);
    if (problem) this.log.log("warn", problem);
    if (state.vault !== "" && state.vault !== this.options.vault) {
      this.log.log("info", `sync state is for vault ${state.vault}, not ${this.options.vault}: syncing as for the first time`);
      state = new SyncState();
    }
    state.vault = this.options.vault;
    this.state = state;
    return state;
  }

  private async runOnce(): Promise<RoundResult> {
    const state = await this.loadState();
    const renames = new Map(this.renames);
    this.renames.clear();
    this.setStatus({ kind: "syncing", pending: 0 });
    const ctx: RoundContext = {
      io: this.io,
      remote: this.remote,
      codec: this.codec,
      state,
      log: this.log,
      seen: new Map(),
      skipped: new Set(),
      notSynced: [],
      wrote: (p) => this.ownWrites.set(p, { at: Date.now(), after: this.io.stat(p).catch(() => null) }),
      tally: { up: 0, down: 0, moved: 0, deleted: 0, merged: 0 },
      allowMassDelete: false,
      applied: new Set(),
    };
    let result: RoundResult;
    try {
      result = await runRound(ctx, {
        device: this.options.device,
        configDir: this.options.configDir,
        pluginId: this.options.pluginId ?? "vaultsync",
        limits: this.options.limits ?? DEFAULT_LIMITS,
        confirmDeletes: this.options.confirmDeletes ?? (() => Promise.resolve(false)),
        now: this.options.now ?? (() => new Date()),
        renames,
        planned: (n) => this.setStatus({ kind: "syncing", pending: n }),
      });
    } catch (e) {
      for (const [to, from] of renames) if (!this.renames.has(to)) this.renames.set(to, from);
      await this.store.save(state.encode()).catch(() => undefined); // keep what was applied
      throw e;
    }
    await this.store.save(state.encode());
    const t = result.tally;
    this.log.log("info", `synced at seq ${state.lastSeq}: ${t.up} up, ${t.down} down, ${t.moved} moved, ${t.deleted} deleted, ${t.merged} merged, ${result.notSynced.length} not synced`);
    this.setStatus(result.conflicts.length > 0 ? { kind: "conflicts", count: result.conflicts.length, paths: result.conflicts } : { kind: "synced" });
    this.pruneEchoes();
    return result;
  }

  private pruneEchoes(): void {
    const now = Date.now();
    for (const [p, w] of this.ownWrites) if (w.at + ECHO_MS <= now) this.ownWrites.delete(p);
  }

  /** The long-poll loop: a round whenever the ledger has a change this device did not make. */
  private async pollLoop(): Promise<void> {
    let backoff = 1000;
    while (this.running) {
      try {
        const state = await this.loadState();
        const wait = new Promise<null>((resolve) => (this.abortWait = () => resolve(null)));
        const page = await Promise.race([this.remote.waitChanges(state.lastSeq, Math.min(this.options.waitMs ?? 55_000, 60_000)), wait]);
        this.abortWait = null;
        if (!this.running || page === null) return;
        if (this.current.kind === "offline") this.schedule(0);
        backoff = 1000;
        if (page.changes.length === 0 && page.horizonSeq <= state.lastSeq) continue;
        if (!this.round && page.horizonSeq <= state.lastSeq && this.echoes(state, page.changes)) {
          state.lastSeq = Math.max(state.lastSeq, page.changes[page.changes.length - 1].seq);
          await this.store.save(state.encode());
          continue;
        }
        this.schedule(0);
        while (this.running && (this.round || this.timer !== null)) await (this.round ?? this.sleep(50)).catch(() => undefined);
      } catch (e) {
        this.abortWait = null;
        const err = e as Error;
        this.log.log("warn", `waiting for changes failed: ${err.message}`);
        if (err.name === "OfflineError") this.setStatus({ kind: "offline", message: err.message });
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** Whether every change is one the index already holds (this device's own commits). */
  private echoes(state: SyncState, changes: readonly { op: string; path: string; previousPath?: string; hash: string }[]): boolean {
    return changes.every((c) => {
      const e = state.get(c.path);
      if (c.op === "delete") return e === undefined;
      if (c.op === "move" && c.previousPath !== undefined && state.get(c.previousPath) !== undefined) return false;
      return e !== undefined && e.hash === c.hash;
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.options.timers.setTimeout(resolve, ms));
  }

  private setStatus(s: SyncStatus): void {
    this.current = s;
    for (const l of this.listeners) l(s);
  }
}

