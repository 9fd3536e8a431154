import { toBinary } from "@bufbuild/protobuf";
import {
  ChangesSinceRequestSchema,
  ChangesSinceResponseSchema,
  CommitRequestSchema,
  CommitResponseSchema,
  CreateVaultRequestSchema,
  CreateVaultResponseSchema,
  FetchPageRequestSchema,
  FetchPageResponseSchema,
  GetManifestPageRequestSchema,
  HistoryRequestSchema,
  HistoryResponseSchema,
  ListVaultsRequestSchema,
  ListVaultsResponseSchema,
  ManifestPageSchema,
  MutationSchema,
  type Mutation as PbMutation,
  WaitChangesRequestSchema,
} from "../gen/vaultsync/v1/vaultsync_pb";
import { ConnectClient, type ConnectOptions } from "./connect";
import * as convert from "./convert";
import { RemoteError } from "./errors";
import { Uploads, type DeltaSource } from "./uploads";
import type {
  Change,
  ChangesPage,
  FetchItem,
  FetchSink,
  Manifest,
  Mutation,
  Outcome,
  RemoteEntry,
  VaultInfo,
  WireStats,
} from "./types";

/** Sizes both sides agree on (the Java protocol's `Limits`). */
export const COMMIT_MUTATIONS = 500;
export const COMMIT_BYTES = 7 << 20;
export const INLINE_DELTA_BYTES = 4 << 20;
export const FETCH_ITEMS = 1000;
export const PAGE_BYTES = 4 << 20;
export const MAX_WAIT_MILLIS = 60_000;

const EMPTY = new Uint8Array(0);
const CALL_TIMEOUT_MS = 60_000;

export interface VaultRemoteOptions extends ConnectOptions {
  /** Waits before each retry of an idempotent call that got no answer (default 0.5 s, 2 s, 5 s). */
  retryDelaysMs?: number[];
  /** Bytes of delta per FetchPage page and per UploadPart part (default and most: 4 MiB). */
  pageBytes?: number;
  /** How to wait between retries (default: the window's timer; none outside a browser). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * What the sync core calls: the vaultsync service over its browser face (unary Connect calls on
 * the server's HTTP port). Values in and out are the plain types of ./types; failures are the
 * errors of ./errors. Bulk data never sits in one buffer: downloads come in FetchPage pages of at
 * most 4 MiB handed to a sink, uploads go in UploadPart parts of at most 4 MiB.
 */
export class VaultRemote {
  private readonly client: ConnectClient;
  private readonly retryDelays: number[];
  private readonly pageBytes: number;
  private readonly uploads: Uploads;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: VaultRemoteOptions) {
    this.sleep = options.sleep ?? windowSleep;
    this.client = new ConnectClient(options);
    this.retryDelays = options.retryDelaysMs ?? [500, 2000, 5000];
    this.pageBytes = Math.min(PAGE_BYTES, Math.max(64 * 1024, options.pageBytes ?? PAGE_BYTES));
    this.uploads = new Uploads(this.client, this.pageBytes, (fn) => this.retrying(fn));
  }

  /** Calls and bytes on the wire so far (bodies plus an estimate of request and header lines). */
  wireStats(): WireStats {
    return { ...this.client.stats };
  }

  async listVaults(): Promise<VaultInfo[]> {
    const r = await this.retrying(() =>
      this.client.call("ListVaults", ListVaultsRequestSchema, {}, ListVaultsResponseSchema, {
        timeoutMs: CALL_TIMEOUT_MS,
      }),
    );
    return r.vaults.map(convert.vaultInfo);
  }

  async createVault(name: string): Promise<void> {
    await this.client.call("CreateVault", CreateVaultRequestSchema, { vault: name }, CreateVaultResponseSchema, {
      timeoutMs: CALL_TIMEOUT_MS,
      context: { vault: name },
    });
  }

  /** Ledger entries after `afterSeq` (the server caps the page). */
  async changesSince(vault: string, afterSeq: number, limit = 1000): Promise<ChangesPage> {
    const r = await this.retrying(() =>
      this.client.call(
        "ChangesSince",
        ChangesSinceRequestSchema,
        { vault, afterSeq: BigInt(afterSeq), limit },
        ChangesSinceResponseSchema,
        { timeoutMs: CALL_TIMEOUT_MS, context: { vault } },
      ),
    );
    return convert.changesPage(r);
  }

