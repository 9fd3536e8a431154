package io.vaultsync.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.db.SqliteDatabase;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SqlLedgerStore#heads} (a commit's paths read at once) answers exactly what {@link
 * SqlLedgerStore#head} answers path by path: present, moved, deleted, never there, in another
 * vault.
 */
class HeadsReadAtOnceTest {
  private static final Instant T0 = Instant.parse("2026-12-08T04:00:00Z");

  @TempDir Path dir;

  private static NotePath p(String s) {
    return NotePath.of(s);
  }

  @Test
  void headsAnswerWhatHeadAnswersForEachPath() throws Exception {
    VaultName notes = VaultName.of("notes");
    VaultName other = VaultName.of("other");
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("vaultsync.db"))) {
      SqlLedgerStore ledger = new SqlLedgerStore(db);
      ledger.createVault(notes, T0);
      ledger.createVault(other, T0);
      ContentHash a = ContentHash.digestOf(new byte[] {1});
      ContentHash b = ContentHash.digestOf(new byte[] {2});
      ledger.append(
          notes,
          0,
          List.of(
              NewChange.put(p("a.md"), a, 1),
              NewChange.put(p("dir/b.md"), b, 1),
              NewChange.put(p("gone.md"), a, 1)),
          "laptop",
          T0);
      ledger.append(
          notes,
          3,
          List.of(
              NewChange.move(p("dir/b.md"), p("dir/c.md"), b, 1),
              NewChange.delete(p("gone.md"), a, 1)),
          "laptop",
          T0);
      ledger.append(other, 0, List.of(NewChange.put(p("only-other.md"), b, 1)), "phone", T0);

      List<NotePath> asked =
          List.of(
              p("a.md"),
              p("dir/b.md"),
              p("dir/c.md"),
              p("gone.md"),
              p("never.md"),
              p("only-other.md"),
              p("dir"));
      Map<NotePath, RemoteEntry> oneByOne = new HashMap<>();
      for (NotePath path : asked) {
        ledger.head(notes, path).ifPresent(e -> oneByOne.put(path, e));
      }
      assertThat(oneByOne).containsOnlyKeys(p("a.md"), p("dir/c.md"));
      assertThat(ledger.heads(notes, asked)).isEqualTo(oneByOne);
      assertThat(ledger.heads(notes, List.of())).isEmpty();
    }
  }
}
