import { describe, expect, it } from "vitest";
import { FakeAdapter, Vault } from "../fake-obsidian";

const CONFIG = new Vault().configDir;
import { ObsidianVaultIO } from "../../src/obsidian/vault-io";

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function setup(): { adapter: FakeAdapter; io: ObsidianVaultIO } {
  const adapter = new FakeAdapter();
  const io = new ObsidianVaultIO(adapter as never, [`${CONFIG}/plugins/vaultsync/data.json`]);
  return { adapter, io };
}

describe("ObsidianVaultIO", () => {
  it("writes through a temp name and a rename: the note's name never holds a partial file", async () => {
    const { adapter, io } = setup();
    await io.write("notes/deep/a.md", bytes("first"));
    await io.write("notes/deep/a.md", bytes("second, longer"));
    expect(adapter.text("notes/deep/a.md")).toBe("second, longer");
    // Under the note's own name only renames of complete temp files ever happened.
    const underName = adapter.writes.filter((w) => w.path === "notes/deep/a.md");
    // first write: temp renamed in; second: the old version moved aside, the new one renamed in
    expect(underName.map((w) => w.op)).toEqual(["rename", "rename"]);
    expect(adapter.writes.filter((w) => w.op === "write").map((w) => w.path)).toEqual([
      "notes/deep/.vstmp-a.md",
      "notes/deep/.vstmp-a.md",
    ]);
    expect([...adapter.files.keys()]).toEqual(["notes/deep/a.md"]);
  });

  it("puts the old version back when a replace stopped between its two renames, so the note never reads as deleted", async () => {
    const { adapter, io } = setup();
    await io.write("n.md", bytes("old"));
    await adapter.writeBinary(".vstmp-n.md", bytes("new").buffer as ArrayBuffer);
    await adapter.rename("n.md", ".vstmp-old-n.md"); // ... and the app was killed here
    const listed = await io.list();
    expect(listed.filter((f) => f.path === "n.md")).toHaveLength(1);
    expect(adapter.text("n.md")).toBe("old");
    expect(adapter.text(".vstmp-old-n.md")).toBeNull();
    // a replace that finished its second rename only leaves the old version to remove
    await io.replace(".vstmp-n.md", "n.md");
    await adapter.writeBinary(".vstmp-old-n.md", bytes("old").buffer as ArrayBuffer);
    await io.list();
    expect(adapter.text("n.md")).toBe("new");
    expect(adapter.text(".vstmp-old-n.md")).toBeNull();
  });

  it("appends parts of a download, making the folders, and a replace puts it in place of the old version", async () => {
    const { adapter, io } = setup();
    await io.append("big/.vstmp-photo.png", bytes("part1-"));
    await io.append("big/.vstmp-photo.png", bytes("part2"));
    await io.replace("big/.vstmp-photo.png", "big/photo.png");
    expect(adapter.text("big/photo.png")).toBe("part1-part2");
    await io.append("big/.vstmp-photo.png", bytes("v2"));
    await io.replace("big/.vstmp-photo.png", "big/photo.png");
    expect(adapter.text("big/photo.png")).toBe("v2");
    await io.write("big/other.png", bytes("o"));
    await expect(io.rename("big/photo.png", "big/other.png")).rejects.toThrow("exists");
  });

  it("lists every file with size and mtime, files in the hidden config folder included, the plugin's private files not", async () => {
    const { adapter, io } = setup();
    await io.write("a.md", bytes("aa"));
    await io.write(`${CONFIG}/app.json`, bytes("{}"));
    await adapter.mkdir(`${CONFIG}/plugins/vaultsync`);
    await adapter.writeBinary(`${CONFIG}/plugins/vaultsync/data.json`, bytes('{"token":"x"}').buffer as ArrayBuffer);
    const listed = (await io.list()).sort((x, y) => x.path.localeCompare(y.path));
    expect(listed.map((f) => [f.path, f.size])).toEqual([
      [`${CONFIG}/app.json`, 2],
      ["a.md", 2],
    ]);
    expect(listed.every((f) => f.mtime > 0)).toBe(true);
    expect(await io.stat(`${CONFIG}/plugins/vaultsync/data.json`)).toBeNull();
    await expect(io.read(`${CONFIG}/plugins/vaultsync/data.json`)).rejects.toThrow("not a file the sync may touch");
  });

  it("stats files only, reads whole files and removes quietly what is gone", async () => {
    const { io } = setup();
    await io.write("d/x.md", bytes("xyz"));
    expect(await io.stat("d")).toBeNull();
    expect((await io.stat("d/x.md"))?.size).toBe(3);
    expect(new TextDecoder().decode(await io.read("d/x.md"))).toBe("xyz");
    await io.remove("d/x.md");
    await io.remove("d/x.md");
    expect(await io.stat("d/x.md")).toBeNull();
  });
});
