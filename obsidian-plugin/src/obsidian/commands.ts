/**
 * The plugin's commands: sync now, show conflicts, open the current file's history on the server's
 * web page, copy the sync log.
 */
import { Notice, TFile, type App, type Plugin } from "obsidian";
import { ConflictsModal } from "./modals";
import type { PluginEngine } from "./engine-port";
import { describeTrouble } from "./messages";
import type { SettingsStore } from "./settings";

/** The web page's view of `path` in `vault`, with its history (server-app: GET /v/{vault}/file?path=P). */
export function historyUrl(serverUrl: string, vault: string, path: string): string {
  return `${serverUrl}/v/${encodeURIComponent(vault)}/file?path=${encodeURIComponent(path)}`;
}

export interface CommandHost {
  readonly app: App;
  readonly store: SettingsStore;
  engine(): PluginEngine | null;
  /** The conflict copies the last round found. */
  conflicts(): readonly string[];
  /** Opens `url` outside Obsidian (the system browser). */
  openExternal(url: string): void;
  copy(text: string): Promise<void>;
}

const NOT_SET_UP = "vaultsync is not set up: choose a server, a token and a vault in its settings.";

export function registerCommands(plugin: Plugin, host: CommandHost): void {
  plugin.addCommand({
    id: "sync-now",
    name: "Sync now",
    callback: async () => {
      const engine = host.engine();
      if (engine === null) {
        new Notice(NOT_SET_UP);
        return;
      }
      try {
        await engine.syncNow();
      } catch (e) {
        new Notice(describeTrouble(e, host.store.settings.serverUrl, host.store.settings.vault));
      }
    },
  });

  plugin.addCommand({
    id: "show-conflicts",
    name: "Show conflicts",
    callback: () => {
      new ConflictsModal(host.app, [...host.conflicts()], (p) => void host.app.workspace.openLinkText(p, "", false)).open();
    },
  });

  plugin.addCommand({
    id: "open-history",
    name: "Open this file's history on the server",
    checkCallback: (checking) => {
      const file = host.app.workspace.getActiveFile();
      const s = host.store.settings;
      if (!(file instanceof TFile) || s.serverUrl === "" || s.vault === "") return false;
      if (!checking) host.openExternal(historyUrl(s.serverUrl, s.vault, file.path));
      return true;
    },
  });

  plugin.addCommand({
    id: "copy-log",
    name: "Copy the sync log",
    callback: async () => {
      const lines = host.engine()?.logLines() ?? [];
      await host.copy(lines.join("\n"));
      new Notice(`Copied ${lines.length} log lines: paste them into a bug report.`);
    },
  });
}
