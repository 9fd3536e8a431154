/**
 * What the Obsidian layer needs of a sync engine: exactly what the core's SyncEngine offers, as
 * an interface, so the plugin, its status bar, commands and modals are tested against a fake
 * engine, and engine-factory.ts hands them the real one.
 */
import type { SyncStatus, VaultEvent } from "../sync/engine";

export type { SyncStatus, VaultEvent };

export interface PluginEngine {
  readonly status: SyncStatus;
  /** Calls `listener` on every status change; returns the unsubscribe function. */
  onStatus(listener: (s: SyncStatus) => void): () => void;
  /** Starts live sync: a round now, then vault events and the server's changes. */
  start(): void;
  /** Stops live sync and waits for a round in progress to end. */
  stop(): Promise<void>;
  /** One round now; rejects on what stops a whole round (server unreachable, bad token). */
  syncNow(): Promise<unknown>;
  /** A change Obsidian reported in the vault. */
  notify(e: VaultEvent): void;
  /** The log, oldest line first, for a bug report (no file contents, no token). */
  logLines(): string[];
}
