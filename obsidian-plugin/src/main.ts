/**
 * vaultsync for Obsidian: the plugin. It loads the settings, shows the status bar item, registers
 * the settings tab and the commands, hands vault events to the sync engine and runs the engine
 * while a server, a token and a vault are set. Everything that syncs is in src/sync (the core,
 * which never imports `obsidian`); this file only wires it to Obsidian.
 */
import { Notice, Platform, Plugin } from "obsidian";
import { registerCommands, type CommandHost } from "./obsidian/commands";
import { createEngine, createServerAccess } from "./obsidian/engine-factory";
import type { PluginEngine, SyncStatus } from "./obsidian/engine-port";
import { describeTrouble } from "./obsidian/messages";
import { ConfirmDeletesModal } from "./obsidian/modals";
import { SettingsStore } from "./obsidian/settings";
import { VaultSyncSettingTab, type ServerAccess, type SettingsHost } from "./obsidian/settings-tab";
import { StatusBar } from "./obsidian/status-bar";
import { VaultEventMapper } from "./obsidian/vault-events";
import { TEMP_PREFIX } from "./sync/ignore";
import { nameOf } from "./sync/vault-io";

export default class VaultSyncPlugin extends Plugin implements SettingsHost, CommandHost {
  store!: SettingsStore;
  private running: PluginEngine | null = null;
  private unsubscribe: (() => void) | null = null;
  private statusBar!: StatusBar;
  /** The last status a notice was shown for, so an outage or an error is told once, not per retry. */
  private noticed = "";
  private conflictCopies: readonly string[] = [];
  /** The last error a server call threw (its class tells a bad token from an outage). */
  private lastRemoteError: unknown = null;

  override async onload(): Promise<void> {
    this.store = new SettingsStore(this.app, this);
    await this.store.load();
    // Named once per device, with random digits as the CLI does, so two phones never share a name.
    if (this.store.settings.deviceName === "") await this.store.update({ deviceName: defaultDeviceName() });
    this.statusBar = new StatusBar(this.addStatusBarItem());
    this.addSettingTab(new VaultSyncSettingTab(this.app, this, this));
    registerCommands(this, this);
    // Obsidian reports every file as created while it loads the vault: listen only after that.
    this.app.workspace.onLayoutReady(() => {
      this.registerVaultEvents();
      void this.restart();
    });
  }

  override onunload(): void {
    void this.stopEngine();
  }

  engine(): PluginEngine | null {
    return this.running;
  }

  conflicts(): readonly string[] {
    return this.conflictCopies;
  }

  server(): ServerAccess | null {
    const s = this.store.settings;
    const token = this.store.token();
    return s.serverUrl === "" || token === "" ? null : createServerAccess(s.serverUrl, token);
  }

  async restart(): Promise<void> {
    await this.stopEngine();
    const s = this.store.settings;
    const token = this.store.token();
    if (s.serverUrl === "" || token === "" || s.vault === "") {
      this.statusBar.showText("vaultsync: not set up", "Open the vaultsync settings to choose a server, a token and a vault.");
      return;
    }
    const engine = createEngine({
      app: this.app,
      pluginId: this.manifest.id,
      serverUrl: s.serverUrl,
      token,
      vault: s.vault,
      device: s.deviceName !== "" ? s.deviceName : defaultDeviceName(),
      confirmDeletes: (paths, reason) => ConfirmDeletesModal.ask(this.app, paths, reason),
      onRemoteError: (e) => {
        this.lastRemoteError = e;
      },
    });
    this.running = engine;
    this.unsubscribe = engine.onStatus((st) => this.showStatus(st));
    this.showStatus(engine.status);
    engine.start();
  }

  openExternal(url: string): void {
    window.open(url);
  }

  async copy(text: string): Promise<void> {
    await navigator.clipboard.writeText(text);
  }

  private registerVaultEvents(): void {
    const mapper = new VaultEventMapper(
      (e) => this.running?.notify(e),
      (p) => nameOf(p).startsWith(TEMP_PREFIX),
    );
    const vault = this.app.vault;
    this.registerEvent(vault.on("create", (f) => mapper.onCreate(f)));
    this.registerEvent(vault.on("modify", (f) => mapper.onModify(f)));
    this.registerEvent(vault.on("delete", (f) => mapper.onDelete(f)));
    this.registerEvent(vault.on("rename", (f, oldPath) => mapper.onRename(f, oldPath)));
  }

  private showStatus(s: SyncStatus): void {
    this.statusBar.show(s);
    if (s.kind === "synced") this.conflictCopies = [];
    if (s.kind === "conflicts") this.conflictCopies = s.paths;
    if (s.kind === "synced" || s.kind === "conflicts") {
      this.noticed = "";
      return;
    }
    if (s.kind !== "offline" && s.kind !== "error") return;
    const key = s.kind === "offline" ? "offline" : s.message;
    if (this.noticed === key) return;
    this.noticed = key;
    const settings = this.store.settings;
    const last = this.lastRemoteError;
    const err =
      last instanceof Error && s.message.includes(last.message)
        ? last
        : Object.assign(new Error(s.message), { name: s.kind === "offline" ? "OfflineError" : "Error" });
    new Notice(describeTrouble(err, settings.serverUrl, settings.vault), 10_000);
  }

  private async stopEngine(): Promise<void> {
    const engine = this.running;
    this.running = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (engine !== null) await engine.stop();
  }
}

/** `obsidian-mobile-3f2a` or `obsidian-desktop-3f2a`: the kind of device and four random hex digits. */
function defaultDeviceName(): string {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(2)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `${Platform.isMobile ? "obsidian-mobile" : "obsidian-desktop"}-${digits}`;
}
