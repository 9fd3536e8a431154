import { beforeEach, describe, expect, it } from "vitest";
import { App } from "../fake-obsidian";
import { checkServerUrl, SettingsStore, TOKEN_SECRET_ID, type DataStore } from "../../src/obsidian/settings";

class MemoryData implements DataStore {
  data: unknown = null;
  loadData(): Promise<unknown> {
    return Promise.resolve(this.data === null ? null : structuredClone(this.data));
  }
  saveData(d: unknown): Promise<void> {
    this.data = structuredClone(d);
    return Promise.resolve();
  }
}

describe("SettingsStore", () => {
  let app: App;
  let data: MemoryData;
  beforeEach(() => {
    app = new App();
    data = new MemoryData();
  });

  it("round-trips every setting through data.json", async () => {
    const a = new SettingsStore(app as never, data);
    await a.load();
    await a.update({ serverUrl: "http://127.0.0.1:7421", deviceName: "phone", vault: "notes" });
    const b = new SettingsStore(app as never, data);
    expect(await b.load()).toEqual({ serverUrl: "http://127.0.0.1:7421", deviceName: "phone", vault: "notes" });
  });

  it("keeps the token in secret storage and never writes it to data.json when secret storage exists", async () => {
    const s = new SettingsStore(app as never, data);
    await s.load();
    await s.setToken("  vst_secret  ");
    await s.update({ deviceName: "laptop" });
    expect(JSON.stringify(data.data)).not.toContain("vst_secret");
    expect(app.secretStorage?.getSecret(TOKEN_SECRET_ID)).toBe("vst_secret");
    const again = new SettingsStore(app as never, data);
    await again.load();
    expect(again.token()).toBe("vst_secret");
    expect(again.secretStorage).toBe(true);
  });

  it("falls back to data.json on an Obsidian without secret storage, and moves the token over once it has it", async () => {
    app.secretStorage = undefined;
    const old = new SettingsStore(app as never, data);
    await old.load();
    await old.setToken("vst_old");
    expect(old.secretStorage).toBe(false);
    expect((data.data as { token: string }).token).toBe("vst_old");

    const upgraded = new App();
    const s = new SettingsStore(upgraded as never, data);
    await s.load();
    expect(s.token()).toBe("vst_old");
    expect(upgraded.secretStorage?.getSecret(TOKEN_SECRET_ID)).toBe("vst_old");
    expect(JSON.stringify(data.data)).not.toContain("vst_old");
  });

  it("loads defaults from a missing or broken data.json", async () => {
    data.data = { serverUrl: 42, vault: ["x"] };
    const s = new SettingsStore(app as never, data);
    expect(await s.load()).toEqual({ serverUrl: "", deviceName: "", vault: "" });
  });
});

describe("checkServerUrl", () => {
  it("accepts http and https addresses, with a proxy's path prefix", () => {
    expect(checkServerUrl("http://127.0.0.1:7421")).toBeNull();
    expect(checkServerUrl("https://sync.example.org/vaultsync/")).toBeNull();
  });

  it("names the bad value and what to write instead", () => {
    expect(checkServerUrl("")).toContain("--http port");
    expect(checkServerUrl("127.0.0.1:7421")).toContain("write http://127.0.0.1:7421");
    expect(checkServerUrl("localhost:7421")).toContain("write http://localhost:7421");
    expect(checkServerUrl("http://exa mple")).toContain('"http://exa mple" is not an address');
    expect(checkServerUrl("ftp://host")).toContain("uses ftp");
    expect(checkServerUrl("http://host:1/?a=b")).toContain("query");
    expect(checkServerUrl("http://me:pw@host:1")).toContain("device token");
  });
});
