package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.server.cluster.ChangeSignals;
import io.vaultsync.server.ledger.VaultName;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Change signals between two "processes" over LISTEN/NOTIFY. */
class PostgresChangeSignalsTest extends ClusterTest {
  private static final VaultName NOTES = VaultName.of("notes");

  private static final List<String> heardByA = new CopyOnWriteArrayList<>();
  private static final List<String> heardByB = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void listeners() {
    cluster.get(0).signals().listen((v, seq) -> heardByA.add(v + " " + seq));
    cluster.get(1).signals().listen((v, seq) -> heardByB.add(v + " " + seq));
  }

  @BeforeEach
  void listening() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> cluster.get(0).listening() && cluster.get(1).listening());
    heardByA.clear();
    heardByB.clear();
  }

  @Test
  void everyProcessHearsEveryProcessesCommitsInOrder() throws Exception {
    ChangeSignals a = cluster.get(0).signals();
    ChangeSignals b = cluster.get(1).signals();
    a.committed(NOTES, 1);
    b.committed(NOTES, 2);
    a.committed(VaultName.of("work.v2"), 7);
    List<String> expected = List.of("notes 1", "notes 2", "work.v2 7");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> heardByB.size() >= 3 && heardByA.size() >= 3);
    assertThat(heardByA).isEqualTo(expected);
    assertThat(heardByB).isEqualTo(expected);
  }

  @Test
  void aPayloadThatIsNotVaultAndSeqIsSkipped() throws Exception {
    notify("not a signal");
    notify("../etc 5");
    notify("notes x");
    cluster.get(0).signals().committed(NOTES, 3);
    await().atMost(Duration.ofSeconds(10)).until(() -> heardByB.contains("notes 3"));
    assertThat(heardByB).containsExactly("notes 3");
  }

  @Test
  void listensAgainAfterItsConnectionDrops() throws Exception {
    assertThat(terminateListeners()).isEqualTo(2);
    long[] seq = {100};
    // Signals sent while it reconnects are lost (the feed's poll covers them): send until heard.
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              cluster.get(0).signals().committed(NOTES, ++seq[0]);
              // Only this test's signals, all sent after the drop, are in the lists.
              return !heardByA.isEmpty() && !heardByB.isEmpty();
            });
  }

  private static Connection admin() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", PostgresFixture.USER);
    return DriverManager.getConnection(cluster.url.jdbcUrl(), p);
  }

  private static void notify(String payload) throws Exception {
    try (Connection c = admin();
        PreparedStatement ps = c.prepareStatement("SELECT pg_notify('vaultsync_changes', ?)")) {
      ps.setString(1, payload);
      ps.execute();
    }
  }

  private static int terminateListeners() throws Exception {
    try (Connection c = admin();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND query = 'LISTEN vaultsync_changes'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
