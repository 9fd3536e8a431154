package io.vaultsync.server.app;

import static io.vaultsync.server.app.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.ledger.SqlLedgerStore;
import io.vaultsync.server.ledger.VaultName;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vaultsync server snapshot} and {@code vaultsync server compact} on a data folder. */
class LedgerCommandsTest {
  @TempDir Path dir;

  /** A vault "notes" with three changes, all mirrored, as a server would have left it. */
  private void threeChanges() throws Exception {
    try (SqliteDatabase db = SqliteDatabase.open(ServerData.database(dir))) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      VaultName notes = VaultName.of("notes");
      ledger.createVault(notes, Instant.now());
      for (int i = 0; i < 3; i++) {
        ledger.append(
            notes,
            i,
            List.of(
                NewChange.put(
                    NotePath.of("n" + i + ".md"), ContentHash.digestOf(new byte[] {(byte) i}), 1)),
            "laptop",
            Instant.now());
      }
      ledger.setMirroredSeq(notes, 3);
    }
  }

  @Test
  void compactWithoutASnapshotSaysSoAndWithSnapshotCompactsToIt() throws Exception {
    threeChanges();
    CommandRun none = run("compact", "--data", dir.toString());
    assertThat(none.code()).isZero();
    assertThat(none.out()).contains("vault notes: no snapshot yet, nothing compacted");

    CommandRun snap = run("snapshot", "--data", dir.toString(), "--vault", "notes");
    assertThat(snap.code()).isZero();
    assertThat(snap.out()).contains("vault notes: snapshot at seq 3, 3 files, 3 bytes, root ");

    CommandRun young = run("compact", "--data", dir.toString(), "--older-than", "30d");
    assertThat(young.out()).contains("compacted up to seq 0 (0 rows removed");

    CommandRun all = run("compact", "--data", dir.toString());
    assertThat(all.code()).isZero();
    assertThat(all.out())
        .contains(
            "vault notes: ledger compacted up to seq 3 (3 rows removed;"
                + " oldest kept snapshot at seq 3)");
    assertThat(run("snapshot", "--data", dir.toString(), "--list").out())
        .contains("snapshot at seq 3");
  }

  @Test
  void unknownVaultAndBadDurationAreRefusedNamingThem() throws Exception {
    threeChanges();
    CommandRun r = run("compact", "--data", dir.toString(), "--vault", "nope");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no vault \"nope\"");
    CommandRun d = run("compact", "--data", dir.toString(), "--older-than", "3 weeks");
    assertThat(d.code()).isNotZero();
    assertThat(d.err()).contains("3 weeks");
    CommandRun missing = run("snapshot", "--data", dir.resolve("missing").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("no vaultsync database");
  }

  @Test
  void durationsParseAsPeopleWriteThem() {
    assertThat(DurationText.parse("6h")).isEqualTo(Duration.ofHours(6));
    assertThat(DurationText.parse("30d")).isEqualTo(Duration.ofDays(30));
    assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse("PT15M")).isEqualTo(Duration.ofMinutes(15));
    assertThat(DurationText.parse("0")).isZero();
    assertThat(DurationText.parse("off")).isNull();
  }

  @Test
  void serverRefusesKeepingNoSnapshots() {
    CommandRun r = run("--data", dir.toString(), "--keep-snapshots", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("keeping 0 snapshots");
  }
}
