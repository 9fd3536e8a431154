/**
 * The sync core as a browser global, for the headless Chromium test (test/chromium): the same
 * SyncEngine, remote client (over the page's `fetch`) and delta format the plugin bundles, with an
 * in-memory vault. Not part of the plugin (esbuild builds it in that test only). `window.vaultsyncCore`
 * offers the pieces and two shortcuts the test's page script calls.
 */
import { fetchHttp } from "./remote/http";
import { VaultRemote } from "./remote/remote";
import { SyncEngine } from "./sync/engine";
import { formatCodec, serverFor } from "./sync/remote-adapter";
import { MemoryStateStore } from "./sync/state";
import { MemoryVaultIO } from "./sync/vault-io";

export interface ServerArgs {
  readonly baseUrl: string;
  readonly token: string;
}

/** A vault in memory syncing with `vault` on the server, through the page's fetch. */
export interface BrowserClient {
  readonly engine: SyncEngine;
  readonly io: MemoryVaultIO;
  readonly remote: VaultRemote;
  write(path: string, text: string): Promise<void>;
  read(path: string): Promise<string>;
}

function remote(a: ServerArgs): VaultRemote {
  return new VaultRemote({ baseUrl: a.baseUrl, token: a.token, http: fetchHttp((url, init) => window.fetch(url, init)) });
}

const core = {
  SyncEngine,
  VaultRemote,
  MemoryVaultIO,
  MemoryStateStore,
  fetchHttp,
  formatCodec,
  serverFor,

  async listVaults(a: ServerArgs): Promise<string[]> {
    return (await remote(a).listVaults()).map((v) => v.name);
  },

  async createVault(a: ServerArgs & { vault: string }): Promise<void> {
    await remote(a).createVault(a.vault);
  },

  openVault(a: ServerArgs & { vault: string; device: string }): BrowserClient {
    const io = new MemoryVaultIO();
    const r = remote(a);
    const engine = new SyncEngine(io, new MemoryStateStore(), serverFor(r, a.vault), {
      vault: a.vault,
      device: a.device,
      // An in-memory vault has no Obsidian configuration folder; the name only feeds the ignore rules.
      configDir: ".config",
      timers: window,
    });
    return {
      engine,
      io,
      remote: r,
      write: (path, text) => io.write(path, new TextEncoder().encode(text)),
      read: async (path) => new TextDecoder().decode(await io.read(path)),
    };
  },
};

export type BrowserCore = typeof core;

declare global {
  interface Window {
    vaultsyncCore: BrowserCore;
  }
}

window.vaultsyncCore = core;
