// Two plugin cores and the Java CLI on one vault of the real server converge to equal bytes with
// no note lost: a fixed scenario (edits, a rename, a folder move, deletes, a concurrent text edit
// that merges, a binary conflict that keeps both) and a seeded random one (seed printed; set
// VS_E2E_SEED to replay). Skips without the jar outside CI (test/harness).
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverSkipReason, startServer, type ServerHandle } from "../harness/server";
import { allText, cliReplica, converge, pluginReplica, snapshot, type Replica } from "./replicas";

const noJar = serverSkipReason();

async function put(r: Replica, path: string, text: string | Uint8Array): Promise<void> {
  const full = join(r.dir, ...path.split("/"));
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, text);
}

async function text(r: Replica, path: string): Promise<string> {
  return readFile(join(r.dir, ...path.split("/")), "utf8");
}

const body = (n: number, tag: string): string => Array.from({ length: n }, (_, i) => `${tag} line ${i}\n`).join("");

describe.skipIf(noJar !== null)("two plugin cores and the CLI on one vault", () => {
  let server: ServerHandle;

  beforeAll(async () => {
    server = await startServer({ tokenNames: ["a", "b", "cli", "r1", "r2", "rcli"] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("a fixed scenario converges to equal bytes with no note lost", async () => {
    const a = pluginReplica(server, "fixed", "a");
    await a.remote.createVault("fixed");
    await put(a, "Inbox.md", body(30, "inbox"));
    await put(a, "Projects/plan.md", body(20, "plan"));
    await put(a, "Projects/todo.md", body(5, "todo"));
    await put(a, "old.md", "delete me\n");
    await put(a, "pic.bin", new Uint8Array([1, 2, 3, 4]));
    await a.engine.syncNow();
    const cli = await cliReplica(server, "fixed", "cli");
    const b = pluginReplica(server, "fixed", "b");
    await b.engine.syncNow();
    expect(await snapshot(b.dir)).toEqual(await snapshot(a.dir));
    expect(await snapshot(cli.dir)).toEqual(await snapshot(a.dir));

    // Concurrent edits on all three: a text edit at the top (a) and the bottom (cli) of Inbox,
    // the same binary changed on a and b, a folder move on b, a delete on cli, new notes.
    await put(a, "Inbox.md", "top from a\n" + body(30, "inbox"));
    await put(cli, "Inbox.md", body(30, "inbox") + "bottom from cli\n");
    await put(a, "pic.bin", new Uint8Array([9, 9]));
    await put(b, "pic.bin", new Uint8Array([7, 7, 7]));
    await rename(join(b.dir, "Projects"), join(b.dir, "Archive"));
    b.engine.notify({ type: "rename", path: "Archive", oldPath: "Projects" });
    await rm(join(cli.dir, "old.md"));
    await put(cli, "from-cli.md", "cli note\n");
    await put(b, "from-b.md", "b note\n");
    await a.engine.syncNow();
    await cli.sync();
    const rb = await b.engine.syncNow();
    expect(rb.tally.moved).toBe(2);
    await converge([a, b, cli]);

    const sa = await snapshot(a.dir);
    expect(await snapshot(b.dir)).toEqual(sa);
    expect(await snapshot(cli.dir)).toEqual(sa);
    expect(await text(a, "Inbox.md")).toBe("top from a\n" + body(30, "inbox") + "bottom from cli\n");
    expect(sa.has("old.md")).toBe(false);
    expect(sa.has("Archive/plan.md") && sa.has("Archive/todo.md") && !sa.has("Projects/plan.md")).toBe(true);
    expect(sa.has("from-cli.md") && sa.has("from-b.md")).toBe(true);
    const copies = [...sa.keys()].filter((p) => /^pic \(conflict .+\)\.bin$/.test(p));
    expect(copies, [...sa.keys()].join(", ")).toHaveLength(1);
    const both = [await readFile(join(a.dir, "pic.bin")), await readFile(join(a.dir, copies[0]))].map((x) => [...x].join(",")).sort();
    expect(both).toEqual(["7,7,7", "9,9"]);
  });

  it("a seeded random scenario converges with no note lost", async () => {
    const seed = Number(process.env.VS_E2E_SEED ?? Date.now() % 1_000_000);
    process.stdout.write(`converge e2e seed ${seed} (replay: VS_E2E_SEED=${seed})\n`);
    let state = seed;
    const rnd = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    const r1 = pluginReplica(server, "random", "r1");
    await r1.remote.createVault("random");
    for (let i = 0; i < 12; i++) await put(r1, `f${i % 3}/n${i}.md`, `id n${i}\n`);
    await r1.engine.syncNow();
    const r2 = pluginReplica(server, "random", "r2");
    await r2.engine.syncNow();
    const rc = await cliReplica(server, "random", "rcli");
    const replicas: Replica[] = [r1, r2, rc];
    const deleted = new Set<string>(); // note ids someone deleted
    const edits = new Map<string, string[]>(); // note id → edit tokens
    let nextId = 100;
    let nextEdit = 0;
    for (let step = 0; step < 40; step++) {
      const r = replicas[rnd(3)];
      const files = [...(await snapshot(r.dir)).keys()].filter((p) => p.endsWith(".md")).sort();
      const op = files.length === 0 ? 0 : rnd(10);
      if (op <= 1) {
        const id = `n${nextId++}`;
        await put(r, `f${rnd(4)}/${id}.md`, `id ${id}\n`);
      } else if (op <= 5) {
        const p = files[rnd(files.length)];
        const content = await text(r, p);
        const id = /^id (\S+)/.exec(content)?.[1] ?? p;
        const token = `edit-${nextEdit++}`;
        edits.set(id, [...(edits.get(id) ?? []), token]);
        await put(r, p, rnd(2) === 0 ? content + token + "\n" : content.replace(/\n/, `\n${token}\n`));
      } else if (op <= 7) {
        const p = files[rnd(files.length)];
        const to = `f${rnd(4)}/moved-${step}-${p.split("/").pop()}`;
        await mkdir(dirname(join(r.dir, to)), { recursive: true });
        await rename(join(r.dir, p), join(r.dir, to));
        if (r.kind === "plugin") r.engine.notify({ type: "rename", path: to, oldPath: p });
      } else if (op === 8) {
        const p = files[rnd(files.length)];
        deleted.add(/^id (\S+)/.exec(await text(r, p))?.[1] ?? p);
        await rm(join(r.dir, p));
      } else {
        const r2x = replicas[rnd(3)];
        if (r2x.kind === "plugin") await r2x.engine.syncNow();
        else await r2x.sync();
      }
    }
    await converge(replicas, 6);
    const s1 = await snapshot(r1.dir);
    expect(await snapshot(r2.dir)).toEqual(s1);
    expect(await snapshot(rc.dir)).toEqual(s1);
    const all = await allText(r1.dir);
    for (const [id, tokens] of edits) {
      if (deleted.has(id)) continue;
      for (const t of tokens) expect(all, `seed ${seed}: ${t} of ${id}`).toContain(t);
    }
  });
});
