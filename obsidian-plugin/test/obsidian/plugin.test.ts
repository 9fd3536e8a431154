import { beforeEach, describe, expect, it, vi } from "vitest";
import { App, Modal, Notice, TFile, TFolder } from "../fake-obsidian";
import { FakeEngine } from "./fake-engine";
import type { EngineOptions } from "../../src/obsidian/engine-factory";

// The plugin is tested with a fake engine: what it builds, starts, stops and tells.
const made: { engines: FakeEngine[]; options: EngineOptions[] } = { engines: [], options: [] };
vi.mock("../../src/obsidian/engine-factory", () => ({
  createEngine: (o: EngineOptions) => {
    const e = new FakeEngine();
    made.engines.push(e);
    made.options.push(o);
    return e;
  },
  createServerAccess: () => ({ listVaults: () => Promise.resolve(["notes"]), createVault: () => Promise.resolve() }),
}));

const { default: VaultSyncPlugin } = await import("../../src/main");

async function loaded(configured: boolean): Promise<{ app: App; plugin: InstanceType<typeof VaultSyncPlugin> }> {
  const app = new App();
  const plugin = new VaultSyncPlugin(app as never, { id: "vaultsync", name: "vaultsync", version: "0.1.0" } as never);
  if (configured) {
    (plugin as unknown as { data: unknown }).data = { serverUrl: "http://127.0.0.1:7421", vault: "notes", deviceName: "laptop" };
    app.secretStorage?.setSecret("vaultsync-device-token", "vst_t");
  }
  await plugin.onload();
  app.workspace.ready();
  await Promise.resolve();
  return { app, plugin };
}

function reset(): void {
  made.engines.length = 0;
  made.options.length = 0;
  Notice.shown.length = 0;
  Modal.open.length = 0;
}

function statusText(plugin: unknown): string {
  return (plugin as { statusBarItems: { text: string }[] }).statusBarItems[0].text;
}

describe("VaultSyncPlugin", () => {
  beforeEach(reset);

  it("says it is not set up and starts no engine without a server, a token and a vault", async () => {
    const { plugin } = await loaded(false);
    expect(made.engines).toHaveLength(0);
    expect(statusText(plugin)).toBe("vaultsync: not set up");
  });

  it("names a new device once, with random digits, and keeps the name", async () => {
    const { plugin } = await loaded(false);
    const name = (plugin as unknown as { store: { settings: { deviceName: string } } }).store.settings.deviceName;
    expect(name).toMatch(/^obsidian-desktop-[0-9a-f]{4}$/);
    expect((plugin as unknown as { data: { deviceName: string } }).data.deviceName).toBe(name);
  });

  it("starts the engine with the settings and the token from secret storage, and stops it on unload", async () => {
    const { plugin } = await loaded(true);
    expect(made.engines).toHaveLength(1);
    expect(made.options[0]).toMatchObject({ serverUrl: "http://127.0.0.1:7421", vault: "notes", device: "laptop", token: "vst_t" });
    expect(made.engines[0].started).toBe(1);
    await (plugin as unknown as { unloadForTest(): Promise<void> }).unloadForTest();
    expect(made.engines[0].stopped).toBe(1);
  });

  it("hands vault events to the engine, a folder rename as one move per file, and stops listening on unload", async () => {
    const { app, plugin } = await loaded(true);
    const engine = made.engines[0];
    const vault = app.vault;
    const folder = vault.add(new TFolder("b"));
    vault.add(new TFile("b/x.md"));
    vault.trigger("create", new TFile("n.md"));
    vault.trigger("modify", new TFile("n.md"));
    vault.trigger("rename", folder, "a");
    vault.trigger("delete", new TFile("n.md"));
    vault.trigger("create", new TFile("d/.vstmp-n.md"));
    expect(engine.events).toEqual([
      { type: "create", path: "n.md" },
      { type: "modify", path: "n.md" },
      { type: "rename", path: "b/x.md", oldPath: "a/x.md" },
      { type: "delete", path: "n.md" },
    ]);
    await (plugin as unknown as { unloadForTest(): Promise<void> }).unloadForTest();
    expect(vault.listeners("create")).toBe(0);
  });

  it("shows each status in the status bar and tells an outage once, with what to do", async () => {
    const { plugin } = await loaded(true);
    const engine = made.engines[0];
    const seen: string[] = [];
    for (const s of [
      { kind: "syncing", pending: 3 },
      { kind: "synced" },
      { kind: "conflicts", count: 2, paths: ["a (conflict x 2026-01-01 000000).md", "b"] },
      { kind: "offline", message: "cannot reach http://127.0.0.1:7421: refused" },
      { kind: "offline", message: "cannot reach http://127.0.0.1:7421: refused again" },
      { kind: "error", message: "bad things" },
    ] as const) {
      engine.set(s);
      seen.push(statusText(plugin));
    }
    expect(seen).toEqual([
      "vaultsync: syncing 3",
      "vaultsync: synced",
      "vaultsync: 2 conflicts",
      "vaultsync: offline",
      "vaultsync: offline",
      "vaultsync: error",
    ]);
    expect(Notice.shown).toHaveLength(2);
    expect(Notice.shown[0]).toContain("Is the server running with --http");
  });

  it("tells a refused token as such, from the error the server call threw", async () => {
    await loaded(true);
    const auth = Object.assign(new Error("unauthenticated: no such token"), { name: "AuthError" });
    made.options[0].onRemoteError(auth);
    made.engines[0].set({ kind: "error", message: "sync failed: unauthenticated: no such token" });
    expect(Notice.shown[0]).toContain("refused the device token");
    expect(Notice.shown[0]).toContain("vaultsync server token create");
  });

  it("asks before a mass delete: the modal lists the files, and closing it is a no", async () => {
    await loaded(true);
    const answer = made.options[0].confirmDeletes(["a.md", "b.md"], "2 of 3 files");
    const modal = Modal.open[0];
    expect(modal.contentEl.allText()).toEqual(expect.arrayContaining(["a.md", "b.md", "2 of 3 files"]));
    modal.close();
    expect(await answer).toBe(false);
  });
});

