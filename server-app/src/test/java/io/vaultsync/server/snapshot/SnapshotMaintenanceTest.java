package io.vaultsync.server.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.testkit.ManualClock;
import io.vaultsync.server.TestDeltas;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.http.VaultNotes;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.SqlSnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.PackContentStore;
import io.vaultsync.server.vault.ServerVaults;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy pass: interval, retention and age-limited automatic compaction, on a moved clock. */
class SnapshotMaintenanceTest {
  private static final VaultName NOTES = VaultName.of("notes");

  @TempDir Path dir;
  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-01T00:00:00Z"));
  private SqliteDatabase db;
  private PackContentStore store;
  private SqlLedgerStore ledger;
  private SqlSnapshotStore snapshots;
  private ServerVaults vaults;
  private int n;

  @BeforeEach
  void setUp() throws IOException {
    db = SqliteDatabase.open(dir.resolve("vaultsync.db"));
    store = PackContentStore.open(dir.resolve("store"));
    ledger = new SqlLedgerStore(db);
    snapshots = new SqlSnapshotStore(db);
    vaults = new ServerVaults(ledger, snapshots, store, dir.resolve("vaults"), clock);
    vaults.createVault("notes");
  }

  @AfterEach
  void tearDown() throws IOException {
    vaults.close();
    store.close();
    db.close();
  }

  private void edit() throws IOException {
    byte[] delta = TestDeltas.delta(VaultNotes.bytes("note " + n));
    vaults.push(
        "notes", NotePath.of("n" + n++ + ".md"), null, new ByteArrayInputStream(delta), "laptop");
    vaults.awaitMirrored("notes");
  }

  @Test
  void snapshotsFollowTheIntervalOnlyWhenTheHeadMovedAndOnlyTheNewestAreKept() throws IOException {
    SnapshotMaintenance m =
        new SnapshotMaintenance(
            vaults, snapshots, new SnapshotPolicy(Duration.ofHours(6), 2, null), clock);
    assertThat(m.runOnce().get(0).taken()).as("empty vault: nothing to snapshot").isNull();
    edit();
    assertThat(m.runOnce().get(0).taken()).as("no snapshot yet").isNotNull();
    edit();
    clock.advance(Duration.ofHours(5));
    assertThat(m.runOnce().get(0).taken()).as("newest is 5 h old").isNull();
    clock.advance(Duration.ofHours(1));
    assertThat(m.runOnce().get(0).taken().seq()).isEqualTo(2);
    clock.advance(Duration.ofHours(7));
    assertThat(m.runOnce().get(0).taken()).as("head did not move").isNull();
    edit();
    SnapshotMaintenance.Outcome third = m.runOnce().get(0);
    assertThat(third.taken().seq()).isEqualTo(3);
    assertThat(third.pruned()).isEqualTo(1);
    assertThat(third.compaction()).as("automatic compaction off").isNull();
    assertThat(snapshots.list(NOTES)).extracting(SnapshotInfo::seq).containsExactly(2L, 3L);
    assertThat(snapshots.horizon(NOTES)).isZero();
  }

  @Test
  void automaticCompactionEatsOnlyLedgerOlderThanItsAge() throws IOException {
    SnapshotMaintenance m =
        new SnapshotMaintenance(
            vaults,
            snapshots,
            new SnapshotPolicy(Duration.ofHours(6), 4, Duration.ofDays(30)),
            clock);
    edit(); // seq 1, day 0
    edit(); // seq 2, day 0
    clock.advance(Duration.ofDays(20));
    edit(); // seq 3, day 20
    m.runOnce(); // snapshot at 3
    clock.advance(Duration.ofDays(5));
    assertThat(m.runOnce().get(0).compaction().horizonAfter())
        .as("day 25: nothing is 30 days old")
        .isZero();
    clock.advance(Duration.ofDays(6));
    assertThat(m.runOnce().get(0).compaction().horizonAfter())
        .as("day 31: seqs 1-2 are older than 30 days, seq 3 is not")
        .isEqualTo(2);
    assertThat(vaults.changesSince("notes", 2, 10).changes()).hasSize(1);
    assertThat(vaults.manifest("notes").entries()).hasSize(3);
  }

  @Test
  void policyRefusesBadValuesNamingThem() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new SnapshotPolicy(Duration.ofHours(1), 0, null))
        .hasMessageContaining("keeping 0 snapshots");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new SnapshotPolicy(Duration.ofHours(-1), 1, null))
        .hasMessageContaining("PT-1H");
    assertThat(SnapshotPolicy.DEFAULT.tick()).isEqualTo(Duration.ofMinutes(10));
    assertThat(List.of(SnapshotPolicy.DEFAULT.every())).containsExactly(Duration.ofHours(6));
  }
}
