import type { RemoteEntry } from "./types";

/** Connect's error codes (https://connectrpc.com/docs/protocol#error-codes). */
export type RemoteCode =
  | "canceled"
  | "unknown"
  | "invalid_argument"
  | "deadline_exceeded"
  | "not_found"
  | "already_exists"
  | "permission_denied"
  | "resource_exhausted"
  | "failed_precondition"
  | "aborted"
  | "out_of_range"
  | "unimplemented"
  | "internal"
  | "unavailable"
  | "data_loss"
  | "unauthenticated";

/**
 * A call the server answered with an error (or that got no answer: {@link OfflineError}). The
 * message is the server's, bounded; `trailers` holds the `trailer-*` headers (names without the
 * prefix, values as sent).
 */
export class RemoteError extends Error {
  readonly code: RemoteCode;
  readonly trailers: Record<string, string>;

  constructor(code: RemoteCode, message: string, trailers: Record<string, string> = {}) {
    super(message);
    this.name = "RemoteError";
    this.code = code;
    this.trailers = trailers;
  }

  /** Whether the same call may succeed later unchanged (server busy, deadline, no answer). */
  get retryable(): boolean {
    return this.code === "unavailable" || this.code === "deadline_exceeded";
  }
}

/** The server could not be reached, or the answer was lost: retry later. */
export class OfflineError extends RemoteError {
  constructor(message: string) {
    super("unavailable", message);
    this.name = "OfflineError";
  }
}

/** The device token was refused (missing, wrong or revoked): the user must fix the settings. */
export class AuthError extends RemoteError {
  constructor(code: RemoteCode, message: string, trailers: Record<string, string>) {
    super(code, message, trailers);
    this.name = "AuthError";
  }
}

/** A push whose base is not the current version; `current` is absent when the path is empty. */
export class StaleError extends RemoteError {
  readonly vault: string;
  readonly path: string;
  readonly current: RemoteEntry | null;

  constructor(
    vault: string,
    path: string,
    current: RemoteEntry | null,
    message: string,
    trailers: Record<string, string>,
  ) {
    super("aborted", message, trailers);
    this.name = "StaleError";
    this.vault = vault;
    this.path = path;
    this.current = current;
  }
}

/** A commit refused as a mass delete; nothing of it was applied. */
export class MassDeleteRefusedError extends RemoteError {
  readonly deletes: number;
  readonly files: number;
  readonly maxFiles: number;
  readonly maxPercent: number;
  readonly percentFloor: number;

  constructor(
    message: string,
    trailers: Record<string, string>,
    counts: { deletes: number; files: number; maxFiles: number; maxPercent: number; percentFloor: number },
  ) {
    super("failed_precondition", message, trailers);
    this.name = "MassDeleteRefusedError";
    this.deletes = counts.deletes;
    this.files = counts.files;
    this.maxFiles = counts.maxFiles;
    this.maxPercent = counts.maxPercent;
    this.percentFloor = counts.percentFloor;
  }
}

/** What a server limit refused (trailer `vaultsync-limit-bin`). */
export type LimitRefusal =
  | { kind: "file-too-large"; vault: string; path: string; reached: number; limit: number }
  | { kind: "quota-exceeded"; vault: string; usage: number; adding: number; quota: number };

/** A commit or push a server limit refused (nothing of the call was stored). */
export class LimitError extends RemoteError {
  readonly refusal: LimitRefusal;

  constructor(message: string, trailers: Record<string, string>, refusal: LimitRefusal) {
    super("resource_exhausted", message, trailers);
    this.name = "LimitError";
    this.refusal = refusal;
  }
}

/** A push refused for its path: no client could hold the tree it would make (trailer `vaultsync-refused-bin`). */
export class PathRefusedError extends RemoteError {
  readonly path: string;
  readonly reason: string;

  constructor(message: string, trailers: Record<string, string>, path: string, reason: string) {
    super("failed_precondition", message, trailers);
    this.name = "PathRefusedError";
    this.path = path;
    this.reason = reason;
  }
}
