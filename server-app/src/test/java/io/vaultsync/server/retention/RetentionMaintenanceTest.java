package io.vaultsync.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.ledger.FileVersion;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.SqlSnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.DeltaPlan;
import io.vaultsync.server.store.PackContentStore;
import io.vaultsync.server.store.StagingBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Thinning the versions table, per-vault policies, the delta plan and one maintenance pass. */
class RetentionMaintenanceTest {
  static final Instant NOW = Instant.parse("2026-11-26T12:34:56Z");
  static final VaultName NOTES = VaultName.of("notes");
  static final NotePath A = NotePath.of("a.md");

  @TempDir Path dir;
  SqliteDatabase db;
  SqlLedgerStore ledger;
  PackContentStore store;
  SqlRetentionStore retention;
  List<byte[]> contents = new ArrayList<>();

  @BeforeEach
  void open() throws IOException {
    db = SqliteDatabase.open(dir.resolve("vaultsync.db"));
    ledger = new SqlLedgerStore(db);
    store = PackContentStore.open(dir.resolve("store"));
    retention = new SqlRetentionStore(db);
    ledger.createVault(NOTES, NOW.minus(Duration.ofDays(200)));
  }

  @AfterEach
  void close() throws IOException {
    store.close();
    db.close();
  }

  /** Stores a new version of a.md (a note that grows by one line) recorded at {@code time}. */
  private long put(Instant time) throws IOException {
    StringBuilder text = new StringBuilder("# a\n");
    for (int i = 0; i < 200; i++) {
      text.append("line ").append(i).append(" of the note\n");
    }
    for (int i = 0; i <= contents.size(); i++) {
      text.append("- edit ").append(i).append('\n');
    }
    byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
    contents.add(body);
    ContentHash h;
    try (StagingBatch batch = store.newBatch()) {
      h = batch.stage(out -> out.write(body)).hash();
      batch.commit();
    }
    long head = ledger.headSeq(NOTES);
    return ledger
        .append(NOTES, head, List.of(NewChange.put(A, h, body.length)), "laptop", time)
        .get(0)
        .seq();
  }

  private List<Long> keptSeqs() throws IOException {
    return ledger.history().versions(NOTES, A, Long.MAX_VALUE, 100).stream()
        .map(FileVersion::seq)
        .toList();
  }

  @Test
  void thinningDeletesOldRowsButKeepsTheHeadAndSnapshotVersions() throws IOException {
    put(NOW.minus(Duration.ofDays(100)).minus(Duration.ofHours(3))); // 1: dropped
    put(NOW.minus(Duration.ofDays(100)).minus(Duration.ofHours(2))); // 2: pinned by a snapshot
    new SqlSnapshotStore(db).take(NOTES, NOW.minus(Duration.ofDays(100)));
    put(NOW.minus(Duration.ofDays(100)).minus(Duration.ofHours(1))); // 3: newest of its day
    put(NOW.minus(Duration.ofMinutes(1))); // 4: head
    assertThat(retention.thin(NOTES, NOW, RetentionPolicy.DEFAULT)).isEqualTo(1);
    assertThat(keptSeqs()).containsExactly(4L, 3L, 2L);
    assertThat(retention.thin(NOTES, NOW, RetentionPolicy.DEFAULT)).isZero();
    // seq 1 was ended by seq 2: the vault's files before seq 2 are no longer all known
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.history().manifestAt(NOTES, 1))
        .isInstanceOf(io.vaultsync.protocol.NotFoundException.class);
    assertThat(ledger.history().manifestAt(NOTES, 2).entries()).hasSize(1);
  }

  /** Maintenance at {@link #NOW} with the default policy, repacking every {@code repackEvery}. */
  private RetentionMaintenance maintenance(Duration repackEvery) {
    return new RetentionMaintenance(
        retention,
        ledger,
        store,
        RetentionPolicy.DEFAULT,
        repackEvery,
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void aVaultsOwnPolicyOverridesTheDefaultUntilRemoved() throws IOException {
    put(NOW.minus(Duration.ofDays(500)));
    put(NOW.minus(Duration.ofDays(1)));
    RetentionPolicy forever =
        new RetentionPolicy(Duration.ofDays(1000), Duration.ZERO, Duration.ZERO);
    retention.setPolicy(NOTES, forever);
    assertThat(retention.policy(NOTES)).contains(forever);
    RetentionMaintenance m = maintenance(null);
    assertThat(m.runOnce().thinned()).isEmpty();
    retention.setPolicy(NOTES, null);
    assertThat(retention.policy(NOTES)).isEmpty();
    assertThat(m.runOnce().thinned())
        .containsExactly("notes: 1 versions thinned (" + RetentionPolicy.DEFAULT.describe() + ")");
    assertThat(keptSeqs()).containsExactly(2L);
  }

  @Test
  void maintenancePassRepacksWithOldVersionsAsDeltasAndEverythingReadsBack() throws IOException {
    for (int i = 0; i < 12; i++) {
      put(NOW.minus(Duration.ofHours(12 - i)));
    }
    DeltaPlan plan = retention.deltaPlan();
    assertThat(plan.newerOf()).hasSize(11);
    assertThat(plan.keepWhole()).containsExactly(ContentHash.digestOf(contents.get(11)));
    RetentionMaintenance m = maintenance(Duration.ofHours(24));
    RetentionMaintenance.Outcome o = m.runOnce();
    assertThat(o.repack()).isNotNull();
    // 11 old versions in one chain: the 9th from the head would be 9 deltas deep, so it stays whole
    assertThat(o.repack().deltas()).isEqualTo(10);
    assertThat(o.repack().bytesAfter()).isLessThan(o.repack().bytesBefore() / 4);
    for (byte[] c : contents) {
      try (InputStream in = store.open(ContentHash.digestOf(c)).stream()) {
        assertThat(in.readAllBytes()).isEqualTo(c);
      }
    }
    assertThat(m.runOnce().repack()).as("not due again within 24 h").isNull();
  }
}
