// The remote client against the real server (the built jar on loopback port 0) over the browser
// face: vaults, a commit with a delta the TypeScript writer made, FetchPage + the patcher, stale
// writes, a 10 MiB upload in parts and the long poll.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeltaEncoder, DeltaPatcher, readSignature, sha256, writeDelta, writeSignature } from "../../src/format";
import { RemoteError, StaleError, VaultRemote, type FetchItem } from "../../src/remote";
import { setTimeout as delay } from "node:timers/promises";
import { nodeHttp } from "../harness/node-http";
import { serverSkipReason, startServer, type ServerHandle } from "../harness/server";

const noJar = serverSkipReason();
const text = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

function remoteFor(server: ServerHandle, device = "plugin"): VaultRemote {
  return new VaultRemote({ baseUrl: server.httpUrl, token: server.tokens[device], http: nodeHttp });
}

/** Fetches one item and patches it against `basis`, never holding the delta whole. */
async function fetchAndPatch(remote: VaultRemote, vault: string, item: FetchItem, basis: Uint8Array | null): Promise<Uint8Array> {
  const patcher = new DeltaPatcher(basis);
  const out: Buffer[] = [];
  let ended = false;
  await remote.fetch(vault, [item], {
    data: async (_i, bytes) => {
      for await (const piece of patcher.push(bytes)) out.push(Buffer.from(piece));
    },
    end: () => {
      ended = true;
    },
    notFound: (_i, message) => {
      throw new Error(`not found: ${message}`);
    },
  });
  expect(ended).toBe(true);
  patcher.finish();
  return Buffer.concat(out);
}

