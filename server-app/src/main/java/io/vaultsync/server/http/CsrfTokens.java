package io.vaultsync.server.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token every form of the owner's pages carries in a hidden field and every POST must send
 * back: HMAC-SHA256 of the session id under a key drawn when the server starts. It is per session
 * (a new login gets another), needs no storage, and cannot be computed by another site, which can
 * neither read the session cookie (HttpOnly) nor a page of ours. Sessions live in memory too, so a
 * restart ends both together. One instance per endpoint, held by {@link HttpAuth}, so the owner's
 * pages and {@code POST /logout} check the same token. Thread-safe.
 */
public final class CsrfTokens {
  /** The form field that carries the token. */
  public static final String FIELD = "csrf";

  private static final String ALGORITHM = "HmacSHA256";
  private final byte[] key = new byte[32];

  public CsrfTokens(SecureRandom random) {
    random.nextBytes(key);
  }

  /** The token for the session with id {@code sessionId}. */
  public String tokenFor(String sessionId) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(key, ALGORITHM));
      byte[] tag = mac.doFinal(sessionId.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
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
