/**
 * The settings tab: the server's address (checked as it is typed), the device token (where it is
 * kept is said under the field), this device's name, a "test connection" button with a result a
 * person can act on, and the vault on the server: one picked from the server's list, or this vault
 * uploaded as a new one (CreateVault, then the first sync sends every file).
 *
 * The rows are written once and used twice: by `display()` (Obsidian before 1.13) and by
 * `getSettingDefinitions()` (1.13 and later, where they also appear in the settings search).
 */
import { App, PluginSettingTab, Setting, type DropdownComponent, type Plugin, type SettingDefinitionItem } from "obsidian";
import { describeTrouble } from "./messages";
import { checkServerUrl, serverBase, type SettingsStore } from "./settings";

/** The server's vault-level calls the tab makes. */
export interface ServerAccess {
  listVaults(): Promise<string[]>;
  createVault(name: string): Promise<void>;
}

/** What the tab needs of the plugin. */
export interface SettingsHost {
  readonly store: SettingsStore;
  /** A client for the server in the settings now, or null when the address or token is missing. */
  server(): ServerAccess | null;
  /** Stops the engine and starts it again with the settings now (after a change of vault). */
  restart(): Promise<void>;
}

interface Row {
  readonly name: string;
  readonly desc: string;
  readonly render: (s: Setting) => void;
}

const NEW_VAULT = "\u0000new";
const URL_DESC = "The address of the server's web port (the server's --http option).";

export class VaultSyncSettingTab extends PluginSettingTab {
  private vaults: string[] = [];
  private picker: { setting: Setting; dropdown: DropdownComponent } | null = null;
  /** The address, token or device name changed: the engine restarts when the tab closes. */
  private changed = false;

  constructor(
    app: App,
    plugin: Plugin,
    private readonly host: SettingsHost,
  ) {
    super(app, plugin);
  }

  override display(): void {
    this.containerEl.empty();
    for (const row of this.rows()) row.render(new Setting(this.containerEl).setName(row.name).setDesc(row.desc));
  }

  override getSettingDefinitions(): SettingDefinitionItem[] {
    return this.rows().map((row) => ({ name: row.name, desc: row.desc, render: (s: Setting) => row.render(s) }));
  }

  private rows(): Row[] {
    const store = this.host.store;
    const where = store.secretStorage
      ? "Kept in Obsidian's secret storage, never in the vault."
      : "This Obsidian has no secret storage (it came in 1.11.4): the token is kept in the plugin's data.json in this vault's config folder, which is never synced.";
    return [
      {
        name: "Server address",
        desc: URL_DESC,
        render: (s) => {
          s.addText((t) =>
            t.setValue(store.settings.serverUrl).onChange(async (v) => {
              const problem = checkServerUrl(v);
              s.setDesc(problem ?? URL_DESC);
              if (problem === null) await this.edit(store.update({ serverUrl: serverBase(v) }));
            }),
          );
        },
      },
      {
        name: "Device token",
        desc: `Made on the server with "vaultsync server token create". ${where}`,
        render: (s) => {
          s.addText((t) => {
            t.inputEl.type = "password";
            t.setValue(store.token()).onChange(async (v) => this.edit(store.setToken(v)));
          });
        },
      },
      {
        name: "Device name",
        desc: "How this device appears in the server's history and in conflict copies.",
        render: (s) => {
          s.addText((t) => t.setValue(store.settings.deviceName).onChange(async (v) => this.edit(store.update({ deviceName: v.trim() }))));
        },
      },
      {
        name: "Test connection",
        desc: "Asks the server for its vaults with this address and token.",
        render: (s) => {
          s.addButton((b) =>
            b.setButtonText("Test connection").onClick(async () => {
              s.setDesc(await this.testConnection());
            }),
          );
        },
      },
      {
        name: "Vault on the server",
        desc: this.vaultDesc(store.settings.vault),
        render: (s) => {
          s.addDropdown((d) => {
            this.picker = { setting: s, dropdown: d };
            this.fillVaults();
            d.onChange(async (v) => {
              if (v === NEW_VAULT) s.setDesc(await this.uploadAsNew(this.app.vault.getName()));
              else await this.choose(v);
            });
          });
        },
      },
    ];
  }

  override hide(): void {
    if (!this.changed) return;
    this.changed = false;
    void this.host.restart();
  }

  private async edit(saved: Promise<void>): Promise<void> {
    await saved;
    this.changed = true;
  }

  /** The result of asking the server for its vaults, as one sentence; fills the vault list. */
  async testConnection(): Promise<string> {
    const server = this.host.server();
    if (server === null) return "Enter the server address and the device token first.";
    const url = this.host.store.settings.serverUrl;
    try {
      this.vaults = await server.listVaults();
    } catch (e) {
      return describeTrouble(e, url);
    }
    this.fillVaults();
    return `Connected to ${url}: the server has ${this.vaults.length} vault${this.vaults.length === 1 ? "" : "s"}. Pick one below.`;
  }

  /** Creates the vault `name` on the server and starts the first sync, which uploads every file. */
  async uploadAsNew(name: string): Promise<string> {
    const server = this.host.server();
    if (server === null) return "Enter the server address and the device token first.";
    const store = this.host.store;
    try {
      await server.createVault(name);
    } catch (e) {
      this.fillVaults();
      return describeTrouble(e, store.settings.serverUrl);
    }
    this.vaults = [...this.vaults, name];
    await this.choose(name);
    return `Created "${name}" on the server; the first sync uploads this vault.`;
  }

  private async choose(vault: string): Promise<void> {
    await this.host.store.update({ vault });
    this.changed = false;
    this.fillVaults();
    this.picker?.setting.setDesc(this.vaultDesc(vault));
    await this.host.restart();
  }

  private vaultDesc(vault: string): string {
    return vault === ""
      ? "Not chosen: nothing syncs yet. Test the connection to list the server's vaults."
      : `This vault syncs with "${vault}".`;
  }

  /** The dropdown's options: the server's vaults, the one chosen, and "upload as new". */
  private fillVaults(): void {
    if (this.picker === null) return;
    const d = this.picker.dropdown;
    const current = this.host.store.settings.vault;
    d.selectEl.empty();
    d.addOption("", "Choose a vault");
    for (const v of new Set([...this.vaults, ...(current === "" ? [] : [current])])) d.addOption(v, v);
    d.addOption(NEW_VAULT, "Upload this vault as a new one");
    d.setValue(current);
  }
}
