package io.vaultsync.server.ledger;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A vault's name. It becomes a folder name ({@code DIR/vaults/NAME}), so only {@code
 * [A-Za-z0-9][A-Za-z0-9._-]{0,63}} is accepted: no separators, no leading dot, no {@code ..}.
 */
public record VaultName(String value) implements Comparable<VaultName> {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public VaultName {
    Objects.requireNonNull(value, "vault name");
    if (value.length() > 64 || !VALID.matcher(value).matches()) {
      String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
      throw new IllegalArgumentException(
          "vault name \""
              + shown
              + "\" is not allowed; expected 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter"
              + " or digit");
    }
  }

  public static VaultName of(String value) {
    return new VaultName(value);
  }

  @Override
  public int compareTo(VaultName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
