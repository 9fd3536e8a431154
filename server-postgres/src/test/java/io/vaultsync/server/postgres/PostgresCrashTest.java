package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vaultsync.server.db.Sql;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.vault.VaultLock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL crashing under a process and coming back: work in flight fails with one line and
 * leaves nothing half-committed, held vault locks are reported lost, and the pools, the listening
 * connection and new work recover without a restart of the process.
 */
class PostgresCrashTest extends ClusterTest {
  @BeforeAll
  static void table() throws Exception {
    cluster
        .get(0)
        .database()
        .transaction(c -> Sql.update(c, "CREATE TABLE notes (name TEXT PRIMARY KEY)"));
  }

  @Test
  void aCrashMidTransactionCommitsNothingAndTheDatabaseRecovers() throws Exception {
    PostgresClusterDatabase process = cluster.get(0);
    PostgresDatabase db = process.database();
    List<String> heard = new CopyOnWriteArrayList<>();
    process.signals().listen((v, seq) -> heard.add(v + " " + seq));
    await().atMost(Duration.ofSeconds(10)).until(process::listening);
    VaultLock lock = process.locks().lock(VaultName.of("notes"));
    lock.lock();
    try {
      assertThatThrownBy(
              () ->
                  db.transaction(
                      c -> {
                        Sql.update(c, "INSERT INTO notes (name) VALUES ('first')");
                        PostgresFixture.crash();
                        return Sql.update(c, "INSERT INTO notes (name) VALUES ('second')");
                      }))
          .isInstanceOf(IOException.class)
          .hasMessageContaining(db.describe())
          .hasMessageContaining("connection")
          .hasMessageNotContaining("\n");
      assertThatThrownBy(() -> db.read(c -> Sql.number(c, "SELECT count(*) FROM notes")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("check that PostgreSQL runs");
    } finally {
      PostgresFixture.restart();
    }
    assertThatThrownBy(lock::unlock).isInstanceOf(LostVaultLockException.class);

    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> db.transaction(c -> Sql.update(c, "INSERT INTO notes VALUES ('after')")) == 1);
    List<String> names = db.read(c -> Sql.list(c, "SELECT name FROM notes", rs -> rs.getString(1)));
    assertThat(names).containsExactly("after"); // nothing of the crashed transaction
    lock.lock();
    lock.unlock();
    // The listening connection came back too.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              process.signals().committed(VaultName.of("notes"), 1);
              return !heard.isEmpty();
            });
  }
}
