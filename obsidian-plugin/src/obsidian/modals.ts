/**
 * The plugin's two dialogs: the mass-delete question (lists the files and asks; closing it is a
 * no) and the list of conflict copies (a click opens one).
 */
import { App, Modal, Setting } from "obsidian";

/** Files listed by name in the delete question before "and N more". */
const LISTED = 50;

export class ConfirmDeletesModal extends Modal {
  private answered = false;

  constructor(
    app: App,
    private readonly paths: string[],
    private readonly reason: string,
    private readonly answer: (yes: boolean) => void,
  ) {
    super(app);
  }

  /** Opens the dialog; resolves true only if the person chose to delete. */
  static ask(app: App, paths: string[], reason: string): Promise<boolean> {
    return new Promise((resolve) => new ConfirmDeletesModal(app, paths, reason, resolve).open());
  }

  override onOpen(): void {
    this.setTitle(`Delete ${this.paths.length} files?`);
    const el = this.contentEl;
    el.createEl("p", { text: this.reason });
    el.createEl("p", { text: "These files would be deleted on every device (the server keeps their history):" });
    const list = el.createEl("ul");
    for (const p of this.paths.slice(0, LISTED)) list.createEl("li", { text: p });
    if (this.paths.length > LISTED) el.createEl("p", { text: `and ${this.paths.length - LISTED} more.` });
    new Setting(el)
      .addButton((b) => b.setButtonText("Keep the files").setCta().onClick(() => this.reply(false)))
      .addButton((b) => b.setButtonText(`Delete ${this.paths.length} files`).onClick(() => this.reply(true)));
  }

  override onClose(): void {
    this.contentEl.empty();
    if (!this.answered) this.reply(false);
  }

  private reply(yes: boolean): void {
    if (this.answered) return;
    this.answered = true;
    this.answer(yes);
    this.close();
  }
}

export class ConflictsModal extends Modal {
  constructor(
    app: App,
    private readonly paths: string[],
    private readonly openPath: (path: string) => void,
  ) {
    super(app);
  }

  override onOpen(): void {
    this.setTitle(this.paths.length === 0 ? "No conflicts" : `${this.paths.length} conflict copies`);
    const el = this.contentEl;
    if (this.paths.length === 0) {
      el.createEl("p", { text: "Every file is in one version on every device." });
      return;
    }
    el.createEl("p", {
      text: "Both sides changed these files. This device's version was kept under the name shown; compare it with the original, keep what you want and delete the copy.",
    });
    const list = el.createEl("ul");
    for (const p of this.paths) {
      const link = list.createEl("li").createEl("a", { text: p, href: "#" });
      link.addEventListener("click", (e) => {
        e.preventDefault();
        this.openPath(p);
        this.close();
      });
    }
  }

  override onClose(): void {
    this.contentEl.empty();
  }
}
