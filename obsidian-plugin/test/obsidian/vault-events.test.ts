import { describe, expect, it } from "vitest";
import { App, TFile, TFolder, type TAbstractFile } from "../fake-obsidian";
import type { VaultEvent } from "../../src/obsidian/engine-port";
import { VaultEventMapper } from "../../src/obsidian/vault-events";

/** The mapper as the tests call it: with the fake's files, which are Obsidian's at run time. */
interface Mapper {
  onCreate(file: TAbstractFile): void;
  onModify(file: TAbstractFile): void;
  onDelete(file: TAbstractFile): void;
  onRename(file: TAbstractFile, oldPath: string): void;
}

function mapper(...args: ConstructorParameters<typeof VaultEventMapper>): Mapper {
  return new VaultEventMapper(...args) as unknown as Mapper;
}

function recorder(): { sink: (e: VaultEvent) => void; told: string[] } {
  const told: string[] = [];
  return {
    told,
    sink: (e) => told.push(e.type === "rename" ? `moved ${e.oldPath} -> ${e.path}` : `${e.type} ${e.path}`),
  };
}

describe("VaultEventMapper", () => {
  it("tells a created, modified or deleted file as such, and nothing for a new folder", () => {
    const { sink, told } = recorder();
    const m = mapper(sink);
    const f = new TFile("notes/a.md");
    m.onCreate(f);
    m.onModify(f);
    m.onDelete(f);
    m.onCreate(new TFolder("empty"));
    expect(told).toEqual(["create notes/a.md", "modify notes/a.md", "delete notes/a.md"]);
  });

  it("tells a renamed file as one move, never a delete plus an add", () => {
    const { sink, told } = recorder();
    mapper(sink).onRename(new TFile("b.md"), "a.md");
    expect(told).toEqual(["moved a.md -> b.md"]);
  });

  it("tells a renamed folder as a move of every file under it, nested folders included", () => {
    const vault = new App().vault;
    const root = vault.add(new TFolder("new"));
    vault.add(new TFile("new/a.md"));
    vault.add(new TFolder("new/sub"));
    vault.add(new TFile("new/sub/b.png"));
    const { sink, told } = recorder();
    const m = mapper(sink);
    m.onRename(root, "old");
    // Obsidian may also send the files' own rename events: they are not told twice.
    const a = vault.getAbstractFileByPath("new/a.md");
    expect(a).toBeInstanceOf(TFile);
    m.onRename(a!, "old/a.md");
    expect(told.sort()).toEqual(["moved old/a.md -> new/a.md", "moved old/sub/b.png -> new/sub/b.png"]);
  });

  it("tells a deleted folder as a delete of its path", () => {
    const { sink, told } = recorder();
    mapper(sink).onDelete(new TFolder("gone"));
    expect(told).toEqual(["delete gone"]);
  });

  it("drops ignored paths: a temp file renamed into place is a create, a file moved out of sync a delete", () => {
    const { sink, told } = recorder();
    const m = mapper(sink, (p) => p.endsWith(".tmp"));
    m.onCreate(new TFile("a.md.tmp"));
    m.onRename(new TFile("a.md"), "a.md.tmp");
    m.onRename(new TFile("b.md.tmp"), "b.md");
    expect(told).toEqual(["create a.md", "delete b.md"]);
  });
});
