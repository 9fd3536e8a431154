/**
 * An in-memory vaultsync server for the engine's unit tests: a ledger, stale checks per mutation
 * as the real server (a put names its base, a delete and a move the version they expect), a
 * mass-delete refusal with the CLI's limits, long-poll. Its "delta" is the whole content (the
 * real format is tested in test/format and end to end in test/e2e).
 */
import { createHash } from "node:crypto";
import { setTimeout as later, clearTimeout as cancel } from "node:timers";
import { exceeded, DEFAULT_LIMITS } from "../../src/sync/delete-guard";
import { MassDeleteRefused, OfflineError, type ChangePage, type DeltaCodec, type FetchRequest, type FetchSink, type Mutation, type Outcome, type Patcher, type RemoteFile, type SyncRemote } from "../../src/sync/ports";
import type { ChangeRecord, Version } from "../../src/sync/remote-view";

export const sha = (d: Uint8Array): string => createHash("sha256").update(d).digest("hex");

export class FakeServer {
  readonly blobs = new Map<string, Uint8Array>();
  readonly files = new Map<string, Version>();
  readonly ledger: ChangeRecord[] = [];
  offline = false;
  /** Checks deletes against the CLI's limits, as the server does per commit. */
  guardDeletes = true;
  private waiters: (() => void)[] = [];

  constructor() {
    this.blobs.set(sha(new Uint8Array(0)), new Uint8Array(0));
  }

  get headSeq(): number {
    return this.ledger.length === 0 ? 0 : this.ledger[this.ledger.length - 1].seq;
  }

  text(path: string): string | null {
    const v = this.files.get(path);
    return v ? new TextDecoder().decode(this.blobs.get(v.hash)) : null;
  }

  private change(c: Omit<ChangeRecord, "seq">): void {
    this.ledger.push({ ...c, seq: this.headSeq + 1 });
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }

  apply(m: Mutation, device: string, confirmed: boolean): Outcome {
    const cur = this.files.get(m.path) ?? null;
    if (m.kind === "put") {
      if ((cur?.hash ?? null) !== m.base) return { kind: "stale", current: cur };
      const hash = sha(m.delta);
      this.blobs.set(hash, m.delta.slice());
      this.files.set(m.path, { hash, size: m.delta.length });
      this.change({ op: "put", path: m.path, hash, size: m.delta.length, device });
    } else if (m.kind === "delete") {
      if (cur?.hash !== m.expected) return { kind: "stale", current: cur };
      this.files.delete(m.path);
      this.change({ op: "delete", path: m.path, hash: cur.hash, size: cur.size, device, confirmed });
    } else {
      if (cur?.hash !== m.expected) return { kind: "stale", current: cur };
      if (this.files.has(m.to)) return { kind: "stale", current: this.files.get(m.to) ?? null };
      this.files.delete(m.path);
      this.files.set(m.to, cur);
      this.change({ op: "move", path: m.to, previousPath: m.path, hash: cur.hash, size: cur.size, device });
    }
    return { kind: "applied", seq: this.headSeq };
  }

  /** The server as one device sees it; `calls` counts the calls by method. */
  remote(device: string): SyncRemote & { calls: Map<string, number> } {
    const calls = new Map<string, number>();
    const count = (m: string): void => {
      calls.set(m, (calls.get(m) ?? 0) + 1);
      if (this.offline) throw new OfflineError("server unreachable (test)");
    };
    const page = (after: number, limit: number): ChangePage => ({ changes: this.ledger.filter((c) => c.seq > after).slice(0, limit), headSeq: this.headSeq, horizonSeq: 0 });
    return {
      calls,
      changesSince: (after, limit) => {
        count("changesSince");
        return Promise.resolve(page(after, limit));
      },
      waitChanges: async (after, waitMs) => {
        count("waitChanges");
        if (this.headSeq <= after) {
          await new Promise<void>((resolve) => {
            const t = later(resolve, waitMs);
            this.waiters.push(() => {
              cancel(t);
              resolve();
            });
          });
        }
        if (this.offline) throw new OfflineError("server unreachable (test)");
        return page(after, 10_000);
      },
      manifest: () => {
        count("manifest");
        const entries: RemoteFile[] = [...this.files].map(([path, v]) => ({ path, ...v }));
        return Promise.resolve({ entries, headSeq: this.headSeq });
      },
      fetch: async (items: readonly FetchRequest[], sink: FetchSink) => {
        count("fetch");
        for (let i = 0; i < items.length; i++) {
          const blob = this.blobs.get(items[i].target);
          if (!blob) {
            await sink.notFound(i, `no content ${items[i].target}`);
            continue;
          }
          for (let at = 0; at < blob.length; at += 65536) await sink.data(i, blob.subarray(at, at + 65536));
          await sink.end(i);
        }
      },
      push: async (path, base, source) => {
        count("push");
        const pieces: Uint8Array[] = [];
        if (source instanceof Uint8Array) pieces.push(source);
        else for await (const p of source()) pieces.push(p);
        const delta = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
        pieces.reduce((at, p) => (delta.set(p, at), at + p.length), 0);
        const o = this.apply({ kind: "put", path, base, delta }, device, false);
        if (o.kind !== "applied") throw new Error(`stale push of ${path}`);
        return { seq: o.seq };
      },
      commit: (mutations, allowMassDelete) => {
        count("commit");
        const deletes = mutations.filter((m) => m.kind === "delete").length;
        if (this.guardDeletes && !allowMassDelete && exceeded(DEFAULT_LIMITS, deletes, this.files.size)) {
          return Promise.reject(new MassDeleteRefused(`${deletes} deletes of ${this.files.size} files`));
        }
        return Promise.resolve(mutations.map((m) => this.apply(m, device, allowMassDelete)));
      },
    };
  }
}

/** A codec whose delta is the whole content (signatures empty): enough for the engine's logic. */
export const wholeCodec: DeltaCodec = {
  signature: () => Promise.resolve(new Uint8Array(0)),
  delta: (_sig, data) => Promise.resolve(data.slice()),
  deltaPieces: async function* (_sig, data) {
    await Promise.resolve();
    for (let at = 0; at < data.length; at += 1 << 20) yield data.slice(at, at + (1 << 20));
  },
  patcher: (): Patcher => ({
    push: async function* (b: Uint8Array) {
      await Promise.resolve();
      yield b.slice();
    },
    finish: () => undefined,
  }),
};
