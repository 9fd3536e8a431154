/**
 * Where the sync core keeps its state (index, last seq, kept signatures) in Obsidian: a file in the
 * plugin's own folder (`<configDir>/plugins/<id>/sync-state.json`), which the ignore rules keep on
 * this device. Saved through a temp file and a rename, so a crash mid-save leaves the old state,
 * never a half-written one (a lost or unreadable state only means "compare by hash again").
 *
 * A state belongs to one server and vault (`owner`, kept beside it in `<file>.owner`): after the
 * settings point elsewhere it loads as none, so this device syncs as for the first time (nothing is
 * deleted on either side) instead of reading the other server's bases as deletes. The owner is
 * written after the state, so a save cut between the two also loads as none.
 */
import type { DataAdapter } from "obsidian";
import type { StateStore } from "../sync/state";

export class AdapterStateStore implements StateStore {
  constructor(
    private readonly adapter: DataAdapter,
    private readonly path: string,
    private readonly owner = "",
  ) {}

  async load(): Promise<Uint8Array | null> {
    const ownerFile = `${this.path}.owner`;
    const owner = (await this.adapter.exists(ownerFile)) ? await this.adapter.read(ownerFile) : "";
    if (owner !== this.owner) return null;
    // A save stopped between its remove and its rename left the new state under the temp name.
    for (const p of [this.path, this.temp()]) {
      if (await this.adapter.exists(p)) return new Uint8Array(await this.adapter.readBinary(p));
    }
    return null;
  }

  private temp(): string {
    return `${this.path}.new`;
  }

  async save(data: Uint8Array): Promise<void> {
    const temp = this.temp();
    const folder = this.path.slice(0, this.path.lastIndexOf("/"));
    if (folder !== "" && !(await this.adapter.exists(folder))) await this.adapter.mkdir(folder);
    await this.adapter.writeBinary(temp, data.slice().buffer);
    if (await this.adapter.exists(this.path)) await this.adapter.remove(this.path);
    await this.adapter.rename(temp, this.path);
    await this.adapter.write(`${this.path}.owner`, this.owner);
  }
}
