import { Plugin } from "obsidian";

export default class VaultSyncPlugin extends Plugin {
  override async onload(): Promise<void> {}
}
