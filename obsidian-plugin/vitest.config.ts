import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    // Unit tests run the plugin's code against a fake of Obsidian's API (test/fake-obsidian.ts).
    alias: { obsidian: fileURLToPath(new URL("./test/fake-obsidian.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Builds the server jar the end-to-end tests need when it is missing (test/harness/global-setup.ts).
    globalSetup: ["test/harness/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
