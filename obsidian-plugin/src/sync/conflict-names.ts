/**
 * Names the copy that keeps the local version of a conflicting file exactly as the CLI's
 * ConflictNames: `NAME (conflict DEVICE YYYY-MM-DD HHMMSS).ext` in the same folder, with a counter
 * before the closing parenthesis (`... HHMMSS 2).ext`) when that name is taken; the stem is
 * shortened (by code points, then trimmed) when the name would exceed 255 UTF-8 bytes. Pure.
 */
export const MAX_SEGMENT_BYTES = 255;

/** `time` in local time as `yyyy-MM-dd HHmmss`. */
export function stamp(time: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, "0");
  return `${p(time.getFullYear(), 4)}-${p(time.getMonth() + 1)}-${p(time.getDate())} ${p(time.getHours())}${p(time.getMinutes())}${p(time.getSeconds())}`;
}

/**
 * The first free conflict-copy name for `path`.
 *
 * @param taken whether a path is in use (in the vault, in the index or on the server)
 */
export function nextConflictName(path: string, device: string, time: Date, taken: (p: string) => boolean): string {
  const slash = path.lastIndexOf("/");
  const folder = slash < 0 ? "" : path.slice(0, slash + 1);
  const name = path.slice(slash + 1);
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : "";
  const tag = ` (conflict ${device} ${stamp(time)}`;
  for (let n = 1; n < 10_000; n++) {
    const candidate = folder + fit(stem, tag + (n === 1 ? "" : ` ${n}`) + ")" + ext);
    if (!taken(candidate)) return candidate;
  }
  throw new Error(`no free conflict name for ${path} after 9999 tries`);
}

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

function fit(stem: string, suffix: string): string {
  let s = stem;
  while (utf8Length(s + suffix) > MAX_SEGMENT_BYTES || (s !== "" && /[ .]$/.test(s + suffix))) {
    if (s === "") throw new Error(`conflict suffix "${suffix}" alone is longer than ${MAX_SEGMENT_BYTES} bytes`);
    s = Array.from(s).slice(0, -1).join("").trim();
  }
  return s + suffix;
}
