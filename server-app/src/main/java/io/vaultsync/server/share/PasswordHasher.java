package io.vaultsync.server.share;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Share-link passwords, hashed with PBKDF2-HMAC-SHA512 from the JDK: a 16-byte random salt per
 * password and {@value #ITERATIONS} iterations (OWASP's figure for this function), stored as {@code
 * pbkdf2-sha512$ITERATIONS$SALT$HASH} (base64). A password is typed by a person and may be weak, so
 * unlike tokens it gets a slow salted hash; attempts are rate-limited on top.
 */
public final class PasswordHasher {
  /** PBKDF2 iterations for new hashes. */
  public static final int ITERATIONS = 210_000;

  /** Longest password accepted, in chars (PBKDF2 cost does not grow with it, but bound input). */
  public static final int MAX_CHARS = 1024;

  private static final String PREFIX = "pbkdf2-sha512";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 512;
  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHasher() {}

  /** The stored form of {@code password}. */
  public static String hash(char[] password) {
    check(password);
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] h = pbkdf2(password, salt, ITERATIONS);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return PREFIX + "$" + ITERATIONS + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
  }

  /** Whether {@code password} matches {@code stored} (constant-time comparison). */
  public static boolean matches(char[] password, String stored) {
    if (password == null || password.length == 0 || password.length > MAX_CHARS) {
      return false;
    }
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(PREFIX)) {
      throw new IllegalStateException("stored password hash has an unknown format");
    }
    int iterations = Integer.parseInt(parts[1]);
    byte[] salt = Base64.getDecoder().decode(parts[2]);
    byte[] expected = Base64.getDecoder().decode(parts[3]);
    return MessageDigest.isEqual(pbkdf2(password, salt, iterations), expected);
  }

  /** Checks a new password: 1 to {@value #MAX_CHARS} chars. */
  public static void check(char[] password) {
    if (password == null || password.length == 0 || password.length > MAX_CHARS) {
      throw new IllegalArgumentException(
          "share password of "
              + (password == null ? 0 : password.length)
              + " characters; expected 1 to "
              + MAX_CHARS);
    }
  }

  private static byte[] pbkdf2(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA512 is not available in this JDK", e);
    } finally {
      spec.clearPassword();
    }
  }
}
