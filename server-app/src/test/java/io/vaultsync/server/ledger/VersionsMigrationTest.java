package io.vaultsync.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.db.SqliteDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version-2 database (before the version history) gains {@code versions} on open, filled from its
 * ledger rows with the file ids a live server would have written.
 */
class VersionsMigrationTest {
  static final VaultName NOTES = VaultName.of("notes");
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;

  static NotePath p(String s) {
    return NotePath.of(s);
  }

  static ContentHash h(String s) {
    return ContentHash.digestOf(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void append(SqlLedgerStore ledger, int minute, NewChange... changes)
      throws Exception {
    ledger.append(
        NOTES, ledger.headSeq(NOTES), List.of(changes), "laptop", T0.plusSeconds(60L * minute));
  }

  @Test
  void version2LedgerRowsAreBackfilledWithTheFileIdsALiveServerWrites() throws Exception {
    Path file = dir.resolve("vaultsync.db");
    List<FileVersion> live;
    List<RemoteManifest> liveManifests = new ArrayList<>();
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      ledger.createVault(NOTES, T0);
      append(ledger, 1, NewChange.put(p("a.md"), h("1"), 1), NewChange.put(p("x.md"), h("x"), 1));
      append(ledger, 2, NewChange.put(p("a.md"), h("2"), 1));
      append(ledger, 3, NewChange.move(p("a.md"), p("b.md"), h("2"), 1));
      append(ledger, 4, NewChange.delete(p("b.md"), h("2"), 1));
      append(ledger, 5, NewChange.put(p("b.md"), h("3"), 1));
      append(ledger, 6, NewChange.move(p("x.md"), p("a.md"), h("x"), 1));
      VersionHistory history = ledger.history();
      live = history.versions(NOTES, null, Long.MAX_VALUE, 100);
      for (long seq = 0; seq <= 7; seq++) {
        liveManifests.add(history.manifestAt(NOTES, seq));
      }
    }
    SchemaDowngrade.to(file, 2);

    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      VersionHistory history = ledger.history();
      assertThat(history.versions(NOTES, null, Long.MAX_VALUE, 100)).isEqualTo(live);
      assertThat(live).extracting(FileVersion::fileId).containsExactly(2L, 6L, 1L, 1L, 1L, 2L, 1L);
      for (long seq = 0; seq <= 7; seq++) {
        assertThat(history.manifestAt(NOTES, seq)).isEqualTo(liveManifests.get((int) seq));
      }
      // New appends continue the ids of migrated rows.
      append(ledger, 7, NewChange.put(p("a.md"), h("x2"), 2));
      assertThat(history.fileIdAt(NOTES, p("a.md"), 8)).hasValue(2);
    }
  }

  @Test
  void aCompactedLedgerStartsItsHistoryAtTheOldestSnapshot() throws Exception {
    Path file = dir.resolve("vaultsync.db");
    RemoteManifest atSnapshot;
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      SqlSnapshotStore snapshots = new SqlSnapshotStore(db);
      ledger.createVault(NOTES, T0);
      append(ledger, 1, NewChange.put(p("a.md"), h("1"), 1)); // 1
      append(ledger, 2, NewChange.put(p("b.md"), h("b"), 1)); // 2
      append(ledger, 3, NewChange.put(p("c.md"), h("c"), 1)); // 3
      snapshots.take(NOTES, T0.plusSeconds(200)); // snapshot at 3
      append(ledger, 4, NewChange.put(p("a.md"), h("2"), 1)); // 4
      append(ledger, 5, NewChange.delete(p("b.md"), h("b"), 1)); // 5
      ledger.setMirroredSeq(NOTES, 5);
      assertThat(snapshots.compact(NOTES, null).horizonAfter()).isEqualTo(3);
      atSnapshot = snapshots.entries(NOTES, 3);
    }
    SchemaDowngrade.to(file, 2);

    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      VersionHistory history = ledger.history();
      assertThat(history.manifestAt(NOTES, 5)).isEqualTo(ledger.manifest(NOTES));
      assertThat(history.manifestAt(NOTES, 3)).isEqualTo(atSnapshot);
      assertThat(history.manifestAt(NOTES, 4).entries()).hasSize(3);
      assertThatThrownBy(() -> history.manifestAt(NOTES, 2))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining("history before seq 3 was thinned");
      List<FileVersion> all = history.versions(NOTES, null, Long.MAX_VALUE, 100);
      assertThat(all).extracting(FileVersion::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
      assertThat(all.get(4).device()).isEqualTo("unknown");
      assertThat(all.get(1).fileId()).isEqualTo(1); // the edit kept the seeded file's id
    }
  }
}
