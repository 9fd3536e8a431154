// eslint with Obsidian's plugin rules (eslint-plugin-obsidianmd: its recommended set includes
// eslint's and typescript-eslint's type-checked rules).
import { defineConfig } from "eslint/config";
import obsidianmd from "eslint-plugin-obsidianmd";
import globals from "globals";

export default defineConfig([
  { ignores: ["main.js", "node_modules/**", "src/gen/**", "test-results/**"] },
  ...obsidianmd.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: {
        projectService: {
          allowDefaultProject: ["eslint.config.mjs", "esbuild.config.mjs", "scripts/*.mjs"],
        },
      },
    },
  },
  {
    // "http" in UI text is the server's --http option or a URL's scheme, not an acronym to capitalize.
    rules: { "obsidianmd/ui/sentence-case": ["warn", { enforceCamelCaseLower: true, ignoreWords: ["http", "https", "--http"] }] },
  },
  {
    files: ["test/**/*.ts", "scripts/**/*.mjs", "*.mjs", "vitest.config.ts"],
    languageOptions: {
      globals: { ...globals.node },
    },
    rules: {
      "obsidianmd/no-nodejs-modules": "off",
      "import/no-nodejs-modules": "off",
    },
  },
]);
