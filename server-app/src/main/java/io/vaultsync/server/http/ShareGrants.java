package io.vaultsync.server.http;

import io.vaultsync.server.share.Share;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * The cookie a correctly typed share password sets: {@code EXPIRES.TAG}, where {@code EXPIRES} is
 * the end of the grant in epoch milliseconds and {@code TAG} the HMAC-SHA256, under a 32-byte key,
 * of the share's id, its password hash and {@code EXPIRES}. Nothing is stored: any process holding
 * the key admits the cookie (a server of several processes shares the key through its database), a
 * grant opens only its own share, ends after {@link #LIFETIME}, and ends at once when the share's
 * password changes. The embedded server draws the key when it starts, so a restart ends the grants,
 * as it ends the sessions. Thread-safe.
 */
public final class ShareGrants {
  /** How long a typed password lets a browser in. */
  public static final Duration LIFETIME = Duration.ofMinutes(30);

  /** Longest cookie value looked at; a real one is about 60 characters. */
  static final int MAX_COOKIE_CHARS = 128;

  private final byte[] key;
  private final Clock clock;

  /** Grants under a key drawn from {@code random}: admitted by this instance only. */
  public ShareGrants(SecureRandom random, Clock clock) {
    this.key = HmacSha256.randomKey(random);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Grants under {@code key} (copied): every instance made from the same key admits the same
   * cookies.
   *
   * @throws IllegalArgumentException if the key is not 32 bytes long
   */
  public ShareGrants(byte[] key, Clock clock) {
    this.key = HmacSha256.checkedKey(key, "share grant");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The cookie value that admits its holder to {@code share} for {@link #LIFETIME} from now. */
  public String issue(Share share) {
    long expires = clock.millis() + LIFETIME.toMillis();
    return expires + "." + tag(share, expires);
  }

  /** Whether {@code cookie} is a grant to {@code share} that has not ended. */
  public boolean admits(String cookie, Share share) {
    if (cookie == null || cookie.length() > MAX_COOKIE_CHARS || share.passwordHash() == null) {
      return false;
    }
    int dot = cookie.indexOf('.');
    if (dot < 1 || dot > 18) {
      return false;
    }
    long expires = 0;
    for (int i = 0; i < dot; i++) {
      char c = cookie.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      expires = expires * 10 + (c - '0');
    }
    if (expires <= clock.millis()) {
      return false;
    }
    return MessageDigest.isEqual(
        tag(share, expires).getBytes(StandardCharsets.US_ASCII),
        cookie.substring(dot + 1).getBytes(StandardCharsets.UTF_8));
  }

  private String tag(Share share, long expires) {
    String id = share.id();
    String hash = Objects.toString(share.passwordHash(), "");
    String message = id.length() + ":" + id + hash.length() + ":" + hash + expires;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(HmacSha256.of(key, message.getBytes(StandardCharsets.UTF_8)));
  }
}
