package io.vaultsync.server.http;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256, the one keyed hash of the HTTP endpoint's tokens, grants and key derivation. */
final class HmacSha256 {
  private static final String ALGORITHM = "HmacSHA256";

  /** Length of a key in bytes. */
  static final int KEY_BYTES = 32;

  private HmacSha256() {}

  /**
   * A copy of {@code key}, the key of {@code what}.
   *
   * @throws IllegalArgumentException if it is not {@value #KEY_BYTES} bytes long
   */
  static byte[] checkedKey(byte[] key, String what) {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          what
              + " key of "
              + (key == null ? "null" : key.length + " bytes")
              + "; expected "
              + KEY_BYTES
              + " random bytes");
    }
    return key.clone();
  }

  /** A new key of {@value #KEY_BYTES} bytes from {@code random}. */
  static byte[] randomKey(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    return key;
  }

  /** The 32-byte HMAC-SHA256 of {@code data} under {@code key}. */
  static byte[] of(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
