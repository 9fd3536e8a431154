import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** name → content of every local entry of a zip. */
function unzip(zip: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (let at = 0; zip.readUInt32LE(at) === 0x04034b50; ) {
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString("utf8");
    const data = zip.subarray(at + 30 + nameLength, at + 30 + nameLength + size);
    out.set(name, inflateRawSync(data).toString("utf8"));
    at += 30 + nameLength + size;
  }
  return out;
}

describe("npm run release", () => {
  it("writes a zip of the plugin's folder: main.js and manifest.json under the plugin's id", () => {
    const dir = mkdtempSync(join(tmpdir(), "vaultsync-release-"));
    try {
      copyFileSync(join(root, "manifest.json"), join(dir, "manifest.json"));
      writeFileSync(join(dir, "main.js"), "module.exports = {};\n");
      execFileSync(process.execPath, [join(root, "scripts/release.mjs")], { cwd: dir });
      const version = (JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { version: string }).version;
      const files = unzip(readFileSync(join(dir, "release", `vaultsync-${version}.zip`)));
      expect([...files.keys()]).toEqual(["vaultsync/main.js", "vaultsync/manifest.json"]);
      expect(files.get("vaultsync/main.js")).toBe("module.exports = {};\n");
      expect(files.get("vaultsync/manifest.json")).toBe(readFileSync(join(root, "manifest.json"), "utf8"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
