import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Obsidian installs the plugin from manifest.json; versions.json maps each plugin version to the
// oldest Obsidian it runs on. Both must agree with package.json, and the plugin must load on phones.
function json(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../${name}`, import.meta.url), "utf8")) as Record<string, unknown>;
}

describe("manifest.json", () => {
  it("is the same version as package.json and versions.json names its minAppVersion", () => {
    const manifest = json("manifest.json");
    expect(manifest.version).toBe(json("package.json").version);
    expect(json("versions.json")[manifest.version as string]).toBe(manifest.minAppVersion);
  });

  it("is not desktop-only, so Obsidian on iOS and Android loads it", () => {
    expect(json("manifest.json").isDesktopOnly).toBe(false);
  });
});
