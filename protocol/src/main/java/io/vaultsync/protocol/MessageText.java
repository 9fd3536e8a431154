package io.vaultsync.protocol;

/** How a value from outside is shown in a message: bounded, printable, quotes escaped. */
public final class MessageText {
  private MessageText() {}

  /** Characters of a value shown before it is cut. */
  static final int MAX_QUOTED_CHARS = 100;

  /**
   * {@code s} for a message between quotes: control characters, quotes and backslashes as {@code
   * \\uXXXX}, cut after {@value #MAX_QUOTED_CHARS} characters with its length.
   */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    int limit = Math.min(s.length(), MAX_QUOTED_CHARS);
    for (int i = 0; i < limit; i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '"' || c == '\\') {
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
}
