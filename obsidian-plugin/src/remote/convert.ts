import { create } from "@bufbuild/protobuf";
import {
  ChangeOp as PbChangeOp,
  type Change as PbChange,
  type ChangesSinceResponse,
  MutationSchema,
  type Mutation as PbMutation,
  type Outcome as PbOutcome,
  type RemoteEntry as PbRemoteEntry,
  type VaultInfo as PbVaultInfo,
} from "../gen/vaultsync/v1/vaultsync_pb";
import type { Change, ChangeOp, ChangesPage, Mutation, Outcome, RemoteEntry, VaultInfo } from "./types";

/** Generated messages to the plain values of ./types and back; the only place that knows both. */

const EMPTY = new Uint8Array(0);

export function num(v: bigint): number {
  return Number(v);
}

export function entry(e: PbRemoteEntry): RemoteEntry {
  return { path: e.path, hash: e.hash, size: num(e.size), seq: num(e.seq) };
}

function op(o: PbChangeOp): ChangeOp {
  switch (o) {
    case PbChangeOp.PUT:
      return "put";
    case PbChangeOp.DELETE:
      return "delete";
    case PbChangeOp.MOVE:
      return "move";
    default:
      throw new Error(`malformed change from the server: operation ${String(o)}`);
  }
}

export function change(c: PbChange): Change {
  return {
    seq: num(c.seq),
    op: op(c.op),
    path: c.path,
    previousPath: c.previousPath,
    hash: c.hash,
    size: num(c.size),
    device: c.device,
    timeMillis: num(c.timeMillis),
    confirmed: c.confirmed,
  };
}

export function changesPage(r: ChangesSinceResponse): ChangesPage {
  return {
    changes: r.changes.map(change),
    headSeq: num(r.headSeq),
    horizonSeq: num(r.horizonSeq),
    wanted: r.wanted,
  };
}

export function vaultInfo(v: PbVaultInfo): VaultInfo {
  return {
    name: v.name,
    files: num(v.files),
    bytes: num(v.bytes),
    headSeq: num(v.headSeq),
    lastChangeMillis: v.lastChangeMillis === undefined ? null : num(v.lastChangeMillis),
  };
}

export function mutation(m: Mutation): PbMutation {
  switch (m.kind) {
    case "put":
      return create(MutationSchema, {
        kind: { case: "put", value: { path: m.path, base: m.base ?? EMPTY, delta: m.delta } },
      });
    case "delete":
      return create(MutationSchema, {
        kind: { case: "delete", value: { path: m.path, expected: m.expected } },
      });
    case "move":
      return create(MutationSchema, {
        kind: { case: "move", value: { path: m.path, to: m.to, expected: m.expected } },
      });
  }
}

/**
 * An outcome with the fields a compact answer left out filled in from its mutation (as the Java
 * client's CompactOutcomes.expand): path, a move's previous path, a delete's or move's hash.
 */
export function outcome(m: Mutation, o: PbOutcome): Outcome {
  switch (o.kind.case) {
    case "applied": {
      const c = change(o.kind.value);
      if (c.path === "") c.path = m.kind === "move" ? m.to : m.path;
      if (m.kind === "move" && c.previousPath === "") c.previousPath = m.path;
      if (c.hash.length === 0 && m.kind !== "put") c.hash = m.expected;
      return { kind: "applied", change: c };
    }
    case "stale":
      return {
        kind: "stale",
        path: o.kind.value.path,
        current: o.kind.value.current ? entry(o.kind.value.current) : null,
      };
    case "refused":
      return { kind: "refused", path: o.kind.value.path, reason: o.kind.value.reason };
    default:
      throw new Error("malformed commit answer from the server: an outcome of no kind");
  }
}
