package io.vaultsync.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.db.SqliteDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's memory of what a master folder still owes ({@code mirror_pending}, schema 4). */
class MirrorPendingTest {
  static final VaultName NOTES = VaultName.of("notes");
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;

  private static NotePath p(String s) {
    return NotePath.of(s);
  }

  private static SqlLedgerStore ledgerWithChanges(SqliteDatabase db, int changes) throws Exception {
    SqlLedgerStore ledger = new SqlLedgerStore(db);
    ledger.createVault(NOTES, T0);
    for (int i = 0; i < changes; i++) {
      ledger.append(
          NOTES,
          i,
          List.of(
              NewChange.put(p("n" + i + ".md"), ContentHash.digestOf(new byte[] {(byte) i}), 1)),
          "laptop",
          T0);
    }
    return ledger;
  }

  @Test
  void failedPathsStayPendingUntilWrittenAndTheMirroredSeqOnlyRises() throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("vaultsync.db"))) {
      SqlLedgerStore ledger = ledgerWithChanges(db, 4);

      ledger.recordMirrored(
          NOTES,
          3,
          Map.of(p("n1.md"), "No space left on device", p("n2.md"), "No space left on device"),
          Set.of(p("n0.md")),
          T0);
      ledger.recordMirrored(NOTES, 2, Map.of(), Set.of(p("n2.md")), T0.plusSeconds(30));

      assertThat(ledger.mirroredSeq(NOTES)).as("never falls").isEqualTo(3);
      assertThat(ledger.mirrorPending(NOTES))
          .containsExactly(Map.entry(p("n1.md"), "No space left on device"));
      ledger.recordMirrored(NOTES, 4, Map.of(p("n1.md"), "still full"), Set.of(), T0);
      assertThat(ledger.mirrorPending(NOTES)).containsExactly(Map.entry(p("n1.md"), "still full"));
      assertThat(ledger.mirroredSeq(NOTES)).isEqualTo(4);
      assertThatThrownBy(() -> ledger.recordMirrored(NOTES, 5, Map.of(), Set.of(), T0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("mirrored seq 5");
      assertThatThrownBy(
              () -> ledger.recordMirrored(NOTES, 4, Map.of(p("a.md"), "x"), Set.of(p("a.md")), T0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("a.md");
    }
  }

  @Test
  void version3DatabaseGainsAnEmptyPendingTable() throws Exception {
    Path file = dir.resolve("vaultsync.db");
    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      ledgerWithChanges(db, 2).setMirroredSeq(NOTES, 2);
    }
    SchemaDowngrade.to(file, 3);

    try (SqliteDatabase db = SqliteDatabase.open(file)) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      assertThat(ledger.mirrorPending(NOTES)).isEmpty();
      assertThat(ledger.mirroredSeq(NOTES)).isEqualTo(2);
      ledger.recordMirrored(NOTES, 2, Map.of(p("n0.md"), "No space left on device"), Set.of(), T0);
      assertThat(ledger.mirrorPending(NOTES)).containsOnlyKeys(p("n0.md"));
    }
  }
}
