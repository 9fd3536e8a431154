/**
 * Builds the sync engine the plugin runs, from Obsidian's pieces: the VaultIO over
 * `vault.adapter`, the state file in the plugin's folder, and the remote client over `requestUrl`.
 * Every error a server call throws is also handed to `onRemoteError`, so the plugin can tell a
 * refused token from an outage in its notices (the engine's status carries only a message).
 */
import type { App } from "obsidian";
import { VaultRemote } from "../remote/remote";
import { SyncEngine } from "../sync/engine";
import { serverFor } from "../sync/remote-adapter";
import type { SyncRemote } from "../sync/ports";
import type { PluginEngine } from "./engine-port";
import { requestUrlHttp } from "./http";
import type { ServerAccess } from "./settings-tab";
import { AdapterStateStore } from "./state-store";
import { ObsidianVaultIO } from "./vault-io";

export interface EngineOptions {
  readonly app: App;
  readonly pluginId: string;
  readonly serverUrl: string;
  readonly token: string;
  readonly vault: string;
  readonly device: string;
  readonly confirmDeletes: (paths: string[], reason: string) => Promise<boolean>;
  readonly onRemoteError: (e: unknown) => void;
}

/** The plugin's folder in the vault: `<configDir>/plugins/<id>`. */
export function pluginFolder(app: App, pluginId: string): string {
  return `${app.vault.configDir}/plugins/${pluginId}`;
}

export function createEngine(o: EngineOptions): PluginEngine {
  const adapter = o.app.vault.adapter;
  const folder = pluginFolder(o.app, o.pluginId);
  const statePath = `${folder}/sync-state.json`;
  const io = new ObsidianVaultIO(adapter, [`${folder}/data.json`, statePath]);
  const remote = new VaultRemote({ baseUrl: o.serverUrl, token: o.token, http: requestUrlHttp() });
  return new SyncEngine(io, new AdapterStateStore(adapter, statePath, `${o.serverUrl} ${o.vault}`), observed(serverFor(remote, o.vault), o.onRemoteError), {
    vault: o.vault,
    device: o.device,
    configDir: o.app.vault.configDir,
    pluginId: o.pluginId,
    confirmDeletes: o.confirmDeletes,
    timers: window,
  });
}

export function createServerAccess(serverUrl: string, token: string): ServerAccess {
  const remote = new VaultRemote({ baseUrl: serverUrl, token, http: requestUrlHttp() });
  return {
    listVaults: async () => (await remote.listVaults()).map((v) => v.name),
    createVault: (name) => remote.createVault(name),
  };
}

/** `remote` with every rejection also handed to `onError`. */
function observed(remote: SyncRemote, onError: (e: unknown) => void): SyncRemote {
  const watch = <T>(p: Promise<T>): Promise<T> =>
    p.catch((e: unknown) => {
      onError(e);
      throw e;
    });
  return {
    changesSince: (after, limit) => watch(remote.changesSince(after, limit)),
    waitChanges: (after, waitMs) => watch(remote.waitChanges(after, waitMs)),
    manifest: () => watch(remote.manifest()),
    fetch: (items, sink) => watch(remote.fetch(items, sink)),
    push: (path, base, delta) => watch(remote.push(path, base, delta)),
    commit: (mutations, allow) => watch(remote.commit(mutations, allow)),
  };
}
