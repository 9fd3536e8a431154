// A fake of the parts of Obsidian's API the plugin uses, for unit tests (vitest aliases "obsidian"
// to this file). Grows with the plugin; it never imitates behaviour a test relies on without
// saying so. What it imitates of the real thing:
// - DataAdapter (FakeAdapter): files in a Map; rename refuses an existing destination ("Destination
//   file already exists!") and writeBinary/appendBinary need the parent folder, as Obsidian's
//   FileSystemAdapter does; every write is recorded in `writes` so a test can see what was ever
//   visible under a name.
// - Elements (FakeEl): a tree with text, attributes and click handlers; no layout.
// - requestUrl: answers through `requestUrlHandler`, which a test sets.

export interface Stat {
  type: "file" | "folder";
  ctime: number;
  mtime: number;
  size: number;
}

export interface ListedFiles {
  files: string[];
  folders: string[];
}

export function normalizePath(path: string): string {
  const p = path.replace(/\\/g, "/").replace(/\/+/g, "/").replace(/^\/|\/$/g, "");
  return p === "" ? "/" : p;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

/** One write as it happened: the name written and the bytes it held right after. */
export interface RecordedWrite {
  readonly op: "write" | "append" | "rename" | "remove";
  readonly path: string;
  readonly size: number;
}

export class FakeAdapter {
  readonly files = new Map<string, { data: Uint8Array; mtime: number }>();
  readonly folders = new Set<string>([""]);
  readonly writes: RecordedWrite[] = [];
  private clock = 1_000;

  getName(): string {
    return "fake";
  }

  private key(path: string): string {
    const p = normalizePath(path);
    return p === "/" ? "" : p;
  }

  private needParent(path: string): void {
    if (!this.folders.has(parentOf(path))) throw new Error(`ENOENT: no such folder ${parentOf(path)} for ${path}`);
  }

  exists(path: string): Promise<boolean> {
    const k = this.key(path);
    return Promise.resolve(this.files.has(k) || this.folders.has(k));
  }

  stat(path: string): Promise<Stat | null> {
    const k = this.key(path);
    const f = this.files.get(k);
    if (f) return Promise.resolve({ type: "file", ctime: f.mtime, mtime: f.mtime, size: f.data.length });
    if (this.folders.has(k)) return Promise.resolve({ type: "folder", ctime: 0, mtime: 0, size: 0 });
    return Promise.resolve(null);
  }

  list(path: string): Promise<ListedFiles> {
    const dir = this.key(path);
    if (!this.folders.has(dir)) return Promise.reject(new Error(`ENOENT: no such folder ${dir}`));
    const files = [...this.files.keys()].filter((p) => p !== "" && parentOf(p) === dir);
    const folders = [...this.folders].filter((p) => p !== "" && parentOf(p) === dir);
    return Promise.resolve({ files, folders });
  }

  readBinary(path: string): Promise<ArrayBuffer> {
    const f = this.files.get(this.key(path));
    if (!f) return Promise.reject(new Error(`ENOENT: no such file ${path}`));
    return Promise.resolve(f.data.slice().buffer);
  }

  read(path: string): Promise<string> {
    return this.readBinary(path).then((b) => new TextDecoder().decode(b));
  }

  writeBinary(path: string, data: ArrayBuffer): Promise<void> {
    const k = this.key(path);
    this.needParent(k);
    this.files.set(k, { data: new Uint8Array(data.slice(0)), mtime: this.clock++ });
    this.writes.push({ op: "write", path: k, size: data.byteLength });
    return Promise.resolve();
  }

  write(path: string, data: string): Promise<void> {
    return this.writeBinary(path, new TextEncoder().encode(data).buffer);
  }

  appendBinary(path: string, data: ArrayBuffer): Promise<void> {
    const k = this.key(path);
    this.needParent(k);
    const old = this.files.get(k)?.data ?? new Uint8Array(0);
    const next = new Uint8Array(old.length + data.byteLength);
    next.set(old, 0);
    next.set(new Uint8Array(data), old.length);
    this.files.set(k, { data: next, mtime: this.clock++ });
    this.writes.push({ op: "append", path: k, size: next.length });
    return Promise.resolve();
  }

  mkdir(path: string): Promise<void> {
    let k = this.key(path);
    while (k !== "" && !this.folders.has(k)) {
      this.folders.add(k);
      k = parentOf(k);
    }
    return Promise.resolve();
  }

  remove(path: string): Promise<void> {
    const k = this.key(path);
    if (!this.files.delete(k)) return Promise.reject(new Error(`ENOENT: no such file ${path}`));
    this.writes.push({ op: "remove", path: k, size: 0 });
    return Promise.resolve();
  }

  rename(from: string, to: string): Promise<void> {
    const a = this.key(from);
    const b = this.key(to);
    const f = this.files.get(a);
    if (!f) return Promise.reject(new Error(`ENOENT: no such file ${from}`));
    if (this.files.has(b) || this.folders.has(b)) return Promise.reject(new Error("Destination file already exists!"));
    this.needParent(b);
    this.files.delete(a);
    this.files.set(b, f);
    this.writes.push({ op: "rename", path: b, size: f.data.length });
    return Promise.resolve();
  }

  /** Test helper: the text at `path`, or null. */
  text(path: string): string | null {
    const f = this.files.get(this.key(path));
    return f ? new TextDecoder().decode(f.data) : null;
  }
}

// ---- files and the vault

export abstract class TAbstractFile {
  vault!: Vault;
  path: string;
  name: string;
  parent: TFolder | null = null;

  constructor(path: string) {
    this.path = path;
    this.name = path.slice(path.lastIndexOf("/") + 1);
  }
}

export class TFile extends TAbstractFile {
  stat = { ctime: 0, mtime: 0, size: 0 };
  get basename(): string {
    const i = this.name.lastIndexOf(".");
    return i <= 0 ? this.name : this.name.slice(0, i);
  }
  get extension(): string {
    const i = this.name.lastIndexOf(".");
    return i <= 0 ? "" : this.name.slice(i + 1);
  }
}

export class TFolder extends TAbstractFile {
  children: TAbstractFile[] = [];
  isRoot(): boolean {
    return this.path === "/" || this.path === "";
  }
}

export interface EventRef {
  readonly name: string;
  readonly fn: (...args: unknown[]) => unknown;
  readonly owner: Events;
}

export class Events {
  private readonly handlers = new Map<string, Set<(...args: unknown[]) => unknown>>();

  on(name: string, fn: (...args: never[]) => unknown): EventRef {
    const f = fn as (...args: unknown[]) => unknown;
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(f);
    return { name, fn: f, owner: this };
  }

  offref(ref: EventRef): void {
    this.handlers.get(ref.name)?.delete(ref.fn);
  }

  trigger(name: string, ...args: unknown[]): void {
    for (const f of this.handlers.get(name) ?? []) f(...args);
  }

  /** Test helper: how many handlers listen to `name`. */
  listeners(name: string): number {
    return this.handlers.get(name)?.size ?? 0;
  }
}

export class Vault extends Events {
  adapter = new FakeAdapter();
  /** Not Obsidian's default name on purpose: a test passes only if the code asks for configDir. */
  configDir = ".vaultconfig";
  private readonly byPath = new Map<string, TAbstractFile>();

  getAbstractFileByPath(path: string): TAbstractFile | null {
    return this.byPath.get(path) ?? null;
  }

  getName(): string {
    return "Test vault";
  }

  /** Test helper: registers a file or folder (and links it into its parent folder). */
  add<T extends TAbstractFile>(f: T): T {
    f.vault = this;
    this.byPath.set(f.path, f);
    const parent = this.byPath.get(parentOf(f.path));
    if (parent instanceof TFolder) {
      f.parent = parent;
      parent.children.push(f);
    }
    return f;
  }
}

export class SecretStorage extends Events {
  readonly secrets = new Map<string, string>();
  setSecret(id: string, secret: string): void {
    if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`invalid secret id ${id}`);
    this.secrets.set(id, secret);
  }
  getSecret(id: string): string | null {
    return this.secrets.get(id) ?? null;
  }
  listSecrets(): string[] {
    return [...this.secrets.keys()];
  }
}

