import { describe, expect, it } from "vitest";
import { nextConflictName } from "../../src/sync/conflict-names";

describe("nextConflictName (as the CLI's ConflictNames)", () => {
  const t = new Date(2026, 11, 8, 1, 2, 3);

  it("names the copy beside the file with device and local time", () => {
    expect(nextConflictName("a/Note.md", "phone", t, () => false)).toBe("a/Note (conflict phone 2026-12-08 010203).md");
    expect(nextConflictName("README", "laptop", t, () => false)).toBe("README (conflict laptop 2026-12-08 010203)");
    expect(nextConflictName(".hidden", "d", t, () => false)).toBe(".hidden (conflict d 2026-12-08 010203)");
  });

  it("counts up when the name is taken", () => {
    const taken = new Set(["Note (conflict p 2026-12-08 010203).md", "Note (conflict p 2026-12-08 010203 2).md"]);
    expect(nextConflictName("Note.md", "p", t, (p) => taken.has(p))).toBe("Note (conflict p 2026-12-08 010203 3).md");
  });

  it("shortens a long stem to fit 255 bytes", () => {
    const name = nextConflictName("x".repeat(250) + ".md", "p", t, () => false);
    expect(new TextEncoder().encode(name).length).toBeLessThanOrEqual(255);
    expect(name.endsWith(" (conflict p 2026-12-08 010203).md")).toBe(true);
  });
});
