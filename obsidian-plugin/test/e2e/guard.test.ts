// The mass-delete guard against the real server: a plugin core that lost most of its notes asks,
// holds the deletes back when the answer is no (the rest of the round still runs), deletes when
// it is yes; the other core then applies the confirmed deletes without asking.
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverSkipReason, startServer, type ServerHandle } from "../harness/server";
import { pluginReplica, snapshot } from "./replicas";

const noJar = serverSkipReason();

describe.skipIf(noJar !== null)("mass-delete guard against the real server", () => {
  let server: ServerHandle;

  beforeAll(async () => {
    server = await startServer({ tokenNames: ["a", "b"] });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("asks, holds back on no, deletes on yes; a confirmed delete is applied elsewhere without asking", async () => {
    const asked: number[] = [];
    let answer = false;
    const a = pluginReplica(server, "guard", "a", { confirmDeletes: (paths) => (asked.push(paths.length), Promise.resolve(answer)) });
    const bAsked: number[] = [];
    const b = pluginReplica(server, "guard", "b", { confirmDeletes: (paths) => (bAsked.push(paths.length), Promise.resolve(false)) });
    await a.remote.createVault("guard");
    for (let i = 0; i < 20; i++) await writeFile(join(a.dir, `n${i}.md`), `note ${i}\n`);
    await a.engine.syncNow();
    await b.engine.syncNow();
    for (let i = 0; i < 15; i++) await rm(join(a.dir, `n${i}.md`));
    await writeFile(join(a.dir, "new.md"), "new\n");
    const held = await a.engine.syncNow();
    expect(asked).toEqual([15]);
    expect(held.notSynced.filter((n) => /held back/.test(n.reason))).toHaveLength(15);
    await b.engine.syncNow();
    expect((await snapshot(b.dir)).size).toBe(21); // nothing deleted, the new note arrived
    answer = true;
    await a.engine.syncNow();
    expect(asked).toEqual([15, 15]);
    await b.engine.syncNow();
    expect(bAsked).toEqual([]);
    expect([...(await snapshot(b.dir)).keys()].sort()).toEqual(["n15.md", "n16.md", "n17.md", "n18.md", "n19.md", "new.md"]);
  });
});
