// The sync core in a real browser: Debian's headless Chromium loads the bundled core
// (src/browser-core.ts) in a page served from another origin than the vaultsync server's, and
// syncs through the real server (the built jar, started by test/harness with --cors-origin for
// that page's origin). This proves what Node tests cannot: CORS on the server's HTTP face, the
// browser's fetch, crypto.subtle and WebAssembly (hash-wasm) in the page. A page from an origin
// the server does not allow must fail with a CORS error.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverSkipReason, startServer, type ServerHandle } from "../harness/server";
import { chromiumMissing, launch } from "./browser";
import { servePage, type PageServer } from "./page-server";

const root = fileURLToPath(new URL("../..", import.meta.url));
const out = join(root, "test-results", "chromium");
const missing = chromiumMissing() ?? serverSkipReason();

describe.skipIf(missing !== null)(`the core in headless Chromium${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let pages: PageServer;
  let server: ServerHandle;
  let browser: Browser;
  let origin: string;
  const work = mkdtempSync(join(tmpdir(), "vaultsync-chromium-"));

  beforeAll(async () => {
    mkdirSync(out, { recursive: true });
    const bundle = join(out, "browser-core.js");
    await esbuild.build({
      entryPoints: [join(root, "src/browser-core.ts")],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2020",
      outfile: bundle,
      logLevel: "warning",
    });
    pages = await servePage(bundle);
    origin = `http://localhost:${pages.port}`;
    server = await startServer({ tokenNames: ["chromium", "cli"], corsOrigins: [origin] });
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await pages?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function cli(args: string[]): Promise<void> {
    const r = await server.cli(args);
    if (r.code !== 0) throw new Error(`vaultsync ${args[0]} failed (exit ${r.code}): ${r.stderr}${r.stdout}`);
  }

  async function open(pageOrigin: string): Promise<{ page: Page; console: string[] }> {
    const page = await browser.newPage();
    const console: string[] = [];
    page.on("console", (m) => console.push(m.text()));
    await page.goto(`${pageOrigin}/`);
    await page.waitForFunction(() => "vaultsyncCore" in window);
    return { page, console };
  }

  it("syncs notes up through the real server and pulls a change the Java CLI made", async () => {
    const { page } = await open(origin);
    const args = { baseUrl: server.httpUrl, token: server.tokens.chromium, vault: "browser" };
    const up = await page.evaluate(async (a) => {
      const core = window.vaultsyncCore;
      await core.createVault(a);
      const c = core.openVault({ ...a, device: "chromium" });
      (window as unknown as { client: typeof c }).client = c;
      await c.write("Welcome.md", "# Hello from Chromium\n\nline two\n");
      await c.write("folder/nested note.md", "nested\n");
      await c.write("attachments/blob.bin", "\u0000\u0001\u0002 binary-ish");
      const result = await c.engine.syncNow();
      return { up: result.tally.up, notSynced: result.notSynced.length, secure: window.isSecureContext, subtle: typeof crypto.subtle?.digest, wasm: typeof WebAssembly, status: c.engine.status.kind };
    }, args);
    expect(up).toMatchObject({ up: 3, notSynced: 0, secure: true, subtle: "function", wasm: "object", status: "synced" });

    // The Java CLI clones what the page sent, edits a note and syncs it back.
    const dir = join(work, "cli");
    const tokenFile = join(work, "cli-token");
    writeFileSync(tokenFile, server.tokens.cli, { mode: 0o600 });
    await cli(["clone", server.grpcUrl, "browser", dir, "--token-file", tokenFile, "--device", "cli"]);
    expect(readFileSync(join(dir, "Welcome.md"), "utf8")).toBe("# Hello from Chromium\n\nline two\n");
    expect(readFileSync(join(dir, "folder/nested note.md"), "utf8")).toBe("nested\n");
    writeFileSync(join(dir, "Welcome.md"), "# Hello from Chromium\n\nline two, edited by the CLI\n");
    await cli(["sync", dir]);

    const down = await page.evaluate(async () => {
      const c = (window as unknown as { client: { engine: { syncNow(): Promise<unknown> }; read(p: string): Promise<string> } }).client;
      await c.engine.syncNow();
      const text = await c.read("Welcome.md");
      document.getElementById("status")!.textContent = "Synced through the server";
      document.getElementById("log")!.textContent = text;
      return text;
    });
    expect(down).toBe("# Hello from Chromium\n\nline two, edited by the CLI\n");
    await page.screenshot({ path: join(out, "chromium-sync.png") });
    await page.close();
  });

  it("fails with a CORS error in a page from an origin the server does not allow", async () => {
    const other = `http://127.0.0.1:${pages.port}`;
    const { page, console } = await open(other);
    const result = await page.evaluate(async (a) => {
      let outcome: string;
      try {
        await window.vaultsyncCore.listVaults(a);
        outcome = "listed";
      } catch (e) {
        outcome = `${(e as Error).name}: ${(e as Error).message}`;
      }
      document.getElementById("status")!.textContent = `A page of ${location.origin}, which the server does not allow:`;
      document.getElementById("log")!.textContent = outcome;
      return outcome;
    }, { baseUrl: server.httpUrl, token: server.tokens.chromium });
    expect(result).not.toBe("listed");
    expect(console.join("\n")).toMatch(/blocked by CORS policy/);
    await page.screenshot({ path: join(out, "chromium-cors-refused.png") });
    await page.close();
  });
});
