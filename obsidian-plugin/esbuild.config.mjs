// Bundles src/main.ts into main.js for Obsidian (the layout of obsidian-sample-plugin). The plugin
// uses only Obsidian's API and the browser's, so no Node module is marked external: a bundle that
// needed one would fail here, not on a phone.
import esbuild from "esbuild";
import process from "node:process";

const banner = `/*
vaultsync for Obsidian. Bundled by esbuild; the sources are in src/ of
https://github.com/vaultsync/vaultsync/tree/main/obsidian-plugin
*/
`;

const prod = process.argv[2] === "production";

const context = await esbuild.context({
  banner: { js: banner },
  entryPoints: ["src/main.ts"],
  bundle: true,
  external: [
    "obsidian",
    "electron",
    "@codemirror/autocomplete",
    "@codemirror/collab",
    "@codemirror/commands",
    "@codemirror/language",
    "@codemirror/lint",
    "@codemirror/search",
    "@codemirror/state",
    "@codemirror/view",
    "@lezer/common",
    "@lezer/highlight",
    "@lezer/lr",
  ],
  platform: "browser",
  format: "cjs",
  target: "es2020",
  logLevel: "info",
  sourcemap: prod ? false : "inline",
  treeShaking: true,
  outfile: "main.js",
  minify: prod,
});

if (prod) {
  await context.rebuild();
  process.exit(0);
} else {
  await context.watch();
}
