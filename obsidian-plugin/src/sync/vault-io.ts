/**
 * The one door through which the sync core reads and writes a vault. The Obsidian plugin implements
 * it on `vault.adapter`; tests use {@link MemoryVaultIO} or a temp folder. Paths are vault-relative
 * note paths (`/` separated, no leading `/`). The core never touches a file any other way.
 *
 * Writes are atomic from a reader's point of view: {@link VaultIO.write} writes a temp file and
 * renames it into place, and the core writes downloads through {@link VaultIO.append} to a temp
 * name it then renames, so no partial file is ever visible under a note's name.
 */
export interface FileStat {
  /** The vault-relative path. */
  readonly path: string;
  readonly size: number;
  /** Milliseconds since the epoch; only a hint that a file may have changed (decisions use hashes). */
  readonly mtime: number;
}

export interface VaultIO {
  /** Every file of the vault (not folders), with size and mtime. */
  list(): Promise<FileStat[]>;
  /** The file at `path`, or null when nothing (or a folder) is there. */
  stat(path: string): Promise<FileStat | null>;
  /** The whole content of the file at `path` (throws if it is missing). */
  read(path: string): Promise<Uint8Array>;
  /** Writes `data` to `path` atomically (temp + rename), making its folders. */
  write(path: string, data: Uint8Array): Promise<void>;
  /** Appends `data` to the file at `path`, creating it (and its folders) if missing. */
  append(path: string, data: Uint8Array): Promise<void>;
  /** Renames the file `from` to `to` (which must not exist), making `to`'s folders. */
  rename(from: string, to: string): Promise<void>;
  /**
   * Puts the file `from` (a finished temp file) in place of `to`, which may exist. Atomic where
   * the platform allows; where it does not, an interrupted replace must leave the old or the new
   * version at `to` (never neither: a missing file would read as a delete).
   */
  replace(from: string, to: string): Promise<void>;
  /** Deletes the file at `path`; nothing if it is already gone. */
  remove(path: string): Promise<void>;
  /** Makes the folder `path` and its parents. */
  mkdirs(path: string): Promise<void>;
}

/** The folder part of `path` ("" at the root). */
export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** The last segment of `path`. */
export function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/**
 * A vault in memory: for tests and the headless Chromium run. `now` gives mtimes (a counter by
 * default, so every write is seen as a change).
 */
export class MemoryVaultIO implements VaultIO {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  private clock = 1;

  constructor(private readonly now: () => number = () => this.clock++) {}

  list(): Promise<FileStat[]> {
    const out: FileStat[] = [];
    for (const [path, f] of this.files) out.push({ path, size: f.data.length, mtime: f.mtime });
    return Promise.resolve(out);
  }

  stat(path: string): Promise<FileStat | null> {
    const f = this.files.get(path);
    return Promise.resolve(f ? { path, size: f.data.length, mtime: f.mtime } : null);
  }

  read(path: string): Promise<Uint8Array> {
    const f = this.files.get(path);
    if (!f) return Promise.reject(new Error(`${path} does not exist`));
    return Promise.resolve(f.data.slice());
  }

  write(path: string, data: Uint8Array): Promise<void> {
    this.files.set(path, { data: data.slice(), mtime: this.now() });
    return Promise.resolve();
  }

  append(path: string, data: Uint8Array): Promise<void> {
    const f = this.files.get(path);
    const old = f ? f.data : new Uint8Array(0);
    const next = new Uint8Array(old.length + data.length);
    next.set(old, 0);
    next.set(data, old.length);
    this.files.set(path, { data: next, mtime: this.now() });
    return Promise.resolve();
  }

  rename(from: string, to: string): Promise<void> {
    const f = this.files.get(from);
    if (!f) return Promise.reject(new Error(`cannot rename ${from}: it does not exist`));
    if (this.files.has(to)) return Promise.reject(new Error(`cannot rename ${from} to ${to}: ${to} exists`));
    this.files.delete(from);
    this.files.set(to, f);
    return Promise.resolve();
  }

  replace(from: string, to: string): Promise<void> {
    const f = this.files.get(from);
    if (!f) return Promise.reject(new Error(`cannot move ${from} to ${to}: ${from} does not exist`));
    this.files.delete(from);
    this.files.set(to, { data: f.data, mtime: this.now() });
    return Promise.resolve();
  }

  remove(path: string): Promise<void> {
    this.files.delete(path);
    return Promise.resolve();
  }

  mkdirs(): Promise<void> {
    return Promise.resolve();
  }

  /** Test helper: the content at `path` as UTF-8 text, or null. */
  text(path: string): string | null {
    const f = this.files.get(path);
    return f ? new TextDecoder().decode(f.data) : null;
  }

  /** Test helper: every path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort();
  }
}
