/**
 * What the sync core needs from the server and from the delta format, as small interfaces: the
 * core is written and unit-tested against these, and `remote-adapter.ts` builds them from
 * src/remote's `VaultRemote` and src/format's signature, delta writer and `DeltaPatcher`. Hashes
 * are lower-case hex SHA-256 here, paths vault-relative note paths.
 */
import type { ChangeRecord, Version } from "./remote-view";

export interface ChangePage {
  readonly changes: ChangeRecord[];
  readonly headSeq: number;
  /** The ledger was compacted up to this seq (0: never); a device behind it reads the manifest. */
  readonly horizonSeq: number;
}

/** One file of the server's manifest. */
export interface RemoteFile extends Version {
  readonly path: string;
}

/** One file to download: the delta that turns `base` (null: empty) into `target`. */
export interface FetchRequest {
  readonly target: string;
  readonly base: string | null;
}

/** Where a fetch hands each item's delta bytes, in order, item by item. */
export interface FetchSink {
  data(index: number, bytes: Uint8Array): Promise<void>;
  end(index: number): Promise<void>;
  /** The server does not have the item's content (instead of data and end). */
  notFound(index: number, message: string): Promise<void>;
}

export type Mutation =
  | { readonly kind: "put"; readonly path: string; readonly base: string | null; readonly delta: Uint8Array }
  | { readonly kind: "delete"; readonly path: string; readonly expected: string }
  | { readonly kind: "move"; readonly path: string; readonly to: string; readonly expected: string };

export type Outcome =
  | { readonly kind: "applied"; readonly seq: number }
  | { readonly kind: "stale"; readonly current: Version | null }
  | { readonly kind: "refused"; readonly reason: string };

/** The server, for one vault. */
export interface SyncRemote {
  changesSince(afterSeq: number, limit: number): Promise<ChangePage>;
  /** As changesSince, waiting up to `waitMs` for a change when there is none. */
  waitChanges(afterSeq: number, waitMs: number): Promise<ChangePage>;
  /** The whole manifest, read page by page at one seq. */
  manifest(): Promise<{ entries: RemoteFile[]; headSeq: number }>;
  /** Downloads `items` in bounded pages, handing each item's delta to `sink`. */
  fetch(items: readonly FetchRequest[], sink: FetchSink): Promise<void>;
  /**
   * Uploads one large delta in parts; the new version's seq. A function source is called (again,
   * should the upload have to start over) for the delta's pieces, so it is never held whole.
   */
  push(path: string, base: string | null, delta: Uint8Array | (() => AsyncIterable<Uint8Array>)): Promise<{ seq: number }>;
  /** Applies `mutations` in order; one outcome each. */
  commit(mutations: readonly Mutation[], allowMassDelete: boolean): Promise<Outcome[]>;
}

/** The server cannot be reached (or answered that it is unavailable): retry later. */
export class OfflineError extends Error {
  override readonly name = "OfflineError";
}

/** The server refused a batch's deletes as a mass delete. */
export class MassDeleteRefused extends Error {
  /** The name src/remote's MassDeleteRefusedError has too: both are recognized by it. */
  static readonly NAME = "MassDeleteRefusedError";
  override readonly name = MassDeleteRefused.NAME;
}

/** A push found the file at another version than its base. */
export class StaleUpload extends Error {
  override readonly name = "StaleUpload";
}

/** A streaming patcher (src/format's DeltaPatcher). */
export interface Patcher {
  /**
   * Feeds delta bytes; yields the output they complete, in chunks of about 1 MiB at most, each
   * valid until the next one is asked for.
   */
  push(bytes: Uint8Array): AsyncIterable<Uint8Array>;
  /** Checks the delta's END (length and SHA-256); throws if it is missing or wrong. */
  finish(): unknown;
}

/** The delta format (docs/FORMAT.md), as the core uses it. */
export interface DeltaCodec {
  /** The serialized signature of `data` (kept in the index for the next upload's delta). */
  signature(data: Uint8Array): Promise<Uint8Array>;
  /** A delta that makes `data` from the version `signature` describes (null: from nothing). */
  delta(signature: Uint8Array | null, data: Uint8Array): Promise<Uint8Array>;
  /** The same delta in pieces, made as they are asked for (a large upload never holds it whole). */
  deltaPieces(signature: Uint8Array | null, data: Uint8Array): AsyncIterable<Uint8Array>;
  /** A patcher that applies a delta to `basis` (null: empty). */
  patcher(basis: Uint8Array | null): Patcher;
  /** How many bytes of `data` a delta against `signature` copies (move pairing); optional. */
  copiedBytes?(signature: Uint8Array, data: Uint8Array): Promise<number>;
}