  /**
   * A long poll: the changes after `afterSeq` as soon as there are any, else an empty page after
   * `waitMs` (at most 60 s). Not retried: the caller's loop calls again.
   */
  async waitChanges(vault: string, afterSeq: number, waitMs: number, limit = 1000): Promise<ChangesPage> {
    const wait = Math.max(0, Math.min(MAX_WAIT_MILLIS, Math.floor(waitMs)));
    const r = await this.client.call(
      "WaitChanges",
      WaitChangesRequestSchema,
      { vault, afterSeq: BigInt(afterSeq), limit, waitMillis: wait },
      ChangesSinceResponseSchema,
      { timeoutMs: wait + CALL_TIMEOUT_MS, context: { vault } },
    );
    return convert.changesPage(r);
  }

  /**
   * The manifest in pages read at one seq (the first page's); throws a RemoteError not_found when
   * that seq stops being readable mid-way ({@link manifest} starts over then).
   */
  async *manifestPages(vault: string, pageSize = 5000): AsyncGenerator<Manifest, void, undefined> {
    let atSeq = 0n;
    let after = "";
    for (;;) {
      const page = await this.retrying(() =>
        this.client.call(
          "GetManifestPage",
          GetManifestPageRequestSchema,
          { vault, atSeq, afterPath: after, limit: pageSize },
          ManifestPageSchema,
          { timeoutMs: CALL_TIMEOUT_MS, context: { vault } },
        ),
      );
      const entries = page.entries.map(convert.entry);
      yield { headSeq: convert.num(page.headSeq), entries };
      if (page.done) return;
      if (entries.length === 0) {
        throw new RemoteError("internal", `GetManifestPage of vault "${vault}" made no progress after "${after}"`);
      }
      atSeq = page.headSeq;
      after = entries[entries.length - 1].path;
    }
  }

  /** Every file at the head, read at one seq (about 100 bytes per file in memory). */
  async manifest(vault: string): Promise<Manifest> {
    for (let attempt = 0; ; attempt++) {
      const entries: RemoteEntry[] = [];
      let headSeq = 0;
      try {
        for await (const page of this.manifestPages(vault)) {
          headSeq = page.headSeq;
          entries.push(...page.entries);
        }
        return { headSeq, entries };
      } catch (e) {
        // The seq of the first page was thinned away mid-way: start again at the head.
        if (!(e instanceof RemoteError && e.code === "not_found" && entries.length > 0 && attempt < 3)) {
          throw e;
        }
      }
    }
  }

  /**
   * Downloads the deltas of `items` (each from its base to its target) in FetchPage pages of at
   * most 4 MiB, handing each piece to `sink` as it arrives; the caller patches. A page whose answer
   * was lost is asked again.
   */
  async fetch(vault: string, items: FetchItem[], sink: FetchSink): Promise<void> {
    for (let g = 0; g < items.length; g += FETCH_ITEMS) {
      const group = items.slice(g, g + FETCH_ITEMS);
      let index = 0;
      let offset = 0;
      for (;;) {
        const ask = group.slice(index).map((i) => ({ target: i.target, base: i.base ?? EMPTY }));
        const page = await this.retrying(() =>
          this.client.call(
            "FetchPage",
            FetchPageRequestSchema,
            { vault, items: ask, startIndex: 0, startOffset: BigInt(offset), maxBytes: this.pageBytes },
            FetchPageResponseSchema,
            { timeoutMs: CALL_TIMEOUT_MS, context: { vault } },
          ),
        );
        for (const part of page.parts) {
          if (part.index >= ask.length) {
            throw new RemoteError("internal", `FetchPage answered item ${part.index} of ${ask.length}`);
          }
          const at = g + index + part.index;
          if (part.notFound !== "") {
            await sink.notFound(at, part.notFound);
            continue;
          }
          if (part.data.length > 0) await sink.data(at, part.data);
          if (part.end) await sink.end(at);
        }
        if (page.done) break;
        const nextIndex = index + page.nextIndex;
        const nextOffset = convert.num(page.nextOffset);
        if (nextIndex < index || (nextIndex === index && nextOffset <= offset)) {
          throw new RemoteError(
            "internal",
            `FetchPage made no progress: next item ${nextIndex} at byte ${nextOffset} after item ${index} at byte ${offset}`,
          );
        }
        index = nextIndex;
        offset = nextOffset;
      }
    }
  }

