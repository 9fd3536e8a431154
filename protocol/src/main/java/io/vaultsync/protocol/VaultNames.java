package io.vaultsync.protocol;

/**
 * The rule every remote applies to a vault's name: 1 to {@value #MAX_CHARS} chars, no control
 * characters. A remote may refuse more (the vaultsync server's names become folder names).
 */
public final class VaultNames {
  /** Longest vault name any remote takes, in chars. */
  public static final int MAX_CHARS = 255;

  private static final int MAX_QUOTED_CHARS = 100;

  private VaultNames() {}

  /**
   * Returns {@code name} when it follows the rule.
   *
   * @throws IllegalArgumentException naming the name (quoted, cut to a printable length) otherwise
   */
  public static String check(String name) {
    if (name.isEmpty() || name.length() > MAX_CHARS) {
      throw new IllegalArgumentException(
          "vault name \""
              + quote(name)
              + "\" has "
              + name.length()
              + " chars; expected 1 to "
              + MAX_CHARS);
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new IllegalArgumentException(
            "vault name \"" + quote(name) + "\" has a control character at index " + i);
      }
    }
    return name;
  }

  private static String quote(String s) {
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
