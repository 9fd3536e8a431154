// The figures issue 15 asks for, measured against the real server and printed: bytes on the wire
// (VaultRemote.wireStats: whole HTTP bodies plus an estimate of request and header lines) for a
// one-line edit to a note in a vault of 300 notes (beside the CLI's --json bytes for the same
// edit) and for a burst of 50 renames; the peak memory of a core downloading a 100 MB attachment.
import { randomFillSync } from "node:crypto";
import { createWriteStream } from "node:fs";
import { readFile, rename, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { setInterval as every, clearInterval as cancelEvery } from "node:timers";
import { setTimeout as pause } from "node:timers/promises";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverSkipReason, startServer, type ServerHandle } from "../harness/server";
import { cliReplica, pluginReplica, snapshot, type PluginReplica } from "./replicas";

const noJar = serverSkipReason();
const note = (i: number): string => `# Note ${i}\n\n` + Array.from({ length: 40 }, (_, k) => `Line ${k} of note ${i}: some words to make a realistic note body.\n`).join("");

function wire(r: PluginReplica): number {
  const s = r.remote.wireStats();
  return s.bytesSent + s.bytesReceived;
}

/** The protobuf bodies alone, as the CLI's --json counts its gRPC messages. */
function bodies(r: PluginReplica): number {
  const s = r.remote.wireStats();
  return s.bodyBytesSent + s.bodyBytesReceived;
}

