import { fromBinary, toBinary, type DescMessage, type MessageInitShape, type MessageShape, create } from "@bufbuild/protobuf";
import {
  LimitRefusalSchema,
  RefusedSchema,
  RemoteEntrySchema,
} from "../gen/vaultsync/v1/vaultsync_pb";
import { entry, num } from "./convert";
import {
  AuthError,
  LimitError,
  MassDeleteRefusedError,
  OfflineError,
  PathRefusedError,
  RemoteError,
  StaleError,
  type RemoteCode,
} from "./errors";
import type { HttpFn, HttpResponse } from "./http";
import type { WireStats } from "./types";

const SERVICE = "vaultsync.v1.VaultSync";
const MAX_MESSAGE_CHARS = 2000;

const CODES: ReadonlySet<string> = new Set([
  "canceled",
  "unknown",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
  "unauthenticated",
]);

export interface ConnectOptions {
  /** The server's HTTP face, e.g. `https://sync.example.org` (no trailing path). */
  baseUrl: string;
  token: string;
  http: HttpFn;
}

/** What an error is about, so it can name the write (a stale push names its path). */
export interface CallContext {
  vault?: string;
  path?: string;
}

/**
 * A unary Connect client (https://connectrpc.com/docs/protocol, protobuf binary) of the
 * vaultsync service on the server's HTTP port. Errors come back as {@link RemoteError}s decoded
 * from the JSON body and the `trailer-*` headers, exactly what a Java gRPC client reads.
 */
export class ConnectClient {
  private readonly base: string;
  private readonly token: string;
  private readonly http: HttpFn;
  readonly stats: WireStats = { calls: 0, bytesSent: 0, bytesReceived: 0, bodyBytesSent: 0, bodyBytesReceived: 0 };

  constructor(options: ConnectOptions) {
    this.base = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    this.http = options.http;
  }

