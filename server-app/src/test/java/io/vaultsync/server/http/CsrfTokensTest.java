package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CsrfTokensTest {
  @Test
  void aTokenMatchesOnlyItsOwnSessionAndOnlyOnThisServer() {
    CsrfTokens csrf = new CsrfTokens(new SecureRandom());
    String token = csrf.tokenFor("session-a");
    assertThat(csrf.matches("session-a", token)).isTrue();
    assertThat(csrf.matches("session-b", token)).isFalse();
    assertThat(csrf.matches("session-a", null)).isFalse();
    assertThat(csrf.matches(null, token)).isFalse();
    assertThat(csrf.matches("session-a", "")).isFalse();
    assertThat(new CsrfTokens(new SecureRandom()).matches("session-a", token)).isFalse();
  }

  /** Issue 14: processes that share a key accept each other's tokens, and only theirs. */
  @Test
  void tokensUnderTheSameKeyAgreeAcrossInstancesAndNotUnderAnother() {
    byte[] key = new byte[CsrfTokens.KEY_BYTES];
    Arrays.fill(key, (byte) 42);
    CsrfTokens one = new CsrfTokens(key);
    CsrfTokens two = new CsrfTokens(key.clone());
    key[0] = 0; // the instances copied their key
    String token = one.tokenFor("session-a");
    assertThat(two.tokenFor("session-a")).isEqualTo(token);
    assertThat(two.matches("session-a", token)).isTrue();
    assertThat(two.matches("session-b", token)).isFalse();
    assertThat(new CsrfTokens(key).matches("session-a", token)).isFalse();
  }

  @Test
  void aKeyOfAnyLengthButThirtyTwoBytesIsRefused() {
    for (int length : new int[] {0, 16, 31, 33, 64}) {
      assertThatThrownBy(() -> new CsrfTokens(new byte[length]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("CSRF key of " + length + " bytes; expected 32 random bytes");
    }
    assertThatThrownBy(() -> new CsrfTokens((byte[]) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 32");
  }
}