export class Workspace extends Events {
  active: TFile | null = null;
  opened: string[] = [];
  private readonly onReady: Array<() => void> = [];
  /** Obsidian calls these once the vault is loaded; a test calls {@link Workspace.ready}. */
  onLayoutReady(fn: () => void): void {
    this.onReady.push(fn);
  }
  ready(): void {
    for (const f of this.onReady.splice(0)) f();
  }
  getActiveFile(): TFile | null {
    return this.active;
  }
  getLeaf(): { openFile: (f: TFile) => Promise<void> } {
    return {
      openFile: (f: TFile) => {
        this.opened.push(f.path);
        return Promise.resolve();
      },
    };
  }
  openLinkText(path: string): Promise<void> {
    this.opened.push(path);
    return Promise.resolve();
  }
}

export class App {
  vault = new Vault();
  workspace = new Workspace();
  /** Set to undefined to play an Obsidian older than 1.11.4. */
  secretStorage: SecretStorage | undefined = new SecretStorage();
}

// ---- elements

interface ElOptions {
  text?: string;
  cls?: string;
  href?: string;
  attr?: Record<string, string>;
}

export class FakeEl {
  readonly children: FakeEl[] = [];
  readonly attrs = new Map<string, string>();
  readonly listeners = new Map<string, Array<(e: unknown) => unknown>>();
  text = "";
  value = "";
  type = "";
  cls: string[] = [];

