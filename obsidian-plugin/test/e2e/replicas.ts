// The replicas of an end-to-end test: plugin cores (a SyncEngine on a temp folder, over the
// browser face) and Java CLI folders (`vaultsync clone` / `sync` over gRPC), all on one vault of
// a real server started by test/harness.
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { setTimeout as later, clearTimeout as cancel } from "node:timers";
import { VaultRemote } from "../../src/remote";
import { SyncEngine, type SyncEngineOptions } from "../../src/sync/engine";
import { MemoryStateStore } from "../../src/sync/state";
import { nodeHttp } from "../harness/node-http";
import type { ServerHandle } from "../harness/server";
import { NodeVaultIO } from "./node-vault-io";

export const timers = { setTimeout: (f: () => void, ms: number): unknown => later(f, ms), clearTimeout: (id: unknown) => cancel(id as ReturnType<typeof later>) };

export interface PluginReplica {
  readonly kind: "plugin";
  readonly name: string;
  readonly dir: string;
  readonly io: NodeVaultIO;
  readonly remote: VaultRemote;
  readonly engine: SyncEngine;
}

export interface CliReplica {
  readonly kind: "cli";
  readonly name: string;
  readonly dir: string;
  /** Runs `vaultsync sync DIR --json ARGS` (the token is the one clone stored); its JSON line. */
  sync(...args: string[]): Promise<Record<string, unknown>>;
}

export type Replica = PluginReplica | CliReplica;

export function pluginReplica(server: ServerHandle, vault: string, name: string, extra: Partial<SyncEngineOptions> = {}): PluginReplica {
  const dir = mkdtempSync(join(tmpdir(), `vs-${name}-`));
  const io = new NodeVaultIO(dir);
  const remote = new VaultRemote({ baseUrl: server.httpUrl, token: server.tokens[name], http: nodeHttp });
  const engine = new SyncEngine(io, new MemoryStateStore(), remote, { vault, device: name, configDir: ".obsidian-test", timers, debounceMs: 50, waitMs: 2000, ...extra });
  return { kind: "plugin", name, dir, io, remote, engine };
}

export async function cliReplica(server: ServerHandle, vault: string, name: string): Promise<CliReplica> {
  const home = mkdtempSync(join(tmpdir(), `vs-${name}-`));
  const tokenFile = join(home, "token");
  writeFileSync(tokenFile, server.tokens[name] + "\n", { mode: 0o600 });
  const dir = join(home, "vault");
  const r = await server.cli(["clone", server.grpcUrl, vault, dir, "--token-file", tokenFile, "--device", name]);
  if (r.code !== 0) throw new Error(`vaultsync clone failed (exit ${r.code}): ${r.stderr}${r.stdout}`);
  return {
    kind: "cli",
    name,
    dir,
    sync: async (...args: string[]) => {
      const s = await server.cli(["sync", dir, "--json", ...args]);
      const line = s.stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
      if (line === undefined || ![0, 4, 6, 7].includes(s.code)) throw new Error(`vaultsync sync failed (exit ${s.code}): ${s.stderr}${s.stdout}`);
      return JSON.parse(line) as Record<string, unknown>;
    },
  };
}

export async function syncOnce(r: Replica): Promise<void> {
  if (r.kind === "plugin") await r.engine.syncNow();
  else await r.sync();
}

/** Every synced file of a folder: path → SHA-256 (the CLI's state and temp files left out). */
export async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name === ".vaultsync" || e.name.startsWith(".vstmp-")) continue;
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else out.set(relative(dir, full).split(sep).join("/"), createHash("sha256").update(await readFile(full)).digest("hex"));
    }
  };
  await walk(dir);
  return out;
}

/** Syncs every replica in turn until a whole pass changes no folder (at most `passes`). */
export async function converge(replicas: readonly Replica[], passes = 4): Promise<void> {
  let before = await Promise.all(replicas.map((r) => snapshot(r.dir)));
  for (let i = 0; i < passes; i++) {
    for (const r of replicas) await syncOnce(r);
    const after = await Promise.all(replicas.map((r) => snapshot(r.dir)));
    const same = after.every((m, k) => equalMaps(m, before[k])) && after.every((m) => equalMaps(m, after[0]));
    before = after;
    if (same) return;
  }
}

export function equalMaps(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** The contents of a folder's text files joined (for "no note lost" checks). */
export async function allText(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const p of (await snapshot(dir)).keys()) if (p.endsWith(".md")) parts.push(await readFile(join(dir, ...p.split("/")), "utf8"));
  return parts.join("\n");
}