describe("commands", () => {
  beforeEach(reset);

  function command(plugin: unknown, id: string): { callback?: () => unknown; checkCallback?: (c: boolean) => unknown } {
    type Command = { id: string; callback?: () => unknown; checkCallback?: (c: boolean) => unknown };
    const c = (plugin as { commands: Command[] }).commands.find((x) => x.id === id);
    if (!c) throw new Error(`no command ${id}`);
    return c;
  }

  it("sync now runs a round, and tells a failure with what to do", async () => {
    const { plugin } = await loaded(true);
    await command(plugin, "sync-now").callback?.();
    expect(made.engines[0].syncs).toBe(1);
    made.engines[0].syncError = Object.assign(new Error("no such token"), { name: "AuthError" });
    await command(plugin, "sync-now").callback?.();
    expect(Notice.shown.at(-1)).toContain("refused the device token");
  });

  it("show conflicts lists the conflict copies, and a click opens one", async () => {
    const { app, plugin } = await loaded(true);
    const copy = "a (conflict phone 2026-01-01 120000).md";
    made.engines[0].set({ kind: "conflicts", count: 1, paths: [copy] });
    await command(plugin, "show-conflicts").callback?.();
    const modal = Modal.open[0];
    modal.contentEl.find(copy)?.click();
    expect(app.workspace.opened).toEqual([copy]);
    expect(Modal.open).toHaveLength(0);
  });

  it("opens the active file's history on the server's web page", async () => {
    const { app, plugin } = await loaded(true);
    const opened: string[] = [];
    (plugin as unknown as { openExternal: (u: string) => void }).openExternal = (u) => opened.push(u);
    const c = command(plugin, "open-history");
    expect(c.checkCallback?.(true)).toBe(false);
    app.workspace.active = new TFile("daily/2026 01 01.md");
    expect(c.checkCallback?.(true)).toBe(true);
    c.checkCallback?.(false);
    expect(opened).toEqual(["http://127.0.0.1:7421/v/notes/file?path=daily%2F2026%2001%2001.md"]);
  });

  it("copies the sync log", async () => {
    const { plugin } = await loaded(true);
    let copied = "";
    (plugin as unknown as { copy: (t: string) => Promise<void> }).copy = (t) => {
      copied = t;
      return Promise.resolve();
    };
    await command(plugin, "copy-log").callback?.();
    expect(copied).toBe("line one\nline two");
    expect(Notice.shown.at(-1)).toContain("Copied 2 log lines");
  });
});
