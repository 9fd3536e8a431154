package io.vaultsync.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {
  /**
   * One base64url token in 64 used to start with '-', which picocli reads as an option after {@code
   * --token}; in 20,000 tokens such a start is all but certain ((63/64)^20000 ≈ 1e-137).
   */
  @Test
  void noTokenStartsWithADashAndEachIsFortyThreeUrlSafeCharacters() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      String t = DeviceTokens.newToken();
      assertThat(t).hasSize(43).matches("[A-Za-z0-9_][A-Za-z0-9_-]{42}");
      seen.add(t);
    }
    assertThat(seen).hasSize(20_000);
  }
}
