package io.vaultsync.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The token every form of the owner's pages carries in a hidden field and every POST must send
 * back: HMAC-SHA256 of the session id under a 32-byte key. It is per session (a new login gets
 * another), needs no storage, and cannot be computed by another site, which can neither read the
 * session cookie (HttpOnly) nor a page of ours. The embedded server draws the key when it starts
 * (its sessions live in memory too, so a restart ends both together); the processes of a server
 * sharing one database all use the key stored there, so a form served by one is accepted by
 * another. One instance per endpoint, in its {@link HttpState} and held by {@link HttpAuth}, so the
 * owner's pages and {@code POST /logout} check the same token. Thread-safe.
 */
public final class CsrfTokens {
  /** The form field that carries the token. */
  public static final String FIELD = "csrf";

  /** Length of the key in bytes. */
  public static final int KEY_BYTES = HmacSha256.KEY_BYTES;

  private final byte[] key;

  /** Tokens under a key drawn from {@code random}: valid in this instance only. */
  public CsrfTokens(SecureRandom random) {
    this.key = HmacSha256.randomKey(random);
  }

  /**
   * Tokens under {@code key} (copied): every instance made from the same key makes and accepts the
   * same tokens.
   *
   * @throws IllegalArgumentException if the key is not {@value #KEY_BYTES} bytes long
   */
  public CsrfTokens(byte[] key) {
    this.key = HmacSha256.checkedKey(key, "CSRF");
  }

  /** The token for the session with id {@code sessionId}. */
  public String tokenFor(String sessionId) {
    byte[] tag = HmacSha256.of(key, sessionId.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
  }

  /** Whether {@code presented} is the token of {@code sessionId} (constant-time compare). */
  public boolean matches(String sessionId, String presented) {
    if (sessionId == null || presented == null || presented.length() > 64) {
      return false;
    }
    return MessageDigest.isEqual(
        tokenFor(sessionId).getBytes(StandardCharsets.US_ASCII),
        presented.getBytes(StandardCharsets.UTF_8));
  }
}
