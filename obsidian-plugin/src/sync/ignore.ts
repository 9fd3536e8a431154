/**
 * Which paths stay on this device, as the CLI's IgnoreRules (vault-model, io.vaultsync.model.ignore):
 *
 * 1. Never synced, whatever the patterns say: a `.vaultsync` segment at any depth (the CLI's state),
 *    the engines' temporary files (`.vstmp-*`), Obsidian's per-device layout
 *    (`<configDir>/workspace.json`, `<configDir>/workspace-*.json`) and this plugin's own folder
 *    (`<configDir>/plugins/<pluginId>/`: its settings hold the device token and its sync state is
 *    per device; syncing them would hand one device's token and index to another).
 * 2. The CLI's built-in defaults (the same list, so the CLI and the plugin leave the same files out),
 *    overridable by a `!` line.
 * 3. `.vaultsyncignore` at the vault root, gitignore syntax; later lines win; a path inside an
 *    excluded folder stays excluded.
 *
 * `.obsidian/` otherwise is synced, as the CLI syncs it: settings, hotkeys, themes, snippets and
 * plugins are what a person means by "the same vault on my phone", the CLI on a laptop already
 * sends them, and a plugin that left them out would make the laptop's and the phone's copies
 * differ forever. A user who wants them per device writes `/.obsidian/` into .vaultsyncignore (the
 * file is synced, so every device agrees). `workspaces.json` (saved layouts of the Workspaces core
 * plugin) is the user's and is synced, as in the CLI; only the live layout files are per device.
 */
export const FILE_NAME = ".vaultsyncignore";
export const MAX_FILE_BYTES = 64 * 1024;
export const MAX_PATTERNS = 1000;
export const MAX_LINE = 4096;
/** Prefix of the engines' temporary files (the CLI's AtomicFiles.TEMP_PREFIX). */
export const TEMP_PREFIX = ".vstmp-";
const STATE_FOLDER = ".vaultsync";

/**
 * The CLI's IgnoreRules.DEFAULT_PATTERNS, with Obsidian's configuration folder (`.obsidian` in the
 * CLI's list; `Vault#configDir` here, which a user can change) for `CONFIG`.
 */
export const DEFAULT_PATTERNS: readonly string[] = [
  "/CONFIG/workspace.json",
  "/CONFIG/workspace-*.json",
  "/CONFIG/cache",
  ".DS_Store",
  "._*",
  "Thumbs.db",
  "ehthumbs.db",
  "desktop.ini",
  "/.Spotlight-V100/",
  "/.Trashes/",
  "/.fseventsd/",
  "/$RECYCLE.BIN/",
  "*.swp",
  "*.swo",
  "*.swx",
  "*~",
  ".#*",
  "\\#*#",
  "4913",
  "*.tmp",
  ".~lock.*#",
  "~$*",
  "*.crdownload",
  "*.part",
];

/** One compiled line: segments (null = `**`), each a RegExp for one path segment. */
class Pattern {
  private constructor(
    private readonly segments: (RegExp | null)[],
    readonly negated: boolean,
    private readonly folderOnly: boolean,
  ) {}

  /** The pattern of one line, null for a blank line or comment; throws naming a bad line. */
  static parse(line: string): Pattern | null {
    if (line.length > MAX_LINE) throw new Error(`ignore pattern of ${line.length} characters; at most ${MAX_LINE}`);
    let s = line.replace(/[\r\n]+$/, "");
    while (s.endsWith(" ") && !s.endsWith("\\ ")) s = s.slice(0, -1);
    if (s === "" || s.startsWith("#")) return null;
    let negated = false;
    if (s.startsWith("!")) {
      negated = true;
      s = s.slice(1);
    }
    let folderOnly = false;
    if (s.endsWith("/") && !s.endsWith("\\/")) {
      folderOnly = true;
      s = s.slice(0, -1);
    }
    const anchored = s.includes("/");
    if (s.startsWith("/")) s = s.slice(1);
    if (s === "") throw new Error(`ignore pattern "${line}" names no file; expected e.g. *.tmp or /drafts/`);
    const segments: (RegExp | null)[] = [];
    if (!anchored) segments.push(null);
    for (const part of s.split("/")) {
      if (part === "") throw new Error(`ignore pattern "${line}" has an empty path segment (//); expected a/b`);
      if (part === "**") {
        if (segments.length === 0 || segments[segments.length - 1] !== null) segments.push(null);
      } else {
        segments.push(globToRegExp(part));
      }
    }
    if (segments[segments.length - 1] === null) segments.push(globToRegExp("*"));
    return new Pattern(segments, negated, folderOnly);
  }

