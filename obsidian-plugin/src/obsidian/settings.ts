/**
 * The plugin's settings and where each lives. Everything but the device token is in the plugin's
 * data.json. The token is kept in Obsidian's secret storage (`app.secretStorage`, Obsidian 1.11.4
 * and later: the system keychain where there is one) and never written to data.json there; on an
 * Obsidian without it, it falls back to data.json, and the settings tab says so.
 */
import type { App } from "obsidian";

export interface VaultSyncSettings {
  /** The server's HTTP address (its --http port), e.g. http://192.168.1.5:7421 ("" before setup). */
  serverUrl: string;
  /** How this device names itself in the server's history. */
  deviceName: string;
  /** The vault on the server this vault syncs with ("" before setup). */
  vault: string;
}

export const DEFAULT_SETTINGS: VaultSyncSettings = { serverUrl: "", deviceName: "", vault: "" };

/** The id under which the token is kept in secret storage. */
export const TOKEN_SECRET_ID = "vaultsync-device-token";

/** What data.json holds: the settings, and the token only where secret storage is missing. */
interface StoredData extends Partial<VaultSyncSettings> {
  token?: string;
}

/** What loadData/saveData of the plugin offer. */
export interface DataStore {
  loadData(): Promise<unknown>;
  saveData(data: unknown): Promise<void>;
}

export class SettingsStore {
  settings: VaultSyncSettings = { ...DEFAULT_SETTINGS };
  private fallbackToken = "";

  constructor(
    private readonly app: App,
    private readonly data: DataStore,
  ) {}

  /** True when the token is kept in Obsidian's secret storage, false when in data.json. */
  get secretStorage(): boolean {
    return this.storage() !== null;
  }

  async load(): Promise<VaultSyncSettings> {
    const raw = await this.data.loadData();
    const d: StoredData = raw !== null && typeof raw === "object" ? raw : {};
    this.settings = {
      serverUrl: typeof d.serverUrl === "string" ? d.serverUrl : DEFAULT_SETTINGS.serverUrl,
      deviceName: typeof d.deviceName === "string" ? d.deviceName : DEFAULT_SETTINGS.deviceName,
      vault: typeof d.vault === "string" ? d.vault : DEFAULT_SETTINGS.vault,
    };
    const token = typeof d.token === "string" ? d.token : "";
    const storage = this.storage();
    if (storage && token !== "") {
      // A token written to data.json by an older Obsidian moves into secret storage.
      if (!storage.getSecret(TOKEN_SECRET_ID)) storage.setSecret(TOKEN_SECRET_ID, token);
      await this.save();
    } else {
      this.fallbackToken = token;
    }
    return this.settings;
  }

  async save(): Promise<void> {
    const out: StoredData = { ...this.settings };
    if (!this.storage() && this.fallbackToken !== "") out.token = this.fallbackToken;
    await this.data.saveData(out);
  }

  token(): string {
    const storage = this.storage();
    return storage ? (storage.getSecret(TOKEN_SECRET_ID) ?? "") : this.fallbackToken;
  }

  async setToken(token: string): Promise<void> {
    const t = token.trim();
    const storage = this.storage();
    if (storage) storage.setSecret(TOKEN_SECRET_ID, t);
    else this.fallbackToken = t;
    await this.save();
  }

  async update(change: Partial<VaultSyncSettings>): Promise<void> {
    this.settings = { ...this.settings, ...change };
    await this.save();
  }

  private storage(): App["secretStorage"] | null {
    // Typed as always present (obsidian.d.ts 1.13), absent on Obsidian before 1.11.4.
    const s = (this.app as Partial<App>).secretStorage;
    return s ?? null;
  }
}

/**
 * Why `url` cannot be the server's address, or null when it can: an http or https URL with a host
 * and nothing after the port but an optional path prefix (a reverse proxy's), no query or fragment.
 */
export function checkServerUrl(url: string): string | null {
  const u = url.trim();
  if (u === "") return "Enter the server's address, e.g. http://192.168.1.5:7421 (its --http port).";
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) return `"${u}" has no http:// or https:// in front: write http://${u}`;
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    return `"${u}" is not an address: write it as http://HOST:PORT (the server's --http port).`;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return `"${u}" uses ${parsed.protocol.replace(":", "")}: the server's web port speaks http or https.`;
  }
  if (parsed.search !== "" || parsed.hash !== "") return `"${u}" has a query or fragment: give only http(s)://HOST:PORT.`;
  if (parsed.username !== "" || parsed.password !== "") {
    return `"${u}" has a user name or password in it: the device token goes in its own field.`;
  }
  return null;
}

/** `url` without trailing slashes, the base every request path is appended to. */
export function serverBase(url: string): string {
  return url.trim().replace(/\/+$/, "");
}
