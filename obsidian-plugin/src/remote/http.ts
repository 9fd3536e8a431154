/**
 * The one thing the remote client needs from its platform: send an HTTP request, get the whole
 * answer. The plugin passes Obsidian's `requestUrl` (no CORS on mobile), tests and the browser
 * build pass {@link fetchHttp}. A response with any status resolves; only a request that got no
 * answer at all (no connection, timeout) rejects.
 */
export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: Uint8Array;
}

export type HttpFn = (req: HttpRequest) => Promise<HttpResponse>;

/** The part of the platform's `fetch` that {@link fetchHttp} uses. */
export type FetchFn = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: Uint8Array<ArrayBuffer>; signal?: AbortSignal },
) => Promise<{ status: number; headers: { forEach(f: (value: string, key: string) => void): void }; arrayBuffer(): Promise<ArrayBuffer> }>;

/**
 * An {@link HttpFn} on a `fetch` (the browser's, or Node's): for the browser build and the tests,
 * which pass their platform's `fetch`. Inside Obsidian the plugin passes `requestUrl` instead,
 * which CORS does not restrict.
 */
export function fetchHttp(fetchFn: FetchFn): HttpFn {
  return async (req) => {
    const res = await fetchFn(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body as Uint8Array<ArrayBuffer> | undefined,
      signal: req.timeoutMs !== undefined ? AbortSignal.timeout(req.timeoutMs) : undefined,
    });
    const body = new Uint8Array(await res.arrayBuffer());
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      headers[key.toLowerCase()] = value;
    });
    return { status: res.status, headers, body };
  };
}
