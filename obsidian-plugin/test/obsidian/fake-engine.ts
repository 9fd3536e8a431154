// A fake sync engine for the Obsidian layer's tests: records what the plugin tells it and lets a
// test set its status.
import type { PluginEngine, SyncStatus, VaultEvent } from "../../src/obsidian/engine-port";

export class FakeEngine implements PluginEngine {
  status: SyncStatus = { kind: "synced" };
  readonly events: VaultEvent[] = [];
  started = 0;
  stopped = 0;
  syncs = 0;
  syncError: Error | null = null;
  lines: string[] = ["line one", "line two"];
  private readonly listeners = new Set<(s: SyncStatus) => void>();

  onStatus(listener: (s: SyncStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  start(): void {
    this.started++;
  }
  stop(): Promise<void> {
    this.stopped++;
    return Promise.resolve();
  }
  syncNow(): Promise<unknown> {
    this.syncs++;
    return this.syncError === null ? Promise.resolve(null) : Promise.reject(this.syncError);
  }
  notify(e: VaultEvent): void {
    this.events.push(e);
  }
  logLines(): string[] {
    return this.lines;
  }
  /** Test helper: the engine's status changes. */
  set(s: SyncStatus): void {
    this.status = s;
    for (const l of this.listeners) l(s);
  }
}
