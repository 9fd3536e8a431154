package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.server.cluster.ClusterDatabase;
import java.io.IOException;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PostgresProviderTest {
  @Test
  void serviceLoaderFindsTheProviderForPostgresqlUrlsOnly() {
    ClusterDatabase.Provider provider =
        ServiceLoader.load(ClusterDatabase.Provider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.opens("postgresql://vs@db/notes"))
            .findFirst()
            .orElseThrow();
    assertThat(provider).isInstanceOf(PostgresProvider.class);
    assertThat(provider.opens("postgres://vs@db/notes")).isTrue();
    assertThat(provider.opens("/var/lib/vaultsync")).isFalse();
    assertThat(provider.opens("s3://bucket")).isFalse();
  }

  @Test
  void opensTheDatabaseOfTheUrl() throws IOException {
    PostgresUrl url = PostgresFixture.newDatabase();
    try (ClusterDatabase db = new PostgresProvider().open(url.describe(), "server-a")) {
      assertThat(db.database().describe()).isEqualTo(url.describe());
      assertThat(((PostgresClusterDatabase) db).holder()).startsWith("server-a/");
    }
  }

  @Test
  void aBrokenUrlIsAnIoExceptionOfOneLine() {
    assertThatThrownBy(() -> new PostgresProvider().open("postgresql://vs:pw@db", "server-a"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("names no database")
        .hasMessageNotContaining(":pw@");
  }

  @Test
  void everyProcessReadsTheSameSecretMadeOnce() throws IOException {
    try (Processes cluster = new Processes(2)) {
      byte[] first = cluster.get(0).secret("csrf");
      assertThat(first).hasSize(32);
      assertThat(cluster.get(1).secret("csrf")).isEqualTo(first);
      assertThat(cluster.get(0).secret("csrf")).isEqualTo(first);
      assertThat(cluster.get(1).secret("other")).hasSize(32).isNotEqualTo(first);
    }
  }
}
