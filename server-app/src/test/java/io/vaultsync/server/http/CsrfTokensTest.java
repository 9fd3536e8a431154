package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
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
}
