// A VaultIO on a folder of the local disk (node:fs), for the end-to-end tests: the plugin's
// VaultIO is Obsidian's vault.adapter; this one lets a test compare bytes with the CLI's folder and
// measure memory without a vault held in memory.
import { appendFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import type { FileStat, VaultIO } from "../../src/sync/vault-io";

export class NodeVaultIO implements VaultIO {
  private n = 0;

  constructor(readonly root: string) {}

  private abs(p: string): string {
    return join(this.root, ...p.split("/"));
  }

  async list(): Promise<FileStat[]> {
    const out: FileStat[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const d of await readdir(dir, { withFileTypes: true })) {
        const full = join(dir, d.name);
        if (d.isDirectory()) await walk(full);
        else if (d.isFile()) {
          const s = await stat(full);
          out.push({ path: relative(this.root, full).split(sep).join("/"), size: s.size, mtime: s.mtimeMs });
        }
      }
    };
    await walk(this.root);
    return out;
  }

  async stat(p: string): Promise<FileStat | null> {
    try {
      const s = await stat(this.abs(p));
      return s.isFile() ? { path: p, size: s.size, mtime: s.mtimeMs } : null;
    } catch {
      return null;
    }
  }

  async read(p: string): Promise<Uint8Array> {
    return new Uint8Array(await readFile(this.abs(p)));
  }

  async write(p: string, data: Uint8Array): Promise<void> {
    const target = this.abs(p);
    await mkdir(dirname(target), { recursive: true });
    const temp = join(dirname(target), `.vstmp-io-${process.pid}-${this.n++}`);
    await writeFile(temp, data);
    await rename(temp, target);
  }

  async append(p: string, data: Uint8Array): Promise<void> {
    await mkdir(dirname(this.abs(p)), { recursive: true });
    await appendFile(this.abs(p), data);
  }

  async rename(from: string, to: string): Promise<void> {
    if (await this.stat(to)) throw new Error(`cannot rename ${from} to ${to}: ${to} exists`);
    await mkdir(dirname(this.abs(to)), { recursive: true });
    await rename(this.abs(from), this.abs(to));
  }

  async replace(from: string, to: string): Promise<void> {
    await mkdir(dirname(this.abs(to)), { recursive: true });
    await rename(this.abs(from), this.abs(to)); // atomic on POSIX
  }

  async remove(p: string): Promise<void> {
    await rm(this.abs(p), { force: true });
  }

  async mkdirs(p: string): Promise<void> {
    await mkdir(this.abs(p), { recursive: true });
  }
}
