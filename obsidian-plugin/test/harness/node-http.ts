// An HttpFn on node:http for the Node tests (the plugin passes Obsidian's requestUrl, the browser
// build the page's fetch).
import { request } from "node:http";
import type { HttpFn } from "../../src/remote";

export const nodeHttp: HttpFn = (req) =>
  new Promise((done, fail) => {
    const r = request(
      req.url,
      { method: req.method, headers: { ...req.headers, "Content-Length": String(req.body?.length ?? 0) }, timeout: req.timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
          }
          done({ status: res.statusCode ?? 0, headers, body: new Uint8Array(Buffer.concat(chunks)) });
        });
        res.on("error", fail);
      },
    );
    r.on("timeout", () => r.destroy(new Error(`no answer within ${req.timeoutMs} ms`)));
    r.on("error", fail);
    r.end(req.body ? Buffer.from(req.body.buffer, req.body.byteOffset, req.body.byteLength) : undefined);
  });
