/**
 * The sync core's ports built from the real pieces: {@link serverFor} wraps src/remote's
 * VaultRemote for one vault (hashes as hex here, bytes there; its errors keep their names, which
 * the core recognizes: OfflineError, MassDeleteRefusedError), {@link formatCodec} is
 * docs/FORMAT.md through src/format (signatures, the delta encoder, the streaming DeltaPatcher).
 */
import { DeltaEncoder, DeltaPatcher, readSignature, writeDelta, writeSignature } from "../format";
import { StaleError, type VaultRemote } from "../remote";
import type { ChangeRecord } from "./remote-view";
import { StaleUpload, type ChangePage, type DeltaCodec, type SyncRemote } from "./ports";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function toHex(b: Uint8Array): string {
  let s = "";
  for (const x of b) s += HEX[x];
  return s;
}

export function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** What the engine needs of a VaultRemote, for the vault `vault`. */
export function serverFor(remote: VaultRemote, vault: string): SyncRemote {
  const page = (p: Awaited<ReturnType<VaultRemote["changesSince"]>>): ChangePage => ({
    headSeq: p.headSeq,
    horizonSeq: p.horizonSeq,
    changes: p.changes.map(
      (c): ChangeRecord => ({
        seq: c.seq,
        op: c.op,
        path: c.path,
        previousPath: c.op === "move" ? c.previousPath : undefined,
        hash: toHex(c.hash),
        size: c.size,
        device: c.device,
        confirmed: c.confirmed,
      }),
    ),
  });
  return {
    changesSince: async (after, limit) => page(await remote.changesSince(vault, after, limit)),
    waitChanges: async (after, waitMs) => page(await remote.waitChanges(vault, after, waitMs)),
    manifest: async () => {
      const m = await remote.manifest(vault);
      return { headSeq: m.headSeq, entries: m.entries.map((e) => ({ path: e.path, hash: toHex(e.hash), size: e.size })) };
    },
    fetch: (items, sink) =>
      remote.fetch(
        vault,
        items.map((i) => ({ target: fromHex(i.target), base: i.base === null ? null : fromHex(i.base) })),
        {
          data: (i, bytes) => sink.data(i, bytes),
          end: (i) => sink.end(i),
          notFound: (i, message) => sink.notFound(i, message),
        },
      ),
    push: async (path, base, delta) => {
      try {
        const e = await remote.push(vault, path, base === null ? null : fromHex(base), delta);
        return { seq: e.seq };
      } catch (e) {
        if (e instanceof StaleError) throw new StaleUpload(`${path} changed on the server meanwhile`);
        throw e;
      }
    },
    commit: async (mutations, allowMassDelete) => {
      const outcomes = await remote.commit(
        vault,
        mutations.map((m) =>
          m.kind === "put"
            ? { kind: "put", path: m.path, base: m.base === null ? null : fromHex(m.base), delta: m.delta }
            : m.kind === "delete"
              ? { kind: "delete", path: m.path, expected: fromHex(m.expected) }
              : { kind: "move", path: m.path, to: m.to, expected: fromHex(m.expected) },
        ),
        { allowMassDelete },
      );
      return outcomes.map((o) =>
        o.kind === "applied"
          ? { kind: "applied", seq: o.change.seq }
          : o.kind === "stale"
            ? { kind: "stale", current: o.current ? { hash: toHex(o.current.hash), size: o.current.size } : null }
            : { kind: "refused", reason: o.reason },
      );
    },
  };
}

/** Bytes of a large upload's target encoded at a time. */
const PIECE = 1 << 20;

/** docs/FORMAT.md through src/format. */
export function formatCodec(): DeltaCodec {
  // A damaged kept signature only costs bandwidth: the delta is then made against nothing.
  const parse = async (signature: Uint8Array | null) => (signature === null ? null : await readSignature(signature).catch(() => null));
  return {
    signature: (data) => writeSignature(data),
    delta: async (signature, data) => writeDelta(await parse(signature), data),
    deltaPieces: async function* (signature, data) {
      const enc = await DeltaEncoder.create(await parse(signature));
      for (let at = 0; at < data.length; at += PIECE) yield* enc.update(data.subarray(at, at + PIECE));
      yield* enc.finish();
    },
    copiedBytes: async (signature, data) => {
      const sig = await parse(signature);
      if (sig === null) return 0;
      const enc = await DeltaEncoder.create(sig);
      for (let at = 0; at < data.length; at += PIECE) enc.update(data.subarray(at, at + PIECE));
      enc.finish();
      return enc.stats().copiedBytes;
    },
    patcher: (basis) => {
      const p = new DeltaPatcher(basis);
      return { push: (bytes) => p.push(bytes), finish: () => p.finish() };
    },
  };
}
