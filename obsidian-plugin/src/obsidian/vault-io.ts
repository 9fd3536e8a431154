/**
 * The sync core's {@link VaultIO} over Obsidian's `vault.adapter` (DataAdapter), which reaches every
 * file of the vault, hidden ones under `.obsidian` included (the Vault API sees only notes and
 * attachments), on desktop and on mobile alike.
 *
 * Writes never show a partial file under a note's name: {@link ObsidianVaultIO.write} writes the
 * bytes to a temp name beside the target (`.vstmp-NAME`: a dot file, which Obsidian's vault does
 * not index, and which the core's ignore rules keep local) and puts it in place with
 * {@link ObsidianVaultIO.replace}. Obsidian's adapter refuses to rename onto an existing file, so a
 * replace moves the old version aside first (`.vstmp-old-NAME`), renames the new one into place and
 * then removes the old one. If that is interrupted between the two renames, the next
 * {@link ObsidianVaultIO.list} puts the old version back, so the name never reads as deleted.
 * Downloads in parts go through {@link ObsidianVaultIO.append} to a temp name the core replaces
 * the note with when the whole-file check passed.
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
        const path = nameOf(f).startsWith(OLD_PREFIX) ? await this.recover(norm(f)) : norm(f);
        if (path === null || this.hidden.has(path)) continue;
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
    const temp = beside(p, TEMP_PREFIX);
    if (await this.adapter.exists(temp)) await this.adapter.remove(temp);
    await this.adapter.writeBinary(temp, toArrayBuffer(data));
    await this.replace(temp, p);
  }

  async replace(from: string, to: string): Promise<void> {
    const a = this.checked(from);
    const b = this.checked(to);
    await this.mkdirs(parentOf(b));
    if (!(await this.adapter.exists(b))) {
      await this.adapter.rename(a, b);
      return;
    }
    const old = beside(b, OLD_PREFIX);
    if (await this.adapter.exists(old)) await this.adapter.remove(old);
    await this.adapter.rename(b, old);
    await this.adapter.rename(a, b);
    await this.adapter.remove(old);
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

  /**
   * An old version a replace left aside (`.vstmp-old-NAME`): put back when NAME is missing (the
   * replace stopped between its renames; returns NAME to list), else removed (returns null).
   */
  private async recover(old: string): Promise<string | null> {
    const dir = parentOf(old);
    const target = (dir === "" ? "" : dir + "/") + nameOf(old).slice(OLD_PREFIX.length);
    if (await this.adapter.exists(target)) {
      await this.adapter.remove(old);
      return null;
    }
    await this.adapter.rename(old, target);
    return target;
  }

  /** `path` normalised; a private file of the plugin is refused (the core must never touch it). */
  private checked(path: string): string {
    const p = norm(path);
    if (p === "" || this.hidden.has(p)) throw new Error(`${path} is not a file the sync may touch`);
    return p;
  }
}

/** Prefix of an old version a replace moved aside (a temp name too, so never synced). */
const OLD_PREFIX = `${TEMP_PREFIX}old-`;

/** `path` with `prefix` before its name, in the same folder. */
function beside(path: string, prefix: string): string {
  const dir = parentOf(path);
  return (dir === "" ? "" : dir + "/") + prefix + nameOf(path);
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
