/**
 * Line-based three-way merge (diff3), as the CLI's TextMerge (sync-client merge/TextMerge, on
 * java-diff-utils' Myers diff). Pure.
 *
 * Both sides are diffed against the exact base; each diff is a list of hunks replacing a range of
 * base lines. Hunks whose base ranges overlap or touch are grouped (an edit right next to the
 * other side's edit conflicts, as in git). A group changed by one side takes that side's lines; a
 * group both changed identically takes them once; otherwise the merge conflicts and no text is
 * produced: the caller keeps both versions (a conflict copy, named like the CLI's). Lines keep
 * their terminators, so a merge reproduces line endings byte for byte.
 */

/** Largest version merged in memory (the CLI's TextFiles.MAX_MERGE_BYTES); larger: keep both. */
export const MAX_MERGE_BYTES = 16 << 20;

const TEXT_EXTENSIONS = new Set(["md", "markdown", "txt"]);

/** Whether `path` has a text extension (.md, .markdown, .txt), as TextFiles.hasTextExtension. */
export function hasTextExtension(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 && TEXT_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** Whether `data` is mergeable text: at most MAX_MERGE_BYTES, valid UTF-8, no NUL. */
export function isText(data: Uint8Array): boolean {
  if (data.length > MAX_MERGE_BYTES || data.includes(0)) return false;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

interface Hunk {
  readonly from: number;
  readonly to: number;
  readonly lines: string[];
  readonly local: boolean;
}

/** The merged text, or null on conflict. */
export function mergeText(base: string, local: string, remote: string): string | null {
  const merged = mergeLines(lines(base), lines(local), lines(remote));
  return merged === null ? null : merged.join("");
}

/** Merges UTF-8 contents; null on conflict (or if one is not text). */
export function mergeBytes(base: Uint8Array, local: Uint8Array, remote: Uint8Array): Uint8Array | null {
  if (!isText(base) || !isText(local) || !isText(remote)) return null;
  const d = new TextDecoder();
  const m = mergeText(d.decode(base), d.decode(local), d.decode(remote));
  return m === null ? null : new TextEncoder().encode(m);
}

export function mergeLines(base: string[], local: string[], remote: string[]): string[] | null {
  const hunks = [...diffHunks(base, local, true), ...diffHunks(base, remote, false)];
  hunks.sort((a, b) => a.from - b.from || a.to - b.to);
  const out: string[] = [];
  let next = 0;
  let i = 0;
  while (i < hunks.length) {
    const from = hunks[i].from;
    let to = hunks[i].to;
    let j = i + 1;
    while (j < hunks.length && hunks[j].from <= to) {
      to = Math.max(to, hunks[j].to);
      j++;
    }
    const group = hunks.slice(i, j);
    pushAll(out, base.slice(next, from));
    const mine = apply(base, from, to, group, true);
    const theirs = apply(base, from, to, group, false);
    const localChanged = group.some((h) => h.local);
    const remoteChanged = group.some((h) => !h.local);
    if (localChanged && remoteChanged && !sameLines(mine, theirs)) return null;
    pushAll(out, localChanged ? mine : theirs);
    next = to;
    i = j;
  }
  pushAll(out, base.slice(next));
  return out;
}

function apply(base: string[], from: number, to: number, group: Hunk[], local: boolean): string[] {
  const out: string[] = [];
  let at = from;
  for (const h of group) {
    if (h.local !== local) continue;
    pushAll(out, base.slice(at, h.from));
    pushAll(out, h.lines);
    at = h.to;
  }
  pushAll(out, base.slice(at, to));
  return out;
}

function pushAll(out: string[], items: string[]): void {
  for (const x of items) out.push(x);
}

function sameLines(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

/** Splits `text` into lines that keep their terminators; "" has no lines. */
export function lines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** The hunks that turn `a` into `b` (Myers' O(ND) diff on interned lines). */
function diffHunks(a: string[], b: string[], local: boolean): Hunk[] {
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = ids.size));
    return id;
  };
  const x = a.map(intern);
  const y = b.map(intern);
  const same = myers(x, y); // pairs of equal positions, increasing
  const out: Hunk[] = [];
  let i = 0;
  let j = 0;
  for (const [si, sj] of [...same, [x.length, y.length] as [number, number]]) {
    if (si > i || sj > j) out.push({ from: i, to: si, lines: b.slice(j, sj), local });
    i = si + 1;
    j = sj + 1;
  }
  return out;
}

/** Matched index pairs of a shortest edit script between `x` and `y`. */
function myers(x: number[], y: number[]): [number, number][] {
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  const n = x.length - pre - suf;
  const m = y.length - pre - suf;
  const pairs: [number, number][] = [];
  for (let k = 0; k < pre; k++) pairs.push([k, k]);
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = n === 0 && m === 0;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let i = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let j = i - k;
      while (i < n && j < m && x[pre + i] === y[pre + j]) {
        i++;
        j++;
      }
      v[offset + k] = i;
      if (i >= n && j >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk back through the trace to collect the diagonal (equal) moves.
  const middle: [number, number][] = [];
  let i = n;
  let j = m;
  for (let d = trace.length - 1; d >= 0 && (i > 0 || j > 0); d--) {
    const vd = trace[d];
    const k = i - j;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevI = d === 0 ? 0 : vd[offset + prevK];
    const prevJ = prevI - prevK;
    while (i > prevI && j > prevJ) {
      i--;
      j--;
      middle.push([pre + i, pre + j]);
    }
    if (d > 0) {
      i = prevI;
      j = prevJ;
    }
  }
  middle.reverse();
  for (const p of middle) pairs.push(p);
  for (let k = 0; k < suf; k++) pairs.push([x.length - suf + k, y.length - suf + k]);
  return pairs;
}
