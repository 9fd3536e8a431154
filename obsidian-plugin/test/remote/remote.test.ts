import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  ChangeOp,
  CommitRequestSchema,
  CommitResponseSchema,
  FetchPageRequestSchema,
  FetchPageResponseSchema,
  GetManifestPageRequestSchema,
  LimitRefusalSchema,
  ListVaultsResponseSchema,
  ManifestPageSchema,
  RemoteEntrySchema,
  UploadPartRequestSchema,
  UploadPartResponseSchema,
} from "../../src/gen/vaultsync/v1/vaultsync_pb";
import {
  AuthError,
  fetchHttp,
  LimitError,
  MassDeleteRefusedError,
  OfflineError,
  RemoteError,
  StaleError,
  VaultRemote,
  type Mutation,
} from "../../src/remote";
import { b64, decode, FakeHttp, json, ok } from "./fake-http";

const HASH = new Uint8Array(32).fill(7);
const HASH2 = new Uint8Array(32).fill(9);

function remote(http: FakeHttp, pageBytes?: number): VaultRemote {
  return new VaultRemote({
    baseUrl: "http://127.0.0.1:1/",
    token: "tok",
    http: http.fn,
    retryDelaysMs: [0, 0, 0],
    pageBytes,
    sleep: () => Promise.resolve(),
  });
}

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(RemoteError);
  return e as RemoteError;
}

describe("Connect calls", () => {
  it("POSTs protobuf with the Connect headers and the bearer token to /vaultsync.v1.VaultSync/Method", async () => {
    const http = new FakeHttp().on("ListVaults", () =>
      ok(ListVaultsResponseSchema, { vaults: [{ name: "notes", files: 3n, bytes: 10n, headSeq: 4n }] }),
    );
    const vaults = await remote(http).listVaults();
    expect(vaults).toEqual([{ name: "notes", files: 3, bytes: 10, headSeq: 4, lastChangeMillis: null }]);
    const req = http.requests[0].req;
    expect(req.url).toBe("http://127.0.0.1:1/vaultsync.v1.VaultSync/ListVaults");
    expect(req.method).toBe("POST");
    expect(req.headers["Content-Type"]).toBe("application/proto");
    expect(req.headers["Connect-Protocol-Version"]).toBe("1");
    expect(req.headers.Authorization).toBe("Bearer tok");
  });

  it("maps errors: JSON codes, auth, offline, stale with its current entry, mass delete, limits, malformed trailers", async () => {
    const current = toBinary(RemoteEntrySchema, create(RemoteEntrySchema, { path: "a.md", hash: HASH, size: 5n, seq: 9n }));
    const limit = toBinary(
      LimitRefusalSchema,
      create(LimitRefusalSchema, { vault: "v", kind: { case: "quotaExceeded", value: { usage: 10n, adding: 5n, quota: 12n } } }),
    );
    let answer = json(null, "not_found", "vault \"x\" does not exist");
    const http = new FakeHttp()
      .on("ListVaults", () => answer)
      .on("UploadPart", () => answer)
      .on("Commit", () => answer);
    const r = remote(http);

    let e = await failure(r.listVaults());
    expect(e.code).toBe("not_found");
    expect(e.message).toContain('vault "x" does not exist');

    answer = json(null, "unauthenticated", "unknown device token");
    expect(await failure(r.listVaults())).toBeInstanceOf(AuthError);

    answer = { status: 502, headers: { "content-type": "text/html" }, body: new Uint8Array(3) };
    e = await failure(r.listVaults());
    expect(e).toBeInstanceOf(OfflineError);
    expect(http.calls("ListVaults").length).toBe(2 + 4); // retried 3 times

    answer = json(null, "aborted", "stale", { "vaultsync-current-bin": b64(current) });
    e = await failure(r.push("v", "a.md", HASH2, new Uint8Array(10)));
    expect(e).toBeInstanceOf(StaleError);
    expect((e as StaleError).path).toBe("a.md");
    expect((e as StaleError).current).toEqual({ path: "a.md", hash: HASH, size: 5, seq: 9 });

    answer = json(null, "aborted", "stale", { "vaultsync-current-bin": b64(current).replace(/=+$/, "") });
    expect(((await failure(r.push("v", "a.md", HASH2, new Uint8Array(10)))) as StaleError).current?.seq).toBe(9);

    answer = json(null, "aborted", "stale");
    expect(((await failure(r.push("v", "a.md", null, new Uint8Array(10)))) as StaleError).current).toBeNull();

    answer = json(null, "failed_precondition", "mass delete", {
      "vaultsync-mass-delete": "deletes=40;files=50;maxFiles=25;maxPercent=30;percentFloor=10",
    });
    e = await failure(r.commit("v", [{ kind: "delete", path: "a.md", expected: HASH }]));
    expect(e).toBeInstanceOf(MassDeleteRefusedError);
    expect((e as MassDeleteRefusedError).deletes).toBe(40);
    expect((e as MassDeleteRefusedError).maxFiles).toBe(25);

    answer = json(null, "resource_exhausted", "quota", { "vaultsync-limit-bin": b64(limit) });
    e = await failure(r.commit("v", []));
    expect(e).toBeInstanceOf(LimitError);
    expect((e as LimitError).refusal).toEqual({ kind: "quota-exceeded", vault: "v", usage: 10, adding: 5, quota: 12 });

    answer = json(null, "resource_exhausted", "quota", { "vaultsync-limit-bin": "!!notbase64" });
    e = await failure(r.commit("v", []));
    expect(e.constructor).toBe(RemoteError);
    expect(e.message).toMatch(/malformed trailer/);
  });

  it("a request that gets no answer is an OfflineError naming the server", async () => {
    const http = new FakeHttp().on("ListVaults", () => ok(ListVaultsResponseSchema, {}));
    http.loseAnswers = 10;
    const e = await failure(remote(http).listVaults());
    expect(e).toBeInstanceOf(OfflineError);
    expect(e.message).toMatch(/cannot reach the server at http:\/\/127.0.0.1:1: fetch failed/);
  });

  it("counts bytes on the wire", async () => {
    const http = new FakeHttp().on("ListVaults", () => ok(ListVaultsResponseSchema, { vaults: [{ name: "n" }] }));
    const r = remote(http);
    await r.listVaults();
    const s = r.wireStats();
    expect(s.calls).toBe(1);
    expect(s.bytesSent).toBeGreaterThan(100);
    expect(s.bytesReceived).toBeGreaterThan(20);
  });
});