describe.skipIf(noJar !== null)("VaultRemote against the real server", () => {
  let server: ServerHandle;
  let remote: VaultRemote;
  /** Set when the server lacks the browser face or the issue-15 RPCs. */
  let unimplemented: string | null = null;
  /** Set when the server's gRPC endpoint was started without UploadPart staging (i15-rpc not merged). */
  let noUploads: string | null = null;

  beforeAll(async () => {
    server = await startServer({ tokenNames: ["plugin", "other"] });
    remote = remoteFor(server);
    try {
      await remote.createVault("probe");
      await remote.waitChanges("probe", 0, 0);
      await remote.push("probe", "probe.md", null, await writeDelta(null, text("probe\n")));
    } catch (e) {
      if (e instanceof RemoteError && e.code === "unimplemented") {
        unimplemented = `the server lacks the browser face or its RPCs (${e.message})`;
      } else if (e instanceof RemoteError && /no uploads in parts/.test(e.message)) {
        noUploads = `this server build stages no UploadPart parts (${e.message})`;
      } else {
        throw e;
      }
    }
  });

  afterAll(async () => {
    await server?.stop();
  });

  const live = (name: string, fn: () => Promise<void>, timeout?: number, uploads = false) =>
    it(name, async (ctx) => {
      if (unimplemented) ctx.skip(unimplemented);
      if (uploads && noUploads) ctx.skip(noUploads);
      await fn();
    }, timeout);

  live("lists and creates vaults", async () => {
    await remote.createVault("notes");
    const names = (await remote.listVaults()).map((v) => v.name);
    expect(names).toContain("notes");
    const dup = await remote.createVault("notes").catch((e: unknown) => e);
    expect((dup as RemoteError).code).toMatch(/already_exists|invalid_argument/);
  });

  live("commits a put with a TypeScript delta, fetches it back by FetchPage and patches it", async () => {
    await remote.createVault("put");
    const v1 = text("# Title\n\nfirst line\nsecond line\n".repeat(50));
    const [applied] = await remote.commit("put", [{ kind: "put", path: "a.md", base: null, delta: await writeDelta(null, v1) }]);
    expect(applied.kind).toBe("applied");
    const h1 = await sha256(v1);
    expect(applied.kind === "applied" && hex(applied.change.hash)).toBe(hex(h1));
    expect(Buffer.from(await fetchAndPatch(remote, "put", { target: h1, base: null }, null)).equals(Buffer.from(v1))).toBe(true);

    // A one-line edit: the delta against v1's signature, and the download of v1 -> v2.
    const v2 = Buffer.from(v1);
    v2.write("EDITED", 500);
    const delta = await writeDelta(await readSignature(await writeSignature(v1)), v2);
    expect(delta.length).toBeLessThan(400);
    const sentBefore = remote.wireStats();
    const [second] = await remote.commit("put", [{ kind: "put", path: "a.md", base: h1, delta }]);
    const sent = remote.wireStats();
    expect(second.kind).toBe("applied");
    const h2 = await sha256(v2);
    expect(Buffer.from(await fetchAndPatch(remote, "put", { target: h2, base: h1 }, v1)).equals(v2)).toBe(true);
    const got = remote.wireStats();
    const up = sent.bytesSent + sent.bytesReceived - sentBefore.bytesSent - sentBefore.bytesReceived;
    const down = got.bytesSent + got.bytesReceived - sent.bytesSent - sent.bytesReceived;
    process.stdout.write(
      `one-line edit of a ${v1.length}-byte note: delta ${delta.length} bytes; commit ${up} bytes on the wire, FetchPage ${down} bytes (bodies + header estimate)\n`,
    );
    expect(down).toBeLessThan(2000);

    const m = await remote.manifest("put");
    expect(m.entries.map((e) => [e.path, hex(e.hash)])).toEqual([["a.md", hex(h2)]]);
    expect(m.headSeq).toBeGreaterThanOrEqual(2);
  });

  const v1 = text("one\n");

  live("a stale commit's outcome carries the current entry", async () => {
    await remote.createVault("stale");
    const h1 = await sha256(v1);
    await remote.commit("stale", [{ kind: "put", path: "s.md", base: null, delta: await writeDelta(null, v1) }]);
    const wrongBase = new Uint8Array(32).fill(1);
    const [o] = await remote.commit("stale", [{ kind: "put", path: "s.md", base: wrongBase, delta: await writeDelta(null, text("two\n")) }]);
    expect(o.kind).toBe("stale");
    expect(o.kind === "stale" && o.current && hex(o.current.hash)).toBe(hex(h1));
  });

  live("a stale push is a StaleError with the current entry", async () => {
    await remote.createVault("stalepush");
    const h1 = await sha256(v1);
    await remote.commit("stalepush", [{ kind: "put", path: "s.md", base: null, delta: await writeDelta(null, v1) }]);
    const e = await remote.push("stalepush", "s.md", null, await writeDelta(null, text("three\n"))).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StaleError);
    expect((e as StaleError).path).toBe("s.md");
    expect(hex((e as StaleError).current!.hash)).toBe(hex(h1));
  }, undefined, true);

  live("pushes a 10 MiB file in parts and fetches it back in pages", async () => {
    await remote.createVault("big");
    const big = new Uint8Array(10 << 20);
    let x = 12345;
    for (let i = 0; i < big.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) | 0;
      big[i] = x >>> 24;
    }
    const calls = remote.wireStats().calls;
    const makeDelta = async function* () {
      const enc = await DeltaEncoder.create(null);
      for (let i = 0; i < big.length; i += 1 << 20) yield* enc.update(big.subarray(i, i + (1 << 20)));
      yield* enc.finish();
    };
    const entry = await remote.push("big", "blob.bin", null, makeDelta);
    expect(remote.wireStats().calls - calls).toBe(3); // 10 MiB + framing in parts of 4 MiB
    expect(entry.size).toBe(big.length);
    const h = await sha256(big);
    expect(hex(entry.hash)).toBe(hex(h));
    const back = await fetchAndPatch(remote, "big", { target: h, base: null }, null);
    expect(hex(await sha256(back))).toBe(hex(h));
  }, 120_000, true);

  live("waitChanges wakes on another device's commit", async () => {
    await remote.createVault("live");
    const head = (await remote.changesSince("live", 0)).headSeq;
    const started = Date.now();
    const waiting = remote.waitChanges("live", head, 30_000);
    await delay(300);
    const other = remoteFor(server, "other");
    await other.commit("live", [{ kind: "put", path: "n.md", base: null, delta: await writeDelta(null, text("hi\n")) }]);
    const page = await waiting;
    expect(page.changes.map((c) => [c.op, c.path, c.device])).toEqual([["put", "n.md", "other"]]);
    expect(Date.now() - started).toBeLessThan(20_000);
    const idle = Date.now();
    const empty = await remote.waitChanges("live", page.headSeq, 500);
    expect(empty.changes).toEqual([]);
    expect(Date.now() - idle).toBeGreaterThanOrEqual(400);
  }, 60_000);
});
