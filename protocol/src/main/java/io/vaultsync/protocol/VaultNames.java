package io.vaultsync.protocol;

/**
 * The rule every remote applies to a vault's name: 1 to {@value #MAX_CHARS} chars, no control
 * characters. A remote may refuse more (the vaultsync server's names become folder names).
 */
public final class VaultNames {
  /** Longest vault name any remote takes, in chars. */
  public static final int MAX_CHARS = 255;

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
              + MessageText.quote(name)
              + "\" has "
              + name.length()
              + " chars; expected 1 to "
              + MAX_CHARS);
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        throw new IllegalArgumentException(
            "vault name \"" + MessageText.quote(name) + "\" has a control character at index " + i);
      }
    }
    return name;
  }
}