  matches(path: string[], folder: boolean): boolean {
    if (this.folderOnly && !folder) return false;
    const seg = this.segments;
    if (seg.length === 2 && seg[0] === null && seg[1] !== null) return seg[1].test(path[path.length - 1]);
    let pi = 0;
    let ti = 0;
    let starT = -1;
    let starP = 0;
    while (pi < path.length) {
      const t = ti < seg.length ? seg[ti] : undefined;
      if (t && t.test(path[pi])) {
        pi++;
        ti++;
      } else if (t === null) {
        starT = ti++;
        starP = pi;
      } else if (starT >= 0) {
        ti = starT + 1;
        pi = ++starP;
      } else {
        return false;
      }
    }
    while (ti < seg.length && seg[ti] === null) ti++;
    return ti === seg.length;
  }
}

/** One glob segment (`*`, `?`, `[a-z]`, `[!a-z]`, `\x`) as an anchored RegExp. */
function globToRegExp(glob: string): RegExp {
  const cps = Array.from(glob);
  let re = "";
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (c === "\\" && i + 1 < cps.length) {
      re += escapeRe(cps[++i]);
    } else if (c === "*") {
      if (!re.endsWith("[^]*")) re += "[^]*";
    } else if (c === "?") {
      re += "[^]";
    } else if (c === "[") {
      const end = classEnd(cps, i);
      if (end < 0) {
        re += "\\[";
      } else {
        let j = i + 1;
        let neg = false;
        if (cps[j] === "!" || cps[j] === "^") {
          neg = true;
          j++;
        }
        let body = "";
        for (; j < end; j++) {
          const ch = cps[j] === "\\" && j + 1 < end ? cps[++j] : cps[j];
          body += ch === "-" && body !== "" && j + 1 < end ? "-" : ch === "-" ? "\\-" : escapeRe(ch);
        }
        re += (neg ? "[^" : "[") + body + "]";
        i = end;
      }
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp("^" + re + "$", "u");
}

function classEnd(cps: string[], open: number): number {
  let i = open + 1;
  if (cps[i] === "!" || cps[i] === "^") i++;
  if (cps[i] === "]") i++;
  for (; i < cps.length; i++) {
    if (cps[i] === "\\") i++;
    else if (cps[i] === "]") return i;
  }
  return -1;
}

function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? "\\" + c : c;
}

/** The rules of one vault. Immutable. */
export class IgnoreRules {
  private constructor(
    private readonly patterns: readonly Pattern[],
    /** Lines of .vaultsyncignore left out, each naming the line and the problem. */
    readonly problems: readonly string[],
    private readonly configDir: string,
    private readonly pluginId: string,
  ) {}

  /**
   * The defaults plus `text` (a .vaultsyncignore's content; "" for none).
   *
   * @param configDir Obsidian's configuration folder (`Vault#configDir`)
   * @param pluginId this plugin's id (its folder under `<configDir>/plugins/`)
   */
  static parse(text: string, configDir: string, pluginId = "vaultsync"): IgnoreRules {
    const all: Pattern[] = [];
    for (const line of DEFAULT_PATTERNS) {
      const p = Pattern.parse(line.replace("CONFIG", configDir));
      if (p) all.push(p);
    }
    const problems: string[] = [];
    const lines = text.split("\n");
    let count = 0;
    for (let i = 0; i < lines.length; i++) {
      let p: Pattern | null;
      try {
        p = Pattern.parse(lines[i]);
      } catch (e) {
        problems.push(`${FILE_NAME} line ${i + 1}: ${(e as Error).message}`);
        continue;
      }
      if (!p) continue;
      if (++count > MAX_PATTERNS) {
        problems.push(`${FILE_NAME} line ${i + 1}: more than ${MAX_PATTERNS} patterns; ignored`);
        break;
      }
      all.push(p);
    }
    return new IgnoreRules(all, problems, configDir, pluginId);
  }

  /** Whether `path` is never synced, whatever the patterns say. */
  alwaysLocal(path: string): boolean {
    const segs = path.split("/");
    if (segs.some((s) => s === STATE_FOLDER || s.startsWith(TEMP_PREFIX))) return true;
    if (segs.length === 2 && segs[0] === this.configDir && /^workspace(-[^]*)?\.json$/u.test(segs[1])) return true;
    return segs.length > 3 && segs[0] === this.configDir && segs[1] === "plugins" && segs[2] === this.pluginId;
  }

  /** Whether the file at `path` stays on this device. */
  ignores(path: string): boolean {
    if (this.alwaysLocal(path)) return true;
    const segs = path.split("/");
    for (let n = 1; n < segs.length; n++) {
      if (this.decide(segs.slice(0, n), true)) return true;
    }
    return this.decide(segs, false);
  }

  private decide(segments: string[], folder: boolean): boolean {
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const p = this.patterns[i];
      if (p.matches(segments, folder)) return !p.negated;
    }
    return false;
  }
}
