package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {
  @Test
  void parsesUserPasswordHostPortDatabaseAndParameters() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://vs:s%40cret:x@db.example:6543/notes?sslmode=require", Map.of());
    assertThat(url.user()).isEqualTo("vs");
    assertThat(url.password()).isEqualTo("s@cret:x");
    assertThat(url.host()).isEqualTo("db.example");
    assertThat(url.port()).isEqualTo(6543);
    assertThat(url.database()).isEqualTo("notes");
    assertThat(url.params()).containsExactly(Map.entry("sslmode", "require"));
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/notes");
  }

  @Test
  void describeAndToStringNeverShowThePassword() {
    PostgresUrl url = PostgresUrl.parse("postgres://vs:hunter2@127.0.0.1/notes", Map.of());
    assertThat(url.describe()).isEqualTo("postgresql://vs@127.0.0.1:5432/notes");
    assertThat(url.toString()).doesNotContain("hunter2");
  }

  @Test
  void takesUserAndPasswordFromTheEnvironmentWhenTheUrlHasNone() {
    PostgresUrl url =
        PostgresUrl.parse(
            "postgresql://[::1]:5433/notes", Map.of("PGUSER", "vs", "PGPASSWORD", "pw"));
    assertThat(url.user()).isEqualTo("vs");
    assertThat(url.password()).isEqualTo("pw");
    assertThat(url.host()).isEqualTo("::1");
    assertThat(url.describe()).isEqualTo("postgresql://vs@[::1]:5433/notes");
    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433/notes");
  }

  @Test
  void refusesBrokenUrlsWithOneLineNamingTheUrlWithoutItsPassword() {
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://vs:hunter2@host", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no database")
        .hasMessageContaining("postgresql://vs:***@host")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://vs@host:99999/db", Map.of()))
        .hasMessageContaining("port \"99999\"");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://host/db", Map.of()))
        .hasMessageContaining("names no user");
    assertThatThrownBy(() -> PostgresUrl.parse("mysql://vs@host/db", Map.of()))
        .hasMessageContaining("does not start with postgresql://");
    assertThatThrownBy(() -> PostgresUrl.parse("postgresql://vs@host/db?password=x", Map.of()))
        .hasMessageContaining("before the host");
  }
}
