/** The values the remote client hands out: plain TypeScript, no generated protobuf classes. */

/** A file at the server: its path, 32-byte SHA-256, size and the seq that made this version. */
export interface RemoteEntry {
  path: string;
  hash: Uint8Array;
  size: number;
  seq: number;
}

export type ChangeOp = "put" | "delete" | "move";

/** One ledger entry. */
export interface Change {
  seq: number;
  op: ChangeOp;
  path: string;
  /** Only for a move: where the file was ("" otherwise). */
  previousPath: string;
  hash: Uint8Array;
  size: number;
  device: string;
  timeMillis: number;
  /** A delete committed with allowMassDelete (a person confirmed it). */
  confirmed: boolean;
}

/** A page of the ledger. */
export interface ChangesPage {
  changes: Change[];
  headSeq: number;
  /** The ledger was compacted up to this seq (0: never); below it, catch up from the manifest. */
  horizonSeq: number;
  /** Content of the head the server lacks (32-byte SHA-256 each). */
  wanted: Uint8Array[];
}

export interface VaultInfo {
  name: string;
  files: number;
  bytes: number;
  headSeq: number;
  lastChangeMillis: number | null;
}

/** What a commit asks: base null for a new file; a Put's delta at most 4 MiB. */
export type Mutation =
  | { kind: "put"; path: string; base: Uint8Array | null; delta: Uint8Array }
  | { kind: "delete"; path: string; expected: Uint8Array }
  | { kind: "move"; path: string; to: string; expected: Uint8Array };

/** What became of one mutation, in the order of the mutations. */
export type Outcome =
  | { kind: "applied"; change: Change }
  | { kind: "stale"; path: string; current: RemoteEntry | null }
  | { kind: "refused"; path: string; reason: string };

/** One file to fetch: the delta from `base` (null: from nothing) to `target`. */
export interface FetchItem {
  target: Uint8Array;
  base: Uint8Array | null;
}

/**
 * Receives the deltas of a fetch as they arrive, item by item in order; each item gets data
 * calls, then end (or one notFound instead). The remote awaits each call before the next.
 */
export interface FetchSink {
  data(index: number, bytes: Uint8Array): Promise<void> | void;
  end(index: number): Promise<void> | void;
  notFound(index: number, message: string): Promise<void> | void;
}

/** A manifest read at one seq. */
export interface Manifest {
  headSeq: number;
  entries: RemoteEntry[];
}

/**
 * Bytes on the wire: whole HTTP bodies plus an estimate of the request and header lines
 * (bytesSent, bytesReceived), and the protobuf bodies alone (bodyBytesSent, bodyBytesReceived:
 * what the CLI's --json counts of its gRPC messages, so the two compare).
 */
export interface WireStats {
  calls: number;
  bytesSent: number;
  bytesReceived: number;
  bodyBytesSent: number;
  bodyBytesReceived: number;
}
