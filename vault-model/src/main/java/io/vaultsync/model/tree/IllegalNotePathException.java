package io.vaultsync.model.tree;

/**
 * A string that is not a canonical {@link NotePath}. The message quotes the input (with control
 * characters, quotes, backslashes and lone surrogates escaped so it stays printable on one line)
 * and says which {@link Rule} it broke; {@link #rule()} gives the rule to code.
 */
public final class IllegalNotePathException extends IllegalArgumentException {
  /** The rule a refused path broke. */
  public enum Rule {
    /** The path is the empty string. */
    EMPTY,
    /** The path starts with {@code /}. */
    ABSOLUTE,
    /** The path ends with {@code /}. */
    TRAILING_SLASH,
    /** Two {@code /} in a row. */
    EMPTY_SEGMENT,
    /** A segment is {@code .} or {@code ..}. */
    DOT_SEGMENT,
    /** The path contains {@code \}; the separator is {@code /} only. */
    BACKSLASH,
    /** The path contains {@code :} (drive letters, NTFS streams; illegal on Windows). */
    COLON,
    /** The path contains a C0 or C1 control character, NUL or DEL. */
    CONTROL_CHARACTER,
    /** The path contains a UTF-16 surrogate without its pair, so it has no UTF-8 form. */
    UNPAIRED_SURROGATE,
    /** A segment, or the part of it before the first dot, is a Windows device name. */
    RESERVED_NAME,
    /** A segment ends with a space or a dot, which Windows silently strips. */
    TRAILING_DOT_OR_SPACE,
    /** The whole path is longer than {@value NotePath#MAX_BYTES} UTF-8 bytes. */
    TOO_LONG,
    /** A segment is longer than {@value NotePath#MAX_SEGMENT_BYTES} UTF-8 bytes. */
    SEGMENT_TOO_LONG,
    /** The path has more than {@value NotePath#MAX_DEPTH} segments. */
    TOO_DEEP
  }

  private static final int MAX_QUOTED_CHARS = 200;

  private final String input;
  private final Rule rule;

  IllegalNotePathException(String input, Rule rule, String detail) {
    super("note path \"" + escape(input) + "\" " + detail + " [" + rule + "]");
    this.input = input;
    this.rule = rule;
  }

  /** The refused input, unescaped. */
  public String input() {
    return input;
  }

  /** The rule the input broke. */
  public Rule rule() {
    return rule;
  }

  /**
   * {@code s} as printable text: control characters, lone surrogates, {@code "} and {@code \} as
   * Java escapes; inputs longer than {@value #MAX_QUOTED_CHARS} chars are cut with a note of their
   * length.
   */
  static String escape(String s) {
    int limit = Math.min(s.length(), MAX_QUOTED_CHARS);
    StringBuilder sb = new StringBuilder(limit + 16);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (Character.isISOControl(c) || isLoneSurrogate(s, i)) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    if (limit < s.length()) {
      sb.append("...(").append(s.length()).append(" chars)");
    }
    return sb.toString();
  }

  private static boolean isLoneSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return false;
  }
}
