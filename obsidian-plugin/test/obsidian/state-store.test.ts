import { describe, expect, it } from "vitest";
import { FakeAdapter } from "../fake-obsidian";
import { AdapterStateStore } from "../../src/obsidian/state-store";

describe("AdapterStateStore", () => {
  it("saves through a temp file, loads what it saved, and nothing before the first save", async () => {
    const adapter = new FakeAdapter();
    const store = new AdapterStateStore(adapter as never, "cfg/plugins/vaultsync/sync-state.json");
    expect(await store.load()).toBeNull();
    await store.save(new TextEncoder().encode("one"));
    await store.save(new TextEncoder().encode("two"));
    expect(new TextDecoder().decode((await store.load()) ?? new Uint8Array())).toBe("two");
    const stateWrites = adapter.writes.filter((w) => w.op === "write" && !w.path.endsWith(".owner"));
    expect(stateWrites.map((w) => w.path)).toEqual(["cfg/plugins/vaultsync/sync-state.json.new", "cfg/plugins/vaultsync/sync-state.json.new"]);
  });

  it("loads the new state a save left under its temp name when it stopped before the rename", async () => {
    const adapter = new FakeAdapter();
    await adapter.mkdir("p");
    await adapter.writeBinary("p/s.json.new", new TextEncoder().encode("newer").buffer);
    const store = new AdapterStateStore(adapter as never, "p/s.json");
    expect(new TextDecoder().decode((await store.load()) ?? new Uint8Array())).toBe("newer");
  });

  it("loads no state for another server or vault than the one that saved it", async () => {
    const adapter = new FakeAdapter();
    await adapter.mkdir("p");
    await new AdapterStateStore(adapter as never, "p/s.json", "http://a:1 notes").save(new TextEncoder().encode("{}"));
    expect(await new AdapterStateStore(adapter as never, "p/s.json", "http://a:1 notes").load()).not.toBeNull();
    expect(await new AdapterStateStore(adapter as never, "p/s.json", "http://b:1 notes").load()).toBeNull();
    expect(await new AdapterStateStore(adapter as never, "p/s.json", "http://a:1 work").load()).toBeNull();
  });
});
