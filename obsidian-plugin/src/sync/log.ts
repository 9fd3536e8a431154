/**
 * The engine's log: a bounded ring of lines (the plugin's "copy the log" command copies it into a
 * bug report) plus an optional sink. Lines never hold file contents or the device token.
 */
export type LogLevel = "info" | "warn" | "error";
export type LogSink = (level: LogLevel, line: string) => void;

export class LogRing {
  private readonly ring: string[] = [];
  private next = 0;

  constructor(
    private readonly capacity = 500,
    private readonly sink?: LogSink,
  ) {}

  log(level: LogLevel, message: string): void {
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}`;
    if (this.ring.length < this.capacity) this.ring.push(line);
    else this.ring[this.next] = line;
    this.next = (this.next + 1) % this.capacity;
    this.sink?.(level, message);
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    return this.ring.length < this.capacity ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}
