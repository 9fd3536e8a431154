/**
 * Obsidian's vault events (create, modify, delete, rename) as the changes the sync engine needs.
 * A rename is a move, never a delete plus an add; a renamed or moved folder is one move per file
 * under it (Obsidian tells only the folder's old path; the files already carry their new ones).
 * Paths the sync never touches (the plugin's own files, temp files) are dropped here.
 */
import { TFile, TFolder, type TAbstractFile } from "obsidian";
import type { VaultEvent } from "./engine-port";

export class VaultEventMapper {
  /** Moves already told for a folder's files, so a file event Obsidian may also send is not told twice. */
  private readonly toldMoves = new Set<string>();

  constructor(
    private readonly tell: (e: VaultEvent) => void,
    private readonly ignored: (path: string) => boolean = () => false,
  ) {}

  onCreate(file: TAbstractFile): void {
    if (file instanceof TFile && !this.ignored(file.path)) this.tell({ type: "create", path: file.path });
  }

  onModify(file: TAbstractFile): void {
    if (file instanceof TFile && !this.ignored(file.path)) this.tell({ type: "modify", path: file.path });
  }

  /** A deleted file, or a deleted folder (with whatever was still under it: the next round's scan finds what). */
  onDelete(file: TAbstractFile): void {
    if (!this.ignored(file.path)) this.tell({ type: "delete", path: file.path });
  }

  onRename(file: TAbstractFile, oldPath: string): void {
    if (file instanceof TFolder) {
      this.toldMoves.clear();
      for (const f of filesUnder(file)) {
        const from = oldPath + f.path.slice(file.path.length);
        this.toldMoves.add(key(from, f.path));
        this.moveOne(from, f.path);
      }
      return;
    }
    if (this.toldMoves.delete(key(oldPath, file.path))) return;
    this.moveOne(oldPath, file.path);
  }

  private moveOne(from: string, to: string): void {
    const fromIgnored = this.ignored(from);
    const toIgnored = this.ignored(to);
    if (fromIgnored && toIgnored) return;
    if (fromIgnored) this.tell({ type: "create", path: to });
    else if (toIgnored) this.tell({ type: "delete", path: from });
    else this.tell({ type: "rename", path: to, oldPath: from });
  }
}

function key(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

/** Every file below `folder`, depth first. */
function filesUnder(folder: TFolder): TFile[] {
  const out: TFile[] = [];
  const stack: TAbstractFile[] = [...folder.children];
  for (let f = stack.pop(); f !== undefined; f = stack.pop()) {
    if (f instanceof TFile) out.push(f);
    else if (f instanceof TFolder) stack.push(...f.children);
  }
  return out;
}
