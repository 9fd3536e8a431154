// The CLI's defaults name Obsidian's default config folder; here the folder is Vault#configDir
// (which a user can change), so the tests use another name for it.
const C = ".config";
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { DEFAULT_PATTERNS, IgnoreRules } from "../../src/sync/ignore";

describe("IgnoreRules", () => {
  const d = IgnoreRules.parse("", C);

  it("keeps Obsidian's per-device layout and caches local, as the CLI does", () => {
    expect(d.ignores(`${C}/workspace.json`)).toBe(true);
    expect(d.ignores(`${C}/workspace-mobile.json`)).toBe(true);
    expect(d.ignores(`${C}/cache`)).toBe(true);
    expect(d.ignores(`${C}/workspaces.json`)).toBe(false);
    expect(d.ignores(`${C}/app.json`)).toBe(false);
    expect(d.ignores(`${C}/plugins/dataview/main.js`)).toBe(false);
  });

  it("never syncs this plugin's own folder (token, state), state folders or temp files", () => {
    expect(d.ignores(`${C}/plugins/vaultsync/data.json`)).toBe(true);
    expect(d.ignores("a/.vaultsync/index")).toBe(true);
    expect(d.ignores("notes/.vstmp-1234")).toBe(true);
    const custom = IgnoreRules.parse("", C, "vs");
    expect(custom.ignores(".config/plugins/vs/data.json")).toBe(true);
    expect(custom.ignores(".config/workspace.json")).toBe(true);
  });

  it("workspace files stay local even when .vaultsyncignore says otherwise", () => {
    const r = IgnoreRules.parse(`!/${C}/workspace.json\n!workspace-mobile.json`, C);
    expect(r.ignores(`${C}/workspace.json`)).toBe(true);
    expect(r.ignores(`${C}/workspace-mobile.json`)).toBe(true);
  });

  it("has the CLI's OS and editor junk defaults, overridable by !", () => {
    for (const p of [".DS_Store", "a/._x", "Thumbs.db", "a/b.swp", "x~", ".#a", "#a#", "4913", "a.tmp", "~$doc.docx", "f.part", ".Trashes/x"]) {
      expect(d.ignores(p), p).toBe(true);
    }
    expect(d.ignores("a/.Trashes/x")).toBe(false);
    expect(IgnoreRules.parse("!*.tmp", C).ignores("a.tmp")).toBe(false);
  });

  it("reads gitignore syntax: anchors, folders, **, classes, later lines win", () => {
    const r = IgnoreRules.parse("# c\n/drafts/\nprivate/**\n**/secret.md\n*.[ch]\n!keep.c\nlogs\n!logs/x.md\n", C);
    expect(r.ignores("drafts/a.md")).toBe(true);
    expect(r.ignores("x/drafts/a.md")).toBe(false);
    expect(r.ignores("drafts")).toBe(false); // a file named drafts: the pattern is for folders
    expect(r.ignores("private/a/b.md")).toBe(true);
    expect(r.ignores("a/b/secret.md")).toBe(true);
    expect(r.ignores("a.c")).toBe(true);
    expect(r.ignores("keep.c")).toBe(false);
    expect(r.ignores("logs/x.md")).toBe(true); // inside an excluded folder: stays excluded
    expect(r.ignores("ok.md")).toBe(false);
  });

  it("names bad lines and keeps going", () => {
    const r = IgnoreRules.parse("a//b\n/\n*.log", C);
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toMatch(/line 1/);
    expect(r.ignores("x.log")).toBe(true);
  });

  it("has exactly the CLI's default list (read from IgnoreRules.java)", () => {
    const java = readFileSync(new URL("../../../vault-model/src/main/java/io/vaultsync/model/ignore/IgnoreRules.java", import.meta.url), "utf8");
    const list = java.slice(java.indexOf("DEFAULT_PATTERNS ="), java.indexOf(");", java.indexOf("DEFAULT_PATTERNS =")));
    const literals = [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\\\/g, "\\"));
    const config = "." + "obsidian"; // the CLI's list names Obsidian's default config folder
    expect(DEFAULT_PATTERNS.map((p) => p.replace("CONFIG", config))).toEqual(literals);
  });
});
