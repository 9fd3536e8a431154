/**
 * The status bar item: what the sync is doing, in a few words (synced / syncing N / offline /
 * N conflicts / error), with a tooltip that says what to do about it.
 */
import type { SyncStatus } from "./engine-port";

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

export function statusText(s: SyncStatus): string {
  switch (s.kind) {
    case "synced":
      return "vaultsync: synced";
    case "syncing":
      return s.pending > 0 ? `vaultsync: syncing ${s.pending}` : "vaultsync: syncing";
    case "offline":
      return "vaultsync: offline";
    case "conflicts":
      return `vaultsync: ${plural(s.count, "conflict")}`;
    case "error":
      return "vaultsync: error";
  }
}

export function statusTooltip(s: SyncStatus): string {
  switch (s.kind) {
    case "synced":
      return "Every change is on the server.";
    case "syncing":
      return s.pending > 0 ? `${plural(s.pending, "file")} to send or fetch.` : "Comparing with the server.";
    case "offline":
      return `The server cannot be reached (${s.message}). Changes stay here and are sent when it is back.`;
    case "conflicts":
      return 'Both sides changed a file: both versions are kept. Run "Show conflicts" to see them.';
    case "error":
      return `${s.message} Run "Copy the sync log" for the details.`;
  }
}

/** The element Obsidian gives for a status bar item, as far as this class uses it. */
export interface StatusEl {
  setText(text: string): void;
  setAttr(name: string, value: string): void;
}

export class StatusBar {
  constructor(private readonly el: StatusEl) {
    this.showText("vaultsync: not set up", "Open the vaultsync settings to choose a server, a token and a vault.");
  }

  show(s: SyncStatus): void {
    this.showText(statusText(s), statusTooltip(s));
  }

  showText(text: string, tooltip: string): void {
    this.el.setText(text);
    this.el.setAttr("aria-label", tooltip);
  }
}