  constructor(readonly tag = "div") {}

  createEl(tag: string, o?: ElOptions): FakeEl {
    return this.child(tag, o);
  }
  private child(tag: string, o?: ElOptions): FakeEl {
    const el = new FakeEl(tag);
    if (o?.text) el.text = o.text;
    if (o?.href) el.attrs.set("href", o.href);
    if (o?.cls) el.cls.push(o.cls);
    for (const [k, v] of Object.entries(o?.attr ?? {})) el.attrs.set(k, v);
    this.children.push(el);
    return el;
  }
  createDiv(o?: { text?: string; cls?: string }): FakeEl {
    return this.child("div", o);
  }
  createSpan(o?: { text?: string; cls?: string }): FakeEl {
    return this.child("span", o);
  }
  setText(text: string): void {
    this.text = text;
  }
  setAttr(k: string, v: string): void {
    this.attrs.set(k, v);
  }
  addClass(c: string): void {
    this.cls.push(c);
  }
  empty(): void {
    this.children.length = 0;
    this.text = "";
  }
  addEventListener(type: string, fn: (e: unknown) => unknown): void {
    const l = this.listeners.get(type) ?? [];
    l.push(fn);
    this.listeners.set(type, l);
  }
  /** Test helper: fires the element's click handlers. */
  click(): void {
    for (const f of this.listeners.get("click") ?? []) f({ preventDefault: () => undefined });
  }
  /** Test helper: every text in this subtree, in order. */
  allText(): string[] {
    return [this.text, ...this.children.flatMap((c) => c.allText())].filter((t) => t !== "");
  }
  /** Test helper: the first element (depth first) whose own text contains `text`. */
  find(text: string): FakeEl | undefined {
    if (this.text.includes(text)) return this;
    for (const c of this.children) {
      const f = c.find(text);
      if (f) return f;
    }
    return undefined;
  }
}

// ---- UI

export class Notice {
  static readonly shown: string[] = [];
  constructor(readonly message: string, readonly duration?: number) {
    Notice.shown.push(message);
  }
  hide(): void {}
}

export class Modal {
  static readonly open: Modal[] = [];
  contentEl = new FakeEl();
  titleEl = new FakeEl();
  constructor(readonly app: App) {}
  open(): void {
    Modal.open.push(this);
    this.onOpen();
  }
  close(): void {
    const i = Modal.open.indexOf(this);
    if (i >= 0) Modal.open.splice(i, 1);
    this.onClose();
  }
  setTitle(title: string): this {
    this.titleEl.text = title;
    return this;
  }
  onOpen(): void {}
  onClose(): void {}
}

class Component {
  private readonly cleanups: Array<() => void> = [];
  register(fn: () => void): void {
    this.cleanups.push(fn);
  }
  registerEvent(ref: EventRef): void {
    this.cleanups.push(() => ref.owner.offref(ref));
  }
  /** Test helper: what Obsidian does when the plugin is disabled. */
  async unloadForTest(this: Component & { onunload?: () => unknown }): Promise<void> {
    await this.onunload?.();
    for (const f of this.cleanups.splice(0)) f();
  }
}

export interface PluginManifest {
  id: string;
  name: string;
  version: string;
  dir?: string;
}

export interface Command {
  id: string;
  name: string;
  callback?: () => unknown;
  checkCallback?: (checking: boolean) => boolean | void;
}

export abstract class Plugin extends Component {
  data: unknown = null;
  readonly commands: Command[] = [];
  readonly statusBarItems: FakeEl[] = [];
  readonly tabs: PluginSettingTab[] = [];

  constructor(
    public app: App,
    public manifest: PluginManifest,
  ) {
    super();
  }
  loadData(): Promise<unknown> {
    return Promise.resolve(this.data === null ? null : structuredClone(this.data));
  }
  saveData(data: unknown): Promise<void> {
    this.data = structuredClone(data);
    return Promise.resolve();
  }
  addStatusBarItem(): FakeEl {
    const el = new FakeEl();
    this.statusBarItems.push(el);
    return el;
  }
  addCommand(c: Command): Command {
    this.commands.push(c);
    return c;
  }
  addSettingTab(tab: PluginSettingTab): void {
    this.tabs.push(tab);
  }
  onload(): void | Promise<void> {}
  onunload(): void {}
}

export abstract class PluginSettingTab {
  containerEl = new FakeEl();
  constructor(
    public app: App,
    public plugin: Plugin,
  ) {}
  abstract display(): void;
  hide(): void {}
}