describe("paging", () => {
  it("reads the manifest in pages at the first page's seq", async () => {
    const paths = Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, "0")}.md`);
    const http = new FakeHttp().on("GetManifestPage", (body) => {
      const q = decode(GetManifestPageRequestSchema, body);
      const from = q.afterPath === "" ? 0 : paths.indexOf(q.afterPath) + 1;
      const page = paths.slice(from, from + 10);
      return ok(ManifestPageSchema, {
        headSeq: q.atSeq === 0n ? 77n : q.atSeq,
        entries: page.map((p) => ({ path: p, hash: HASH, size: 1n, seq: 3n })),
        done: from + 10 >= paths.length,
      });
    });
    const m = await remote(http).manifest("v");
    expect(m.headSeq).toBe(77);
    expect(m.entries.map((e) => e.path)).toEqual(paths);
    const asked = http.calls("GetManifestPage").map((c) => decode(GetManifestPageRequestSchema, c.body!));
    expect(asked.map((q) => q.atSeq)).toEqual([0n, 77n, 77n]);
  });

  it("fetches in pages, resumes inside an item, hands parts to the sink in order, splits past 1,000 items", async () => {
    const deltas = Array.from({ length: 1003 }, (_, i) => new Uint8Array(i === 1 ? 300_000 : 10).fill(i & 255));
    let pages = 0;
    const http = new FakeHttp().on("FetchPage", (body) => {
      pages++;
      const q = decode(FetchPageRequestSchema, body);
      expect(q.items.length).toBeLessThanOrEqual(1000);
      const firstTarget = q.items[0].target[0] | (q.items[0].target[1] << 8);
      const parts: { index: number; data?: Uint8Array; end?: boolean; notFound?: string }[] = [];
      let budget = q.maxBytes;
      let index = q.startIndex;
      let offset = Number(q.startOffset);
      while (index < q.items.length && budget > 0) {
        const id = firstTarget + index;
        if (id === 2) {
          parts.push({ index, notFound: "no such target" });
          index++;
          offset = 0;
          continue;
        }
        const d = deltas[id];
        const n = Math.min(budget, d.length - offset);
        parts.push({ index, data: d.subarray(offset, offset + n), end: offset + n === d.length });
        budget -= n;
        offset += n;
        if (offset === d.length) {
          index++;
          offset = 0;
        }
      }
      return ok(FetchPageResponseSchema, { parts, nextIndex: index, nextOffset: BigInt(offset), done: index >= q.items.length });
    });
    http.loseAnswers = 1; // the first page's answer is lost once: asked again
    const items = deltas.map((_, i) => ({ target: Uint8Array.of(i & 255, i >> 8, ...new Uint8Array(30)), base: null }));
    const got = new Map<number, number[]>();
    const ends: number[] = [];
    const missing: number[] = [];
    await remote(http, 64 * 1024).fetch("v", items, {
      data: (i, b) => {
        expect(ends).not.toContain(i);
        got.set(i, [...(got.get(i) ?? []), ...b]);
      },
      end: (i) => {
        ends.push(i);
      },
      notFound: (i) => {
        missing.push(i);
      },
    });
    expect(missing).toEqual([2]);
    expect(ends.length).toBe(1002);
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    expect(Buffer.from(got.get(1)!).equals(Buffer.from(deltas[1]))).toBe(true);
    expect(Buffer.from(got.get(1002)!).equals(Buffer.from(deltas[1002]))).toBe(true);
    expect(pages).toBeGreaterThan(5);
  });
});

describe("uploads", () => {
  function uploadServer(opts: { forgetAt?: number } = {}) {
    const held = new Map<string, number[]>();
    let forget = opts.forgetAt;
    const http = new FakeHttp().on("UploadPart", (body, req) => {
      const q = decode(UploadPartRequestSchema, body);
      expect(req.headers["Vaultsync-Upload"]).toBe(q.uploadId);
      expect(q.uploadId).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
      expect(q.data.length).toBeLessThanOrEqual(64 * 1024);
      if (q.offset === 0n) {
        expect(q.header?.path).toBe("big.bin");
        held.set(q.uploadId, []);
      } else {
        expect(q.header).toBeUndefined();
      }
      const h = held.get(q.uploadId);
      if (!h || (forget !== undefined && Number(q.offset) >= forget)) {
        forget = undefined;
        held.delete(q.uploadId);
        return json(null, "not_found", `no such upload "${q.uploadId}"`);
      }
      if (Number(q.offset) === h.length) h.push(...q.data); // a part sent again is not stored twice
      return ok(UploadPartResponseSchema, {
        received: BigInt(h.length),
        entry: q.last ? { path: "big.bin", hash: HASH, size: BigInt(h.length), seq: 12n } : undefined,
      });
    });
    return { http, held };
  }

  const delta = new Uint8Array(200_000).map((_, i) => i * 7);
  const pieces = () => [delta.subarray(0, 1000), delta.subarray(1000, 150_000), delta.subarray(150_000)];

  it("sends parts of at most the part size, the header only first, and resends a part whose answer was lost", async () => {
    const { http, held } = uploadServer();
    http.loseAnswers = 1;
    const entry = await remote(http, 64 * 1024).push("v", "big.bin", null, pieces);
    expect(entry.seq).toBe(12);
    const parts = http.calls("UploadPart").map((c) => decode(UploadPartRequestSchema, c.body!));
    expect(parts.map((p) => Number(p.offset))).toEqual([0, 0, 65536, 131072, 196608]);
    expect(parts.map((p) => p.last)).toEqual([false, false, false, false, true]);
    const stored = [...held.values()][0];
    expect(Buffer.from(stored).equals(Buffer.from(delta))).toBe(true);
  });

  it("starts over with a new id on \"no such upload\"", async () => {
    const { http, held } = uploadServer({ forgetAt: 65536 });
    await remote(http, 64 * 1024).push("v", "big.bin", null, pieces);
    const ids = new Set(http.calls("UploadPart").map((c) => decode(UploadPartRequestSchema, c.body!).uploadId));
    expect(ids.size).toBe(2);
    expect(Buffer.from([...held.values()][0]).equals(Buffer.from(delta))).toBe(true);
  });
});

describe("commit", () => {
  it("cuts batches at 500 mutations and 7 MiB and fills compact outcomes in from the mutations", async () => {
    const sizes: number[] = [];
    const http = new FakeHttp().on("Commit", (body) => {
      const q = decode(CommitRequestSchema, body);
      expect(q.compactOutcomes).toBe(true);
      expect(q.refusedOutcomes).toBe(true);
      expect(body.length).toBeLessThanOrEqual(7 * 1024 * 1024 + 1024);
      sizes.push(q.mutations.length);
      return ok(CommitResponseSchema, {
        outcomes: q.mutations.map((m, i) =>
          m.kind.case === "move"
            ? { kind: { case: "applied" as const, value: { seq: BigInt(i + 1), op: ChangeOp.MOVE, size: 3n } } }
            : m.kind.case === "delete"
              ? { kind: { case: "refused" as const, value: { path: m.kind.value.path, reason: "no" } } }
              : { kind: { case: "applied" as const, value: { seq: BigInt(i + 1), op: ChangeOp.PUT, hash: HASH2, size: 3n } } },
        ),
      });
    });
    const muts: Mutation[] = [];
    for (let i = 0; i < 1100; i++) muts.push({ kind: "move", path: `a${i}.md`, to: `b${i}.md`, expected: HASH });
    for (let i = 0; i < 3; i++) muts.push({ kind: "put", path: `big${i}.bin`, base: null, delta: new Uint8Array(3 << 20) });
    muts.push({ kind: "delete", path: "gone.md", expected: HASH });
    const out = await remote(http).commit("v", muts);
    expect(sizes).toEqual([500, 500, 102, 2]); // 100 moves + two 3 MiB puts, then the third put and the delete
    expect(out.length).toBe(muts.length);
    expect(out[0]).toEqual({
      kind: "applied",
      change: expect.objectContaining({ op: "move", path: "b0.md", previousPath: "a0.md", hash: HASH }) as unknown,
    });
    expect(out[1100]).toEqual({ kind: "applied", change: expect.objectContaining({ op: "put", path: "big0.bin", hash: HASH2 }) as unknown });
    expect(out[1103]).toEqual({ kind: "refused", path: "gone.md", reason: "no" });
  });

  it("an empty commit is still one call", async () => {
    const http = new FakeHttp().on("Commit", () => ok(CommitResponseSchema, {}));
    expect(await remote(http).commit("v", [])).toEqual([]);
    expect(http.calls("Commit").length).toBe(1);
  });
});

describe("fetchHttp", () => {
  it("passes method, headers and body to fetch, and gives back status, lower-case headers and the body", async () => {
    const seen: { url: string; method: string; body?: Uint8Array; headers: Record<string, string> }[] = [];
    const http = fetchHttp((url, init) => {
      seen.push({ url, method: init.method, body: init.body, headers: init.headers });
      expect(init.signal).toBeDefined();
      return Promise.resolve(
        new Response(Uint8Array.of(1, 2, 3), { status: 409, headers: { "Trailer-Vaultsync-Current-Bin": "AQ==" } }),
      );
    });
    const res = await http({ url: "http://h/x", method: "POST", headers: { A: "b" }, body: Uint8Array.of(9), timeoutMs: 1000 });
    expect(seen).toEqual([{ url: "http://h/x", method: "POST", body: Uint8Array.of(9), headers: { A: "b" } }]);
    expect(res.status).toBe(409);
    expect(res.headers["trailer-vaultsync-current-bin"]).toBe("AQ==");
    expect([...res.body]).toEqual([1, 2, 3]);
  });
});
