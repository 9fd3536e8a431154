package io.vaultsync.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.db.SqliteDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version-1 database (before snapshots and history) is upgraded in place on open, keeping its
 * ledger.
 */
class SchemaMigrationTest {
  @TempDir Path dir;

  @Test
  void version1DatabaseGainsSnapshotTablesHorizonAndLastChangeTime() throws Exception {
    Path file = dir.resolve("vaultsync.db");
    Instant t = Instant.parse("2026-11-20T10:00:00Z");
    VaultName notes = VaultName.of("notes");
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      ledger.createVault(notes, t);
      ledger.append(
          notes,
          0,
          List.of(NewChange.put(NotePath.of("a.md"), ContentHash.digestOf(new byte[0]), 0)),
          "laptop",
          t);
    }
    // Turn it back into what a version-1 server left.
    SchemaDowngrade.to(file, 1);

    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      VaultInfo info = ledger.vaults().get(0);
      assertThat(info.headSeq()).isEqualTo(1);
      assertThat(info.lastChange()).isEqualTo(t);
      SqlSnapshotStore snapshots = new SqlSnapshotStore(db);
      assertThat(snapshots.horizon(notes)).isZero();
      assertThat(snapshots.take(notes, t).files()).isEqualTo(1);
      assertThat(ledger.changesSince(notes, 0, 10).changes()).hasSize(1);
      assertThat(ledger.history().manifestAt(notes, 1)).isEqualTo(ledger.manifest(notes));
    } catch (IOException e) {
      throw new AssertionError("migration failed", e);
    }
  }

  /**
   * A version-4 database gains {@code changes.confirmed} (issue 12): its deletes stay unconfirmed,
   * and a delete appended confirmed afterwards reads back confirmed.
   */
  @Test
  void version4DatabaseGainsConfirmedDeletes() throws Exception {
    Path file = dir.resolve("vaultsync.db");
    Instant t = Instant.parse("2026-12-01T10:00:00Z");
    VaultName notes = VaultName.of("notes");
    NotePath a = NotePath.of("a.md");
    NotePath b = NotePath.of("b.md");
    ContentHash h = ContentHash.digestOf(new byte[0]);
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      ledger.createVault(notes, t);
      ledger.append(
          notes,
          0,
          List.of(NewChange.put(a, h, 0), NewChange.put(b, h, 0), NewChange.delete(a, h, 0)),
          "laptop",
          t);
    }
    SchemaDowngrade.to(file, 4);

    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      ledger.append(notes, 3, List.of(NewChange.delete(b, h, 0).asConfirmed()), "laptop", t);
      List<io.vaultsync.protocol.Change> changes = ledger.changesSince(notes, 0, 10).changes();
      assertThat(changes)
          .extracting(io.vaultsync.protocol.Change::confirmed)
          .containsExactly(false, false, false, true);
    }
  }
}