export class TextComponent {
  inputEl = new FakeEl("input");
  private change?: (v: string) => unknown;
  setPlaceholder(p: string): this {
    this.inputEl.attrs.set("placeholder", p);
    return this;
  }
  setValue(v: string): this {
    this.inputEl.value = v;
    return this;
  }
  getValue(): string {
    return this.inputEl.value;
  }
  onChange(fn: (v: string) => unknown): this {
    this.change = fn;
    return this;
  }
  /** Test helper: the user types `v`. */
  async type(v: string): Promise<void> {
    this.inputEl.value = v;
    await this.change?.(v);
  }
}

export class ButtonComponent {
  buttonEl = new FakeEl("button");
  private handler?: () => unknown;
  disabled = false;
  setButtonText(t: string): this {
    this.buttonEl.text = t;
    return this;
  }
  setCta(): this {
    return this;
  }
  setWarning(): this {
    return this;
  }
  setDisabled(d: boolean): this {
    this.disabled = d;
    return this;
  }
  onClick(fn: () => unknown): this {
    this.handler = fn;
    return this;
  }
  /** Test helper: the user clicks. */
  async press(): Promise<void> {
    await this.handler?.();
  }
}

export class DropdownComponent {
  selectEl = new FakeEl("select");
  private change?: (v: string) => unknown;
  /** value → shown text, from the select element's option children. */
  get options(): Map<string, string> {
    return new Map(this.selectEl.children.map((o) => [o.attrs.get("value") ?? "", o.text]));
  }
  addOption(value: string, display: string): this {
    this.selectEl.createEl("option", { text: display, attr: { value } });
    return this;
  }
  setValue(v: string): this {
    this.selectEl.value = v;
    return this;
  }
  getValue(): string {
    return this.selectEl.value;
  }
  onChange(fn: (v: string) => unknown): this {
    this.change = fn;
    return this;
  }
  async choose(v: string): Promise<void> {
    this.selectEl.value = v;
    await this.change?.(v);
  }
}

export class Setting {
  /** Every Setting made, newest last, so a test can find one by name. */
  static readonly all: Setting[] = [];
  settingEl = new FakeEl();
  nameText = "";
  descText = "";
  readonly texts: TextComponent[] = [];
  readonly buttons: ButtonComponent[] = [];
  readonly dropdowns: DropdownComponent[] = [];

  constructor(readonly containerEl: FakeEl) {
    containerEl.children.push(this.settingEl);
    Setting.all.push(this);
  }
  setName(n: string): this {
    this.nameText = n;
    this.settingEl.createDiv({ text: n });
    return this;
  }
  setDesc(d: string): this {
    this.descText = d;
    this.settingEl.createDiv({ text: d });
    return this;
  }
  setHeading(): this {
    return this;
  }
  addText(fn: (t: TextComponent) => unknown): this {
    const t = new TextComponent();
    this.texts.push(t);
    fn(t);
    return this;
  }
  addButton(fn: (b: ButtonComponent) => unknown): this {
    const b = new ButtonComponent();
    this.buttons.push(b);
    fn(b);
    return this;
  }
  addDropdown(fn: (d: DropdownComponent) => unknown): this {
    const d = new DropdownComponent();
    this.dropdowns.push(d);
    fn(d);
    return this;
  }
  /** Test helper: the newest Setting named `name`. */
  static named(name: string): Setting {
    const s = [...Setting.all].reverse().find((x) => x.nameText === name);
    if (!s) throw new Error(`no setting named ${name}; have ${Setting.all.map((x) => x.nameText).join(", ")}`);
    return s;
  }
}

// ---- network

export interface RequestUrlParam {
  url: string;
  method?: string;
  contentType?: string;
  body?: string | ArrayBuffer;
  headers?: Record<string, string>;
  throw?: boolean;
}

export interface RequestUrlResponse {
  status: number;
  headers: Record<string, string>;
  arrayBuffer: ArrayBuffer;
  text: string;
  json: unknown;
}

/** What requestUrl answers; a test sets it. Throwing plays a network failure. */
export const requestUrlCalls: RequestUrlParam[] = [];
export let requestUrlHandler: (req: RequestUrlParam) => Promise<RequestUrlResponse> | RequestUrlResponse = () => {
  throw new Error("net::ERR_CONNECTION_REFUSED");
};

export function setRequestUrlHandler(h: typeof requestUrlHandler): void {
  requestUrlHandler = h;
}

export async function requestUrl(req: RequestUrlParam): Promise<RequestUrlResponse> {
  requestUrlCalls.push(req);
  return await requestUrlHandler(req);
}

export const Platform = { isMobile: false, isDesktop: true };
