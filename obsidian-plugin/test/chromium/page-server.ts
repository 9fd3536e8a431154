// A page server for the browser test: serves a blank page and the bundled core on 127.0.0.1,
// port 0. The page's origin is http://localhost:PORT (or http://127.0.0.1:PORT), so it is always
// another origin than the vaultsync server's.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface PageServer {
  readonly port: number;
  close(): Promise<void>;
}

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>vaultsync core in a browser</title>
<style>body{font:14px sans-serif;margin:2em} pre{background:#f4f4f4;padding:1em}</style></head>
<body><h1>vaultsync core in Chromium</h1><p id="status">loading</p><pre id="log"></pre>
<script src="/browser-core.js"></script></body></html>`;

export async function servePage(bundlePath: string): Promise<PageServer> {
  const server: Server = createServer((req, res) => {
    if (req.url === "/" || req.url === "/index.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(PAGE);
    } else if (req.url === "/browser-core.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" });
      res.end(readFileSync(bundlePath));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
