// A fake of the parts of Obsidian's API the plugin uses, for unit tests (vitest aliases "obsidian"
// to this file). Grows with the plugin; it never imitates behaviour a test relies on without
// saying so.
export class Plugin {}
