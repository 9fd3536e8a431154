package io.vaultsync.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.server.db.SqliteDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlTokenStoreTest {
  @TempDir Path dir;

  @Test
  void createdTokenVerifiesUntilRevokedAndIs32RandomBytes() throws IOException {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("vaultsync.db"))) {
      TokenStore tokens = new SqlTokenStore(db, Clock.systemUTC());
      String token = tokens.create("laptop");

      assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
      assertThat(token).doesNotContain("=");
      assertThat(tokens.deviceFor(token)).contains("laptop");
      assertThat(tokens.deviceFor(token + "x")).isEmpty();
      assertThat(tokens.deviceFor("")).isEmpty();
      assertThat(tokens.deviceFor("a".repeat(100_000))).isEmpty();
      assertThat(tokens.list()).extracting(TokenInfo::device).containsExactly("laptop");

      assertThat(tokens.revoke("laptop")).isTrue();
      assertThat(tokens.deviceFor(token)).isEmpty();
      assertThat(tokens.revoke("laptop")).isFalse();
    }
  }

  @Test
  void databaseFilesNeverContainThePlaintextToken() throws IOException {
    String token;
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("vaultsync.db"))) {
      token = new SqlTokenStore(db, Clock.systemUTC()).create("phone");
    }
    byte[] needle = token.getBytes(StandardCharsets.US_ASCII);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.toList()) {
        String content = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        assertThat(content)
            .as(p.toString())
            .doesNotContain(new String(needle, StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  void invalidReservedAndDuplicateDeviceNamesAreRefusedByName() throws IOException {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("vaultsync.db"))) {
      TokenStore tokens = new SqlTokenStore(db, Clock.systemUTC());
      tokens.create("laptop");
      assertThatThrownBy(() -> tokens.create("laptop")).hasMessageContaining("\"laptop\"");
      assertThatThrownBy(() -> tokens.create("server-disk")).hasMessageContaining("server-disk");
      assertThatThrownBy(() -> tokens.create("../x")).hasMessageContaining("../x");
    }
  }
}
