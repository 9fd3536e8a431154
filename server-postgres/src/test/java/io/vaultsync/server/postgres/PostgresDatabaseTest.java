package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresDatabaseTest {
  private static PostgresUrl url;
  private static PostgresDatabase db;

  @BeforeAll
  static void open() throws IOException {
    url = PostgresFixture.newDatabase();
    db = PostgresDatabase.open(url, 4);
    db.transaction(
        c -> {
          Sql.execute(c, "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
          return Sql.update(c, "INSERT INTO counter (id, n) VALUES (1, 0)");
        });
  }

  @AfterAll
  static void close() {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void migrationCreatesTheSqliteSchemaAndTheClusterTables() throws IOException {
    List<String> tables =
        db.read(
            c ->
                Sql.list(
                    c,
                    "SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = 'public' ORDER BY table_name",
                    rs -> rs.getString(1)));
    assertThat(tables)
        .contains(
            "vaults",
            "changes",
            "head",
            "tokens",
            "snapshots",
            "snapshot_entries",
            "versions",
            "mirror_pending",
            "vault_quotas",
            "retention_policies",
            "shares",
            "wanted_content",
            "leases",
            "sessions",
            "attempts",
            "secrets");
  }

  @Test
  void pathColumnsCompareBytesLikeSqlite() throws IOException {
    // Byte (UTF-8) order: 'B' 0x42 < 'Z' 0x5a < 'a' 0x61 < "a/" < "a0" < 'é' 0xc3 0xa9.
    List<String> sorted =
        db.read(
            c ->
                Sql.list(
                    c,
                    "SELECT p COLLATE \"C\" FROM (VALUES ('a'), ('é'), ('Z'), ('B'), ('a/b'), ('a0'))"
                        + " AS t(p) ORDER BY 1",
                    rs -> rs.getString(1)));
    assertThat(sorted).containsExactly("B", "Z", "a", "a/b", "a0", "é");
    String collation =
        db.read(
            c ->
                Sql.first(
                    c,
                    "SELECT collation_name FROM information_schema.columns"
                        + " WHERE table_name = 'head' AND column_name = 'path'",
                    rs -> rs.getString(1)));
    assertThat(collation).isEqualTo("C");
  }

  @Test
  void readIsReadOnly() {
    assertThatThrownBy(() -> db.read(c -> Sql.update(c, "UPDATE counter SET n = n + 1")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(url.describe())
        .hasMessageContaining("read-only");
  }

  @Test
  void transactionRunsTheWorkAgainAfterASerializationFailure() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      long n =
          db.transaction(
              c -> {
                long before = Sql.number(c, "SELECT n FROM counter WHERE id = 1");
                if (runs.incrementAndGet() == 1) {
                  // Another transaction changes the row we read and commits first.
                  try {
                    other
                        .submit(
                            () ->
                                db.transaction(
                                    c2 -> Sql.update(c2, "UPDATE counter SET n = n + 10")))
                        .get();
                  } catch (Exception e) {
                    throw new IOException(e);
                  }
                }
                Sql.update(c, "UPDATE counter SET n = ? WHERE id = 1", before + 1);
                return before + 1;
              });
      assertThat(runs.get()).isEqualTo(2);
      long stored = db.read(c -> Sql.number(c, "SELECT n FROM counter WHERE id = 1"));
      assertThat(n).isEqualTo(stored);
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void concurrentIncrementsFromTwoPoolsLoseNone() throws Exception {
    long start = db.read(c -> Sql.number(c, "SELECT n FROM counter WHERE id = 1"));
    try (PostgresDatabase second = PostgresDatabase.open(url, 4)) {
      ExecutorService threads = Executors.newFixedThreadPool(6);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
          PostgresDatabase d = t % 2 == 0 ? db : second;
          done.add(
              threads.submit(
                  () -> {
                    for (int i = 0; i < 20; i++) {
                      d.transaction(
                          c -> {
                            long n = Sql.number(c, "SELECT n FROM counter WHERE id = 1");
                            return Sql.update(c, "UPDATE counter SET n = ? WHERE id = 1", n + 1);
                          });
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        threads.shutdownNow();
      }
    }
    long end = db.read(c -> Sql.number(c, "SELECT n FROM counter WHERE id = 1"));
    assertThat(end).isEqualTo(start + 120);
  }

  @Test
  void createTablesIfMissingDoesNothing() throws IOException {
    db.createTablesIfMissing("CREATE TABLE this_is_not_valid_sql (((");
  }

  @Test
  void describeIsTheUrlWithoutPassword() {
    assertThat(db.describe()).isEqualTo(url.describe()).startsWith("postgresql://postgres@");
  }

  @Test
  void unreachableServerIsOneLineNamingTheUrl() throws IOException {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    PostgresUrl nowhere =
        PostgresUrl.parse("postgresql://vs:hunter2@127.0.0.1:" + closedPort + "/notes");
    assertThatThrownBy(() -> PostgresDatabase.open(nowhere, 2))
        .isInstanceOf(io.vaultsync.server.cluster.StorageUnavailableException.class)
        .hasMessageStartingWith("cannot reach PostgreSQL at postgresql://vs@127.0.0.1:")
        .hasMessageContaining("check that it runs")
        .hasMessageNotContaining("hunter2")
        .hasMessageNotContaining("\n");
  }

  @Test
  void missingDatabaseAndUnknownUserAreOneLineSayingWhatToDo() {
    PostgresUrl missing = url.withDatabase("no_such_db");
    assertThatThrownBy(() -> PostgresDatabase.open(missing, 2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.describe())
        .hasMessageContaining("create the database")
        .hasMessageNotContaining("\n");
    PostgresUrl stranger =
        new PostgresUrl(
            "stranger", "pw", url.host(), url.port(), url.database(), java.util.Map.of());
    assertThatThrownBy(() -> PostgresDatabase.open(stranger, 2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("refused the login")
        .hasMessageContaining("postgresql://stranger@")
        .hasMessageNotContaining("\n");
  }
}
