/**
 * What a reader of the vaultsync byte formats (docs/FORMAT.md) throws: a one-line message naming
 * the bad value, what was expected and, where it makes sense, the byte offset.
 *
 * `kind` mirrors the Java reader's exceptions (docs/FORMAT.md section 6): `bad-header` (wrong
 * magic, unsupported version), `truncated` (the input ended inside a field or before the END /
 * CRC), `corrupt` (every other rule of section 5).
 */
export type FormatErrorKind = "bad-header" | "truncated" | "corrupt";

export class FormatError extends Error {
  readonly kind: FormatErrorKind;

  constructor(kind: FormatErrorKind, message: string) {
    super(message);
    this.name = "FormatError";
    this.kind = kind;
  }
}

export function corrupt(message: string): FormatError {
  return new FormatError("corrupt", message);
}

export function truncated(message: string): FormatError {
  return new FormatError("truncated", message);
}

export function badHeader(message: string): FormatError {
  return new FormatError("bad-header", message);
}

/** Lower-case hex of bytes, for messages. */
export function hex(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) {
    s += b.toString(16).padStart(2, "0");
  }
  return s;
}
