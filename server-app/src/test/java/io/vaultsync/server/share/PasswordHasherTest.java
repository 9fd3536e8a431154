package io.vaultsync.server.share;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Share passwords: salted PBKDF2, checked in constant time, bounded input. */
class PasswordHasherTest {
  @Test
  void samePasswordHashesDifferentlyEachTimeAndMatchesOnlyItself() {
    String a = PasswordHasher.hash("correct horse".toCharArray());
    String b = PasswordHasher.hash("correct horse".toCharArray());
    assertThat(a).startsWith("pbkdf2-sha512$" + PasswordHasher.ITERATIONS + "$").isNotEqualTo(b);
    assertThat(a).doesNotContain("correct horse");
    assertThat(PasswordHasher.matches("correct horse".toCharArray(), a)).isTrue();
    assertThat(PasswordHasher.matches("correct horsE".toCharArray(), a)).isFalse();
    assertThat(PasswordHasher.matches(new char[0], a)).isFalse();
    assertThat(PasswordHasher.matches(new char[PasswordHasher.MAX_CHARS + 1], a)).isFalse();
  }

  @Test
  void emptyOrOverlongNewPasswordsAreRefusedNamingTheLength() {
    assertThatThrownBy(() -> PasswordHasher.hash(new char[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 characters");
    assertThatThrownBy(() -> PasswordHasher.hash(new char[PasswordHasher.MAX_CHARS + 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining((PasswordHasher.MAX_CHARS + 1) + " characters");
  }
}
