import { fromBinary, toBinary, create, type DescMessage, type MessageShape, type MessageInitShape } from "@bufbuild/protobuf";
import type { HttpFn, HttpRequest, HttpResponse } from "../../src/remote";

/** A scripted server for unit tests: per method, a handler from the decoded request to an answer. */
export type Handler = (body: Uint8Array, req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

export class FakeHttp {
  readonly requests: { method: string; req: HttpRequest }[] = [];
  private readonly handlers = new Map<string, Handler>();
  /** Throw (as a lost connection) instead of answering the next n calls, after the handler ran. */
  loseAnswers = 0;

  on(method: string, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  readonly fn: HttpFn = async (req) => {
    const method = req.url.slice(req.url.lastIndexOf("/") + 1);
    this.requests.push({ method, req });
    const h = this.handlers.get(method);
    if (!h) return json(404, "unimplemented", `no handler for ${method}`);
    const res = await h(req.body ?? new Uint8Array(0), req);
    if (this.loseAnswers > 0) {
      this.loseAnswers--;
      throw new TypeError("fetch failed: connection reset");
    }
    return res;
  };

  calls(method: string): HttpRequest[] {
    return this.requests.filter((r) => r.method === method).map((r) => r.req);
  }
}

export function ok<O extends DescMessage>(schema: O, msg: MessageInitShape<O>): HttpResponse {
  return { status: 200, headers: { "content-type": "application/proto" }, body: toBinary(schema, create(schema, msg)) };
}

export function decode<I extends DescMessage>(schema: I, body: Uint8Array): MessageShape<I> {
  return fromBinary(schema, body);
}

const STATUS: Record<string, number> = {
  invalid_argument: 400,
  unauthenticated: 401,
  permission_denied: 403,
  not_found: 404,
  aborted: 409,
  already_exists: 409,
  failed_precondition: 400,
  resource_exhausted: 429,
  unavailable: 503,
  unimplemented: 501,
  internal: 500,
};

export function json(status: number | null, code: string, message: string, trailers: Record<string, string> = {}): HttpResponse {
  const headers: Record<string, string> = { "content-type": "application/json" };
  for (const [k, v] of Object.entries(trailers)) headers[`trailer-${k}`] = v;
  return {
    status: status ?? STATUS[code] ?? 500,
    headers,
    body: new TextEncoder().encode(JSON.stringify({ code, message })),
  };
}

export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}
