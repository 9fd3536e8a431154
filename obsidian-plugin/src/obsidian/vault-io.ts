/**
 * The sync core's {@link VaultIO} over Obsidian's `vault.adapter` (DataAdapter), which reaches every
 * file of the vault, hidden ones under `.obsidian` included (the Vault API sees only notes and
 * attachments), on desktop and on mobile alike.
 *
 * Writes never show a partial file under a note's name: {@link ObsidianVaultIO.write} writes the
 * bytes to a temp name beside the target (`.vstmp-NAME`: a dot file, which Obsidian's vault does
 * not index, and which the core's ignore rules keep local) and renames it into place. Obsidian's adapter refuses to
 * rename onto an existing file, so replacing a file removes the old one first: for that moment the
 * name is absent, never half written. Downloads in parts go through {@link ObsidianVaultIO.append}
 * to a temp name the core renames when the whole-file check passed.
 *
 * The plugin's own private files (its data.json, which may hold the device token, and its sync
 * state) are invisible here, so they can never be uploaded to another device.
 */
import { normalizePath, type DataAdapter } from "obsidian";
import { TEMP_PREFIX } from "../sync/ignore";
import { nameOf, parentOf, type FileStat, type VaultIO } from "../sync/vault-io";

export class ObsidianVaultIO implements VaultIO {
  private readonly hidden: ReadonlySet<string>;

  /**
   * @param adapter the vault's adapter (`app.vault.adapter`)
   * @param privatePaths vault-relative files that stay invisible (the plugin's data and state)
   */
  constructor(
    private readonly adapter: DataAdapter,
    privatePaths: Iterable<string> = [],
  ) {
    this.hidden = new Set([...privatePaths].map(norm));
  }

  async list(): Promise<FileStat[]> {
    const out: FileStat[] = [];
    const folders = ["/"];
    for (let dir = folders.pop(); dir !== undefined; dir = folders.pop()) {
      const listed = await this.adapter.list(dir);
      for (const f of listed.folders) folders.push(norm(f));
      for (const f of listed.files) {
        const path = norm(f);
        if (this.hidden.has(path)) continue;
        const s = await this.adapter.stat(path);
        if (s?.type === "file") out.push({ path, size: s.size, mtime: s.mtime });
      }
    }
    return out;
  }

  async stat(path: string): Promise<FileStat | null> {
    const p = norm(path);
    if (this.hidden.has(p)) return null;
    const s = await this.adapter.stat(p);
    return s?.type === "file" ? { path: p, size: s.size, mtime: s.mtime } : null;
  }

  async read(path: string): Promise<Uint8Array> {
    return new Uint8Array(await this.adapter.readBinary(this.checked(path)));
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    const p = this.checked(path);
    await this.mkdirs(parentOf(p));
    const dir = parentOf(p);
    const temp = (dir === "" ? "" : dir + "/") + TEMP_PREFIX + nameOf(p);
    if (await this.adapter.exists(temp)) await this.adapter.remove(temp);
    await this.adapter.writeBinary(temp, toArrayBuffer(data));
    if (await this.adapter.exists(p)) await this.adapter.remove(p);
    await this.adapter.rename(temp, p);
  }

  async append(path: string, data: Uint8Array): Promise<void> {
    const p = this.checked(path);
    await this.mkdirs(parentOf(p));
    await this.adapter.appendBinary(p, toArrayBuffer(data));
  }

  async rename(from: string, to: string): Promise<void> {
    const a = this.checked(from);
    const b = this.checked(to);
    if (await this.adapter.exists(b)) throw new Error(`cannot rename ${a} to ${b}: ${b} exists`);
    await this.mkdirs(parentOf(b));
    await this.adapter.rename(a, b);
  }

  async remove(path: string): Promise<void> {
    const p = this.checked(path);
    if (await this.adapter.exists(p)) await this.adapter.remove(p);
  }

  async mkdirs(path: string): Promise<void> {
    const p = norm(path);
    if (p === "" || (await this.adapter.exists(p))) return;
    await this.adapter.mkdir(p);
  }

  /** `path` normalised; a private file of the plugin is refused (the core must never touch it). */
  private checked(path: string): string {
    const p = norm(path);
    if (p === "" || this.hidden.has(p)) throw new Error(`${path} is not a file the sync may touch`);
    return p;
  }
}

/** A vault-relative path as the core writes it: `/` separated, no leading or trailing `/`. */
function norm(path: string): string {
  const p = normalizePath(path);
  return p === "/" ? "" : p.replace(/^\/+/, "");
}

/** The bytes of `data` as an ArrayBuffer of exactly that length (what the adapter writes). */
function toArrayBuffer(data: Uint8Array): ArrayBuffer {
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) {
    return data.buffer;
  }
  return data.slice().buffer;
}
