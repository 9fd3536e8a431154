import { beforeEach, describe, expect, it } from "vitest";
import { App, Setting } from "../fake-obsidian";
import { SettingsStore } from "../../src/obsidian/settings";
import { VaultSyncSettingTab, type ServerAccess, type SettingsHost } from "../../src/obsidian/settings-tab";

class Host implements SettingsHost {
  restarts = 0;
  created: string[] = [];
  failure: Error | null = null;
  constructor(readonly store: SettingsStore) {}
  server(): ServerAccess | null {
    if (this.store.settings.serverUrl === "" || this.store.token() === "") return null;
    return {
      listVaults: () => (this.failure ? Promise.reject(this.failure) : Promise.resolve(["notes", "work"])),
      createVault: (name) => {
        if (this.failure) return Promise.reject(this.failure);
        this.created.push(name);
        return Promise.resolve();
      },
    };
  }
  restart(): Promise<void> {
    this.restarts++;
    return Promise.resolve();
  }
}

async function shown(): Promise<{ app: App; host: Host; tab: VaultSyncSettingTab }> {
  const app = new App();
  let data: unknown = null;
  const store = new SettingsStore(app as never, {
    loadData: () => Promise.resolve(data),
    saveData: (d) => {
      data = d;
      return Promise.resolve();
    },
  });
  await store.load();
  const host = new Host(store);
  const tab = new VaultSyncSettingTab(app as never, {} as never, host);
  // Rendered as Obsidian 1.13 does, from the definitions (display() renders the same rows).
  for (const d of tab.getSettingDefinitions() as unknown as { name: string; desc: string; render: (s: Setting) => void }[]) {
    d.render(new Setting(tab.containerEl as never).setName(d.name).setDesc(d.desc));
  }
  return { app, host, tab };
}

describe("VaultSyncSettingTab", () => {
  beforeEach(() => {
    Setting.all.length = 0;
  });

  it("checks the server address as it is typed and keeps only a good one", async () => {
    const { host } = await shown();
    const url = Setting.named("Server address");
    await url.texts[0].type("localhost:7421");
    expect(url.descText).toContain("write http://localhost:7421");
    expect(host.store.settings.serverUrl).toBe("");
    await url.texts[0].type("http://localhost:7421/");
    expect(host.store.settings.serverUrl).toBe("http://localhost:7421");
  });

  it("says where the token is kept: secret storage, or data.json on an Obsidian without it", async () => {
    await shown();
    expect(Setting.named("Device token").descText).toContain("secret storage, never in the vault");
  });

  it("tests the connection: the vaults on success, what to do for a refused token or a server down", async () => {
    const { host } = await shown();
    const test = Setting.named("Test connection");
    await test.buttons[0].press();
    expect(test.descText).toBe("Enter the server address and the device token first.");
    await Setting.named("Server address").texts[0].type("http://127.0.0.1:7421");
    await Setting.named("Device token").texts[0].type("vst_x");
    await test.buttons[0].press();
    expect(test.descText).toContain("the server has 2 vaults");
    expect([...Setting.named("Vault on the server").dropdowns[0].options.keys()]).toEqual(["", "notes", "work", "\u0000new"]);
    host.failure = Object.assign(new Error("unauthenticated: unknown token"), { name: "AuthError" });
    await test.buttons[0].press();
    expect(test.descText).toContain("refused the device token");
    host.failure = Object.assign(new Error("cannot reach http://127.0.0.1:7421: refused"), { name: "OfflineError" });
    await test.buttons[0].press();
    expect(test.descText).toContain("Is the server running with --http");
  });

  it("picks a vault, or uploads this one as a new vault, and restarts the engine; an edited address restarts it when the tab closes", async () => {
    const { host, tab } = await shown();
    await Setting.named("Server address").texts[0].type("http://127.0.0.1:7421");
    await Setting.named("Device token").texts[0].type("vst_x");
    const picker = Setting.named("Vault on the server");
    await picker.dropdowns[0].choose("notes");
    expect(host.store.settings.vault).toBe("notes");
    expect(host.restarts).toBe(1);
    await picker.dropdowns[0].choose("\u0000new");
    expect(host.created).toEqual(["Test vault"]);
    expect(host.store.settings.vault).toBe("Test vault");
    expect(picker.descText).toContain('Created "Test vault" on the server');
    expect(host.restarts).toBe(2);
    tab.hide();
    expect(host.restarts).toBe(2);
    await Setting.named("Device name").texts[0].type("phone");
    tab.hide();
    expect(host.restarts).toBe(3);
  });
});