  /**
   * Pushes a new version of `path` whose delta against `base` (null: a new file) comes from
   * `delta`, in UploadPart parts of at most 4 MiB. A part whose answer was lost is sent again;
   * when the server lost the upload ("no such upload") it starts over, which needs the delta
   * again: pass a function that makes it anew. Throws StaleError (with the current entry) when
   * `base` is not the current version.
   */
  async push(vault: string, path: string, base: Uint8Array | null, delta: DeltaSource): Promise<RemoteEntry> {
    const r = await this.uploads.upload({ vault, path, base: base ?? EMPTY }, delta, { vault, path });
    if (!r.entry) {
      throw new RemoteError("internal", `push of "${path}" answered without the new version`);
    }
    return convert.entry(r.entry);
  }

  /** Gives back content the server asked for (ChangesPage.wanted); whether it stored it. */
  async giveBack(vault: string, hash: Uint8Array, delta: DeltaSource): Promise<boolean> {
    const r = await this.uploads.upload({ vault, giveBack: hash }, delta, { vault });
    return r.stored;
  }

  /**
   * Commits mutations in batches of at most 500 and 7 MiB (as the Java client does), one outcome
   * per mutation in order. Refused and compact outcomes are asked for; the compact fields are
   * filled back in from the mutations. Not retried: a commit whose answer was lost is found out by
   * the next sync (its changes are then equal on both sides).
   */
  async commit(vault: string, mutations: Mutation[], options: { allowMassDelete?: boolean } = {}): Promise<Outcome[]> {
    const encoded = mutations.map(convert.mutation);
    const batches = split(encoded);
    const out: Outcome[] = [];
    let done = 0;
    for (const batch of batches) {
      const r = await this.client.call(
        "Commit",
        CommitRequestSchema,
        {
          vault,
          mutations: batch.messages,
          allowMassDelete: options.allowMassDelete ?? false,
          compactOutcomes: true,
          refusedOutcomes: true,
        },
        CommitResponseSchema,
        { timeoutMs: CALL_TIMEOUT_MS + Math.floor(batch.bytes / 1000), context: { vault } },
      );
      if (r.outcomes.length !== batch.messages.length) {
        throw new RemoteError(
          "internal",
          `malformed commit answer: ${r.outcomes.length} outcomes for ${batch.messages.length} mutations`,
        );
      }
      r.outcomes.forEach((o, i) => out.push(convert.outcome(mutations[done + i], o)));
      done += batch.messages.length;
    }
    return out;
  }

  /** Versions of `path` ("" for the whole vault), newest first, with seq < beforeSeq. */
  async history(vault: string, path: string, beforeSeq = Number.MAX_SAFE_INTEGER, limit = 100): Promise<Change[]> {
    const before = beforeSeq >= Number.MAX_SAFE_INTEGER ? 9223372036854775807n : BigInt(beforeSeq);
    const r = await this.retrying(() =>
      this.client.call(
        "History",
        HistoryRequestSchema,
        { vault, path, beforeSeq: before, limit },
        HistoryResponseSchema,
        { timeoutMs: CALL_TIMEOUT_MS, context: { vault, path } },
      ),
    );
    return r.versions.map(convert.change);
  }

  /** Runs an idempotent call, again after each retry delay while it gets no answer. */
  private async retrying<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof RemoteError && e.retryable) || attempt >= this.retryDelays.length) {
          throw e;
        }
        await this.sleep(this.retryDelays[attempt]);
      }
    }
  }
}

function windowSleep(ms: number): Promise<void> {
  if (ms <= 0 || typeof window === "undefined") return Promise.resolve();
  return new Promise((resolve) => window.setTimeout(resolve, ms));
}

interface Batch {
  messages: PbMutation[];
  bytes: number;
}

/** Consecutive batches of at most 500 mutations and 7 MiB (MessageBatcher.split); at least one. */
function split(mutations: PbMutation[]): Batch[] {
  const batches: Batch[] = [];
  let batch: Batch = { messages: [], bytes: 0 };
  for (const m of mutations) {
    const size = toBinary(MutationSchema, m).length + 6;
    if (batch.messages.length > 0 && (batch.messages.length === COMMIT_MUTATIONS || batch.bytes + size > COMMIT_BYTES)) {
      batches.push(batch);
      batch = { messages: [], bytes: 0 };
    }
    batch.messages.push(m);
    batch.bytes += size;
  }
  batches.push(batch); // an empty commit is still one call: an unknown vault must say so
  return batches;
}
