package io.vaultsync.server.auth;

import io.vaultsync.core.hash.ContentHash;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * How tokens look: 32 random bytes from {@link SecureRandom}, base64url without padding (43
 * characters); stored as the SHA-256 of the token's text. A token has 256 bits of entropy, so an
 * unsalted fast hash is enough (nothing to brute-force).
 */
public final class DeviceTokens {
  /** Random bytes per token. */
  public static final int TOKEN_BYTES = 32;

  /** Longest token text accepted for lookup; longer input is refused before hashing. */
  public static final int MAX_TOKEN_CHARS = 256;

  private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private DeviceTokens() {}

  /**
   * A new random token. Never one that starts with {@code -}: after {@code --token} a command-line
   * parser reads such a value as an option ({@code -V…} as "print the version"), which happened to
   * one token in 64. Drawing again costs log2(64/63) ≈ 0.02 bits of the 256.
   */
  public static String newToken() {
    byte[] raw = new byte[TOKEN_BYTES];
    String token;
    do {
      RANDOM.nextBytes(raw);
      token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    } while (token.charAt(0) == '-');
    return token;
  }

  /** What is stored for {@code token}. */
  public static byte[] hash(String token) {
    return ContentHash.digestOf(token.getBytes(StandardCharsets.UTF_8)).toBytes();
  }

  /** Checks a device name: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}, not the server's own. */
  public static String checkDevice(String name) {
    if (name == null || name.length() > 64 || !DEVICE.matcher(name).matches()) {
      String shown = name != null && name.length() > 80 ? name.substring(0, 80) + "…" : name;
      throw new IllegalArgumentException(
          "device name \""
              + shown
              + "\" is not allowed; expected 1 to 64 of A-Z a-z 0-9 . _ - starting with a letter"
              + " or digit");
    }
    if (name.equals(TokenStore.SERVER_DEVICE)) {
      throw new IllegalArgumentException(
          "device name \"" + name + "\" is reserved for edits made on the server's disk");
    }
    return name;
  }
}
