import { clearTimeout, setTimeout } from "node:timers";
import { describe, expect, it } from "vitest";
import { requestUrlHttp } from "../../src/obsidian/http";
import { OfflineError } from "../../src/remote/errors";
import type { RequestUrlParam } from "../fake-obsidian";

// Node's timers, for what the plugin gets from Obsidian's window.
const timers = {
  setTimeout: (fn: () => void, ms: number) => Number(setTimeout(fn, ms)),
  clearTimeout: (id: number) => clearTimeout(id),
};

describe("requestUrlHttp", () => {
  it("sends method, headers, content type and body, and returns any status with lower-case header names", async () => {
    const seen: RequestUrlParam[] = [];
    const http = requestUrlHttp((req) => {
      seen.push(req);
      return Promise.resolve({
        status: 401,
        headers: { "Content-Type": "application/json", "Trailer-Vaultsync-Limit-Bin": "AAE=" },
        arrayBuffer: new TextEncoder().encode('{"code":"unauthenticated"}').buffer,
      });
    }, timers);
    const body = new Uint8Array([9, 1, 2, 3]).subarray(1);
    const res = await http({
      url: "http://127.0.0.1:7421/vaultsync.v1.VaultSync/ListVaults",
      method: "POST",
      headers: { "Content-Type": "application/proto", Authorization: "Bearer t" },
      body,
    });
    expect(seen[0]).toMatchObject({ method: "POST", contentType: "application/proto", headers: { Authorization: "Bearer t" }, throw: false });
    expect([...new Uint8Array(seen[0].body as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(res.status).toBe(401);
    expect(res.headers).toEqual({ "content-type": "application/json", "trailer-vaultsync-limit-bin": "AAE=" });
    expect(new TextDecoder().decode(res.body)).toBe('{"code":"unauthenticated"}');
  });

  it("turns a request that got no answer into an OfflineError naming the server", async () => {
    const http = requestUrlHttp(() => Promise.reject(new Error("net::ERR_CONNECTION_REFUSED")), timers);
    const err = await http({ url: "http://127.0.0.1:9/x", method: "POST", headers: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfflineError);
    expect((err as Error).message).toBe("cannot reach http://127.0.0.1:9: net::ERR_CONNECTION_REFUSED");
  });

  it("gives up on a request with no answer within its timeout", async () => {
    const http = requestUrlHttp(() => new Promise(() => undefined), timers);
    const err = await http({ url: "http://127.0.0.1:9/x", method: "POST", headers: {}, timeoutMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OfflineError);
    expect((err as Error).message).toContain("no answer within 20 ms");
  });
});