  async call<I extends DescMessage, O extends DescMessage>(
    method: string,
    input: I,
    request: MessageInitShape<I>,
    output: O,
    options: { timeoutMs: number; headers?: Record<string, string>; context?: CallContext },
  ): Promise<MessageShape<O>> {
    const body = toBinary(input, create(input, request));
    const url = `${this.base}/${SERVICE}/${method}`;
    const headers: Record<string, string> = {
      "Content-Type": "application/proto",
      "Connect-Protocol-Version": "1",
      "Connect-Timeout-Ms": String(options.timeoutMs),
      Authorization: `Bearer ${this.token}`,
      ...options.headers,
    };
    this.stats.calls++;
    this.stats.bytesSent += body.length + requestOverhead(url, headers);
    this.stats.bodyBytesSent += body.length;
    let res: HttpResponse;
    try {
      // The HTTP timeout leaves the server its deadline plus a margin to answer.
      res = await this.http({ url, method: "POST", headers, body, timeoutMs: options.timeoutMs + 10_000 });
    } catch (e) {
      throw new OfflineError(`cannot reach the server at ${this.base}: ${describe(e)}`);
    }
    this.stats.bytesReceived += res.body.length + responseOverhead(res);
    this.stats.bodyBytesReceived += res.body.length;
    if (res.status === 200) {
      try {
        return fromBinary(output, res.body);
      } catch (e) {
        throw new RemoteError(
          "internal",
          `malformed ${method} answer from the server (${res.body.length} bytes): ${describe(e)}`,
        );
      }
    }
    throw errorOf(method, res, options.context ?? {});
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function requestOverhead(url: string, headers: Record<string, string>): number {
  let n = 16 + url.length; // "POST <path> HTTP/1.1\r\n" + Host
  for (const [k, v] of Object.entries(headers)) n += k.length + v.length + 4;
  return n + 40; // Content-Length, Host, blank line
}

function responseOverhead(res: HttpResponse): number {
  let n = 17; // "HTTP/1.1 200 OK\r\n"
  for (const [k, v] of Object.entries(res.headers)) n += k.length + v.length + 4;
  return n + 2;
}

/** Connect's fallback when an error has no JSON body (a proxy answered, not the server). */
function codeOfStatus(status: number): RemoteCode {
  switch (status) {
    case 400:
      return "internal";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "unimplemented";
    case 408:
      return "deadline_exceeded";
    case 429:
    case 502:
    case 503:
    case 504:
      return "unavailable";
    default:
      return "unknown";
  }
}

function trailersOf(headers: Record<string, string>): Record<string, string> {
  const t: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (key.startsWith("trailer-")) t[key.slice("trailer-".length)] = v;
  }
  return t;
}

/** Decodes a `-bin` value: standard base64 as the face sends it (unpadded and URL-safe accepted). */
export function decodeBase64(value: string): Uint8Array {
  let s = value.trim().replace(/-/g, "+").replace(/_/g, "/");
  while (s.length % 4 !== 0) s += "=";
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function errorOf(method: string, res: HttpResponse, ctx: CallContext): RemoteError {
  const trailers = trailersOf(res.headers);
  let code: RemoteCode = codeOfStatus(res.status);
  let message = "";
  let fromServer = false;
  const type = res.headers["content-type"] ?? "";
  if (type.startsWith("application/json")) {
    try {
      const json = JSON.parse(new TextDecoder().decode(res.body)) as { code?: unknown; message?: unknown };
      if (typeof json.code === "string" && CODES.has(json.code)) {
        code = json.code as RemoteCode;
        fromServer = true;
      }
      if (typeof json.message === "string") message = json.message;
    } catch {
      // not JSON after all: the status decides
    }
  }
  if (message.length > MAX_MESSAGE_CHARS) {
    message = `${message.slice(0, MAX_MESSAGE_CHARS)}...(${message.length} chars)`;
  }
  if (message === "") message = `${code} (HTTP ${res.status})`;
  const what = `${method}: ${message}`;
  if (!fromServer && code === "unavailable") {
    return new OfflineError(`the server is unavailable (HTTP ${res.status}): ${message}`);
  }
  try {
    switch (code) {
      case "unauthenticated":
      case "permission_denied":
        return new AuthError(code, `the server refused the device token: ${message}`, trailers);
      case "aborted":
        return stale(what, ctx, trailers);
      case "failed_precondition":
        return refusedOrMassDelete(code, what, ctx, trailers);
      case "resource_exhausted":
        return limit(what, ctx, trailers);
      default:
        return new RemoteError(code, what, trailers);
    }
  } catch (bad) {
    return new RemoteError(code, `${what} (malformed trailer: ${describe(bad)})`, trailers);
  }
}

function stale(what: string, ctx: CallContext, trailers: Record<string, string>): RemoteError {
  const raw = trailers["vaultsync-current-bin"];
  const current = raw === undefined ? null : entry(fromBinary(RemoteEntrySchema, decodeBase64(raw)));
  if (ctx.path === undefined) {
    return new RemoteError("aborted", `unexpected ABORTED: ${what}`, trailers);
  }
  return new StaleError(ctx.vault ?? "", ctx.path, current, what, trailers);
}

function refusedOrMassDelete(
  code: RemoteCode,
  what: string,
  ctx: CallContext,
  trailers: Record<string, string>,
): RemoteError {
  const refused = trailers["vaultsync-refused-bin"];
  if (refused !== undefined) {
    const r = fromBinary(RefusedSchema, decodeBase64(refused));
    return new PathRefusedError(what, trailers, r.path, r.reason);
  }
  const value = trailers["vaultsync-mass-delete"];
  if (value === undefined) {
    return new RemoteError(code, what, trailers);
  }
  const fields: Record<string, number> = {};
  for (const part of value.split(";").slice(0, 16)) {
    const eq = part.indexOf("=");
    if (eq > 0 && /^\d{1,18}$/.test(part.slice(eq + 1))) {
      fields[part.slice(0, eq).trim()] = Number(part.slice(eq + 1));
    }
  }
  const names = ["deletes", "files", "maxFiles", "maxPercent", "percentFloor"] as const;
  for (const n of names) {
    if (fields[n] === undefined) {
      throw new Error(`vaultsync-mass-delete "${value.slice(0, 200)}" lacks ${n}`);
    }
  }
  return new MassDeleteRefusedError(what, trailers, {
    deletes: fields.deletes,
    files: fields.files,
    maxFiles: fields.maxFiles,
    maxPercent: fields.maxPercent,
    percentFloor: fields.percentFloor,
  });
}

function limit(what: string, ctx: CallContext, trailers: Record<string, string>): RemoteError {
  const raw = trailers["vaultsync-limit-bin"];
  if (raw === undefined) {
    if (trailers["vaultsync-storage"] !== undefined) {
      return new RemoteError("resource_exhausted", `the server's storage failed: ${what}`, trailers);
    }
    return new RemoteError("resource_exhausted", `message too large or limit reached: ${what}`, trailers);
  }
  const r = fromBinary(LimitRefusalSchema, decodeBase64(raw));
  const vault = ctx.vault ?? r.vault;
  switch (r.kind.case) {
    case "fileTooLarge":
      return new LimitError(what, trailers, {
        kind: "file-too-large",
        vault,
        path: r.kind.value.path,
        reached: num(r.kind.value.reached),
        limit: num(r.kind.value.limit),
      });
    case "quotaExceeded":
      return new LimitError(what, trailers, {
        kind: "quota-exceeded",
        vault,
        usage: num(r.kind.value.usage),
        adding: num(r.kind.value.adding),
        quota: num(r.kind.value.quota),
      });
    default:
      throw new Error("vaultsync-limit-bin of no kind");
  }
}
