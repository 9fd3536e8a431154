package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.testkit.ManualClock;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.share.Share;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: a share password grant is a signed cookie, not a row in one process's memory, so any
 * process holding the key admits it; it opens only its share, ends after its lifetime and when the
 * share's password changes, and a forged or mangled cookie is refused without an exception.
 */
class ShareGrantsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));

  private static Share share(String id, String passwordHash) {
    return new Share(
        id,
        VaultName.of("notes"),
        NotePath.of("Public"),
        true,
        0,
        Instant.parse("2026-12-01T00:00:00Z"),
        "laptop",
        null,
        passwordHash,
        false);
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  @Test
  void aGrantOpensItsShareOnEveryInstanceWithTheKeyAndOnlyUntilItEnds() {
    Share recipes = share("a1b2c3", "hash-1");
    ShareGrants one = new ShareGrants(key(1), clock);
    String grant = one.issue(recipes);
    assertThat(grant).hasSizeLessThan(ShareGrants.MAX_COOKIE_CHARS);
    assertThat(new ShareGrants(key(1), clock).admits(grant, recipes)).isTrue();
    assertThat(new ShareGrants(key(2), clock).admits(grant, recipes)).isFalse();
    assertThat(new ShareGrants(new SecureRandom(), clock).admits(grant, recipes)).isFalse();
    assertThat(one.admits(grant, share("d4e5f6", "hash-1"))).as("another share").isFalse();
    assertThat(one.admits(grant, share("a1b2c3", "hash-2"))).as("password changed").isFalse();
    assertThat(one.admits(grant, share("a1b2c3", null))).as("password removed").isFalse();
    clock.advance(ShareGrants.LIFETIME.minusSeconds(1));
    assertThat(one.admits(grant, recipes)).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(one.admits(grant, recipes)).isFalse();
  }

  @Test
  void forgedOrMangledCookiesAreRefused() {
    Share recipes = share("a1b2c3", "hash-1");
    ShareGrants grants = new ShareGrants(key(1), clock);
    String grant = grants.issue(recipes);
    String tag = grant.substring(grant.indexOf('.') + 1);
    long later = clock.millis() + Duration.ofDays(365).toMillis();
    for (String cookie :
        new String[] {
          null,
          "",
          ".",
          tag,
          "." + tag,
          later + "." + tag,
          "-1." + tag,
          "+" + grant,
          grant + "x",
          grant.substring(0, grant.length() - 1),
          "99999999999999999999999." + tag,
          grant + "x".repeat(ShareGrants.MAX_COOKIE_CHARS)
        }) {
      assertThat(grants.admits(cookie, recipes)).as(String.valueOf(cookie)).isFalse();
    }
  }

  @Test
  void aKeyOfAnyLengthButThirtyTwoBytesIsRefused() {
    assertThatThrownBy(() -> new ShareGrants(new byte[31], clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("share grant key of 31 bytes; expected 32 random bytes");
    assertThatThrownBy(() -> HttpState.shared(Sessions.inMemory(clock), new byte[8], null, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("HTTP state key of 8 bytes; expected 32 random bytes");
  }
}
