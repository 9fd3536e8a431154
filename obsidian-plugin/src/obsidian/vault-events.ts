/**
 * Obsidian's vault events (create, modify, delete, rename) as the changes the sync engine needs.
 * A rename is a move, never a delete plus an add; a renamed or moved folder is one move per file
 * under it (Obsidian tells only the folder's old path; the files already carry their new ones).
 * Paths the sync never touches (the plugin's own files, temp files) are dropped here.
 */
import { TFile, TFolder, type TAbstractFile } from "obsidian";

/** What the engine is told. Paths are vault-relative, `/` separated. */
export interface VaultChangeSink {
  /** A file was created or its content changed. */
  changed(path: string): void;
  /** A file was deleted. */
  deleted(path: string): void;
  /** A folder was deleted with whatever was still under it. */
  folderDeleted(path: string): void;
  /** A file moved (renamed, or moved with its folder). */
  moved(from: string, to: string): void;
}

export class VaultEventMapper {
  /** Moves already told for a folder's files, so a file event Obsidian may also send is not told twice. */
  private readonly toldMoves = new Set<string>();

  constructor(
    private readonly sink: VaultChangeSink,
    private readonly ignored: (path: string) => boolean = () => false,
  ) {}

  onCreate(file: TAbstractFile): void {
    if (file instanceof TFile && !this.ignored(file.path)) this.sink.changed(file.path);
  }

  onModify(file: TAbstractFile): void {
    this.onCreate(file);
  }

  onDelete(file: TAbstractFile): void {
    if (this.ignored(file.path)) return;
    if (file instanceof TFolder) this.sink.folderDeleted(file.path);
    else this.sink.deleted(file.path);
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
    if (fromIgnored) this.sink.changed(to);
    else if (toIgnored) this.sink.deleted(from);
    else this.sink.moved(from, to);
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