describe.skipIf(noJar !== null)("figures: bytes on the wire and peak memory", () => {
  let server: ServerHandle;

  beforeAll(async () => {
    server = await startServer({ tokenNames: ["a", "b", "cli"], extraArgs: [] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("a one-line edit in a vault of 300 notes, and a 50-rename burst, cost a few KiB", async () => {
    const a = pluginReplica(server, "wire", "a");
    await a.remote.createVault("wire");
    for (let i = 0; i < 300; i++) {
      await mkdir(join(a.dir, `f${i % 10}`), { recursive: true });
      await writeFile(join(a.dir, `f${i % 10}`, `note-${i}.md`), note(i));
    }
    await a.engine.syncNow();
    const b = pluginReplica(server, "wire", "b");
    await b.engine.syncNow();
    const cli = await cliReplica(server, "wire", "cli");

    const file = join(a.dir, "f7", "note-7.md");
    await writeFile(file, (await readFile(file, "utf8")).replace("Line 20 of note 7", "Line 20 (edited) of note 7"));
    let before = wire(a);
    const bodiesBefore = bodies(a);
    await a.engine.syncNow();
    const editUp = wire(a) - before;
    const editUpBodies = bodies(a) - bodiesBefore;
    before = wire(b);
    const rb = await b.engine.syncNow();
    const editDown = wire(b) - before;
    expect(rb.tally.down).toBe(1);

    const cliFile = join(cli.dir, "f8", "note-8.md");
    await cli.sync(); // take a's edit first
    await writeFile(cliFile, (await readFile(cliFile, "utf8")).replace("Line 20 of note 8", "Line 20 (edited) of note 8"));
    const cliUp = await cli.sync();
    const cliBytes = Number(cliUp.bytesSent) + Number(cliUp.bytesReceived);
    before = wire(b);
    await b.engine.syncNow();
    const cliEditDown = wire(b) - before;

    const renames = [];
    for (let i = 0; i < 50; i++) renames.push([`f${i % 10}/note-${i + 100}.md`, `renamed/r-${i}.md`]);
    await mkdir(join(a.dir, "renamed"), { recursive: true });
    for (const [from, to] of renames) {
      await rename(join(a.dir, from), join(a.dir, to));
      a.engine.notify({ type: "rename", path: to, oldPath: from });
    }
    before = wire(a);
    const ra = await a.engine.syncNow();
    const renameUp = wire(a) - before;
    before = wire(b);
    const rb2 = await b.engine.syncNow();
    const renameDown = wire(b) - before;
    expect(ra.tally.moved).toBe(50);
    expect(rb2.tally.moved).toBe(50);
    expect(await snapshot(b.dir)).toEqual(await snapshot(a.dir));

    process.stdout.write(
      `FIGURES wire: one-line edit in 300 notes: plugin up ${editUp} B (protobuf bodies alone ${editUpBodies} B), plugin down ${editDown} B; ` +
        `CLI up (--json bytesSent+bytesReceived) ${cliBytes} B, plugin down of the CLI's edit ${cliEditDown} B; ` +
        `50-rename burst: plugin up ${renameUp} B, plugin down ${renameDown} B\n`,
    );
    expect(editUp).toBeLessThan(16 * 1024);
    // The same bytes as the CLI's, headers aside: within 2x of its --json count.
    expect(editUpBodies).toBeLessThan(2 * cliBytes + 64);
    expect(editDown).toBeLessThan(16 * 1024);
    expect(renameUp).toBeLessThan(64 * 1024);
    expect(renameDown).toBeLessThan(64 * 1024);
  });

  it("a 100 MB attachment uploads from one core and downloads to another in bounded memory", async () => {
    const a = pluginReplica(server, "big", "a");
    await a.remote.createVault("big");
    const size = 100 * 1024 * 1024;
    await new Promise<void>((done, fail) => {
      const out = createWriteStream(join(a.dir, "video.bin"));
      const chunk = Buffer.alloc(1 << 20);
      let written = 0;
      const more = (): void => {
        while (written < size) {
          randomFillSync(chunk);
          written += chunk.length;
          if (!out.write(chunk)) return void out.once("drain", more);
        }
        out.end(done);
      };
      out.on("error", fail);
      more();
    });
    // Memory held, not garbage waiting for the collector: a full collection before each phase
    // (so no garbage of the phase before can be freed during the next and hide its growth) and
    // before each sample (every 250 ms uploading, 100 ms downloading), so each sample is what the phase keeps alive then.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const measure = async (work: () => Promise<unknown>, sampleMs: number): Promise<{ heap: number; buffers: number; base: { heap: number; buffers: number }; ms: number }> => {
      // ArrayBuffer backing stores are released after the collection, off the main thread: let
      // that happen before the baseline is read.
      for (let i = 0; i < 3; i++) {
        gc();
        await pause(100);
      }
      const m0 = process.memoryUsage();
      const base = { heap: m0.heapUsed, buffers: m0.arrayBuffers };
      let heap = base.heap;
      let buffers = base.buffers;
      const t = every(() => {
        gc();
        const m = process.memoryUsage();
        heap = Math.max(heap, m.heapUsed);
        buffers = Math.max(buffers, m.arrayBuffers);
      }, sampleMs);
      const t0 = Date.now();
      try {
        await work();
      } finally {
        cancelEvery(t);
      }
      return { heap, buffers, base, ms: Date.now() - t0 };
    };
    let upResult: unknown;
    let downResult: unknown;
    const up = await measure(async () => (upResult = await a.engine.syncNow()), 250);
    const b = pluginReplica(server, "big", "b");
    const down = await measure(async () => (downResult = await b.engine.syncNow()), 100);
    expect(JSON.stringify([upResult, downResult])).toMatch(/"notSynced":\[\].*"notSynced":\[\]/);
    expect((await snapshot(b.dir)).get("video.bin")).toBe((await snapshot(a.dir)).get("video.bin"));
    const mb = (n: number): string => (n / 1048576).toFixed(1);
    process.stdout.write(
      `FIGURES memory held (full GC before each sample), 100 MB attachment: upload peak heapUsed ${mb(up.heap)} MB, arrayBuffers ${mb(up.buffers)} MB ` +
        `(from ${mb(up.base.heap)} / ${mb(up.base.buffers)}); download peak heapUsed ${mb(down.heap)} MB, arrayBuffers ${mb(down.buffers)} MB ` +
        `(from ${mb(down.base.heap)} / ${mb(down.base.buffers)}); download growth ${mb(down.heap - down.base.heap + down.buffers - down.base.buffers)} MB; upload ${up.ms} ms, download ${down.ms} ms\n`,
    );
    // The baseline must not still hold the upload's buffers, or their release could hide growth.
    expect(down.base.buffers).toBeLessThan(16 * 1024 * 1024);
    expect(down.heap - down.base.heap + (down.buffers - down.base.buffers)).toBeLessThan(32 * 1024 * 1024);
  }, 300_000);
});
