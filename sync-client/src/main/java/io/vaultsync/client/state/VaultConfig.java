package io.vaultsync.client.state;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which server and vault a folder syncs with, and the name this device signs its changes with.
 *
 * @param server the server's URL
 * @param vault the vault's name on the server
 * @param device this device's name (1..64 characters, letters, digits, {@code . _ -} and spaces)
 */
public record VaultConfig(URI server, String vault, String device) {
  private static final Pattern DEVICE = Pattern.compile("[\\p{L}\\p{N}._\\- ]{1,64}");
  private static final Pattern VAULT = Pattern.compile("[\\p{L}\\p{N}._\\- ]{1,128}");

  public VaultConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(device, "device");
    if (!server.isAbsolute()) {
      throw new IllegalArgumentException(
          "server URL \"" + server + "\" has no scheme; expected e.g. https://host:8443");
    }
    if (!VAULT.matcher(vault).matches() || vault.isBlank()) {
      throw new IllegalArgumentException(
          "vault name \"" + vault + "\"; expected 1..128 letters, digits, spaces, '.', '_' or '-'");
    }
    if (!DEVICE.matcher(device).matches()
        || device.isBlank()
        || device.startsWith(" ")
        || device.endsWith(" ")
        || device.endsWith(".")) {
      throw new IllegalArgumentException(
          "device name \""
              + device
              + "\"; expected 1..64 letters, digits, inner spaces, '.', '_' or '-'");
    }
  }

  /** {@code raw} made into a valid device name: other characters become '-'. */
  public static String sanitizeDevice(String raw) {
    String s = raw == null ? "" : raw.replaceAll("[^\\p{L}\\p{N}._\\- ]", "-").strip();
    while (s.endsWith(".")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    if (s.length() > 64) {
      s = s.substring(0, 64).strip();
    }
    return s.isEmpty() ? "device" : s;
  }
}
