/**
 * The remote client's {@link HttpFn} over Obsidian's `requestUrl`, which works on desktop and
 * mobile alike and is not subject to CORS (it is not the page's fetch). Every answer comes back,
 * errors included (`throw: false`), so the Connect client reads the status and the JSON error
 * itself; a request that gets no answer at all (server down, no network, DNS, TLS, timeout)
 * becomes the remote client's {@link OfflineError}, never an HTTP error that could look like a refusal.
 */
import { requestUrl, type RequestUrlParam } from "obsidian";
import { OfflineError } from "../remote/errors";
import type { HttpFn, HttpRequest, HttpResponse } from "../remote/http";

type RequestUrl = (req: RequestUrlParam) => Promise<{ status: number; headers: Record<string, string>; arrayBuffer: ArrayBuffer }>;

/** The timers a timeout uses: Obsidian's window's (popout-safe); tests pass Node's. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

export function requestUrlHttp(send: RequestUrl = requestUrl, timers: Timers = window): HttpFn {
  return async (req: HttpRequest): Promise<HttpResponse> => {
    const headers: Record<string, string> = {};
    let contentType: string | undefined;
    for (const [k, v] of Object.entries(req.headers)) {
      if (k.toLowerCase() === "content-type") contentType = v;
      else headers[k] = v;
    }
    const param: RequestUrlParam = { url: req.url, method: req.method, headers, contentType, throw: false };
    if (req.body) param.body = req.body.slice().buffer;
    const timeoutMs = req.timeoutMs;
    let timer: number | undefined;
    try {
      const sent = send(param);
      const res =
        timeoutMs !== undefined
          ? await Promise.race([
              sent,
              new Promise<never>((_, reject) => {
                timer = timers.setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
              }),
            ])
          : await sent;
      const lower: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers ?? {})) lower[k.toLowerCase()] = v;
      return { status: res.status, headers: lower, body: new Uint8Array(res.arrayBuffer ?? new ArrayBuffer(0)) };
    } catch (e) {
      throw new OfflineError(`cannot reach ${originOf(req.url)}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (timer !== undefined) timers.clearTimeout(timer);
    }
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
