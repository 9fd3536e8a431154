package io.vaultsync.server.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.db.SqliteDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlVersionHistoryTest {
  static final VaultName NOTES = VaultName.of("notes");
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path dir;
  SqliteDatabase db;
  SqlLedgerStore ledger;
  VersionHistory history;

  @BeforeEach
  void open() throws IOException {
    db = SqliteDatabase.open(dir.resolve("vaultsync.db"));
    ledger = new SqlLedgerStore(db);
    history = ledger.history();
    ledger.createVault(NOTES, T0);
  }

  @AfterEach
  void close() throws IOException {
    db.close();
  }

  static NotePath p(String s) {
    return NotePath.of(s);
  }

  static ContentHash h(String content) {
    return ContentHash.digestOf(content.getBytes(StandardCharsets.UTF_8));
  }

  private List<Change> append(int minute, NewChange... changes) throws IOException {
    return ledger.append(
        NOTES, ledger.headSeq(NOTES), List.of(changes), "laptop", T0.plusSeconds(60L * minute));
  }

  @Test
  void fileIdsSurviveEditsAndMovesAndEndWithDelete() throws IOException {
    append(1, NewChange.put(p("a.md"), h("1"), 1)); // 1: create a
    append(2, NewChange.put(p("a.md"), h("2"), 1)); // 2: edit a
    append(3, NewChange.move(p("a.md"), p("b.md"), h("2"), 1)); // 3: a -> b
    append(4, NewChange.delete(p("b.md"), h("2"), 1)); // 4: delete b
    append(5, NewChange.put(p("b.md"), h("3"), 1)); // 5: a new file at b

    assertThat(history.fileIdAt(NOTES, p("a.md"), 0)).isEmpty();
    assertThat(history.fileIdAt(NOTES, p("a.md"), 1)).hasValue(1);
    assertThat(history.fileIdAt(NOTES, p("a.md"), 2)).hasValue(1);
    assertThat(history.fileIdAt(NOTES, p("a.md"), 3)).isEmpty();
    assertThat(history.fileIdAt(NOTES, p("b.md"), 2)).isEmpty();
    assertThat(history.fileIdAt(NOTES, p("b.md"), 3)).hasValue(1);
    assertThat(history.fileIdAt(NOTES, p("b.md"), 4)).isEmpty();
    assertThat(history.fileIdAt(NOTES, p("b.md"), 5)).hasValue(5);
    assertThat(history.fileIdAt(NOTES, p("b.md"), 99)).hasValue(5);

    List<FileVersion> all = history.versions(NOTES, null, Long.MAX_VALUE, 100);
    assertThat(all).extracting(FileVersion::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(all).extracting(FileVersion::fileId).containsExactly(5L, 1L, 1L, 1L, 1L);
    assertThat(all.get(2).previousPath()).isEqualTo(p("a.md"));
    assertThat(all.get(1).op()).isEqualTo(Change.Op.DELETE);
    assertThat(all.get(1).hash()).isEqualTo(h("2")); // what the delete removed
    assertThat(all.get(0).device()).isEqualTo("laptop");
    assertThat(all.get(0).time()).isEqualTo(T0.plusSeconds(300));
  }

  @Test
  void versionsOfAPathIncludeMovesAwayAndDeletesNewestFirstAndPage() throws IOException {
    append(1, NewChange.put(p("a.md"), h("1"), 1));
    append(2, NewChange.put(p("other.md"), h("x"), 1));
    append(3, NewChange.put(p("a.md"), h("2"), 1));
    append(4, NewChange.move(p("a.md"), p("b.md"), h("2"), 1));
    append(5, NewChange.put(p("a.md"), h("3"), 1));
    append(6, NewChange.delete(p("a.md"), h("3"), 1));

    assertThat(history.versions(NOTES, p("a.md"), Long.MAX_VALUE, 100))
        .extracting(FileVersion::seq)
        .containsExactly(6L, 5L, 4L, 3L, 1L);
    assertThat(history.versions(NOTES, p("b.md"), Long.MAX_VALUE, 100))
        .extracting(FileVersion::seq)
        .containsExactly(4L);
    assertThat(history.versions(NOTES, p("a.md"), 5, 2))
        .extracting(FileVersion::seq)
        .containsExactly(4L, 3L);
    assertThat(history.versions(NOTES, null, 3, 10))
        .extracting(FileVersion::seq)
        .containsExactly(2L, 1L);
    assertThat(history.versions(NOTES, p("missing.md"), Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void manifestAtTheHeadEqualsTheLedgersHeadAndOldSeqsShowOldFiles() throws IOException {
    append(1, NewChange.put(p("a.md"), h("1"), 1), NewChange.put(p("b.md"), h("b"), 1));
    append(2, NewChange.move(p("a.md"), p("c.md"), h("1"), 1));

    assertThat(history.manifestAt(NOTES, 0)).isEqualTo(new RemoteManifest(0, List.of()));
    assertThat(history.manifestAt(NOTES, 1).entries())
        .containsExactly(new RemoteEntry(p("a.md"), h("1"), 1, 1));
    assertThat(history.manifestAt(NOTES, 2).entries())
        .containsExactly(
            new RemoteEntry(p("a.md"), h("1"), 1, 1), new RemoteEntry(p("b.md"), h("b"), 1, 2));
    assertThat(history.manifestAt(NOTES, 3).entries())
        .containsExactly(
            new RemoteEntry(p("b.md"), h("b"), 1, 2), new RemoteEntry(p("c.md"), h("1"), 1, 3));
    assertThat(history.manifestAt(NOTES, 3)).isEqualTo(ledger.manifest(NOTES));
    assertThat(history.manifestAt(NOTES, 1000)).isEqualTo(ledger.manifest(NOTES));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 42, 2026})
  void manifestAtEverySeqEqualsAFoldOfTheLedger(long seed) throws IOException {
    Random random = new Random(seed);
    List<TreeMap<NotePath, RemoteEntry>> expected = new ArrayList<>();
    TreeMap<NotePath, RemoteEntry> state = new TreeMap<>();
    expected.add(new TreeMap<>(state));
    for (int batch = 0; batch < 40; batch++) {
      List<NewChange> changes = new ArrayList<>();
      TreeMap<NotePath, RemoteEntry> pending = new TreeMap<>(state);
      for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
        NotePath path = p("f" + random.nextInt(12) + ".md");
        RemoteEntry at = pending.get(path);
        int kind = random.nextInt(4);
        if (at == null || kind == 0) {
          String content = "v" + random.nextInt(1000);
          changes.add(NewChange.put(path, h(content), content.length()));
          pending.put(path, new RemoteEntry(path, h(content), content.length(), Long.MAX_VALUE));
        } else if (kind == 1) {
          changes.add(NewChange.delete(path, at.hash(), at.size()));
          pending.remove(path);
        } else {
          NotePath to = p("g" + random.nextInt(12) + ".md");
          if (pending.containsKey(to)) {
            continue;
          }
          changes.add(NewChange.move(path, to, at.hash(), at.size()));
          pending.remove(path);
          pending.put(to, new RemoteEntry(to, at.hash(), at.size(), Long.MAX_VALUE));
        }
      }
      if (changes.isEmpty()) {
        continue;
      }
      for (Change c : append(batch, changes.toArray(NewChange[]::new))) {
        if (c.op() == Change.Op.DELETE) {
          state.remove(c.path());
        } else {
          if (c.op() == Change.Op.MOVE) {
            state.remove(c.previousPath());
          }
          state.put(c.path(), new RemoteEntry(c.path(), c.hash(), c.size(), c.seq()));
        }
        expected.add(new TreeMap<>(state));
      }
    }
    for (int seq = 0; seq < expected.size(); seq++) {
      assertThat(history.manifestAt(NOTES, seq).entries())
          .as("seed %d, seq %d", seed, seq)
          .containsExactlyElementsOf(expected.get(seq).values());
    }
    assertThat(history.manifestAt(NOTES, expected.size() - 1)).isEqualTo(ledger.manifest(NOTES));
  }

  @Test
  void seqAtIsTheLastSeqAtOrBeforeTheTime() throws IOException {
    append(10, NewChange.put(p("a.md"), h("1"), 1), NewChange.put(p("b.md"), h("2"), 1));
    append(20, NewChange.put(p("a.md"), h("3"), 1));

    assertThat(history.seqAt(NOTES, T0)).isZero();
    assertThat(history.seqAt(NOTES, T0.plusSeconds(600))).isEqualTo(2);
    assertThat(history.seqAt(NOTES, T0.plusSeconds(1199))).isEqualTo(2);
    assertThat(history.seqAt(NOTES, T0.plusSeconds(1200))).isEqualTo(3);
    assertThat(history.seqAt(NOTES, Instant.MAX)).isEqualTo(3);
    assertThat(history.seqAt(NOTES, Instant.MIN)).isZero();
  }

  @Test
  void badArgumentsAndUnknownVaultsAreRefused() {
    assertThatThrownBy(() -> history.versions(NOTES, null, 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("seq 0");
    assertThatThrownBy(() -> history.versions(NOTES, null, 10, VersionHistory.MAX_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> history.manifestAt(NOTES, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> history.manifestAt(VaultName.of("nope"), 1))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
  }

  @Test
  void versionsAreKeptWhenTheLedgerIsCompacted() throws IOException {
    append(1, NewChange.put(p("a.md"), h("1"), 1));
    append(2, NewChange.put(p("a.md"), h("2"), 1));
    io.vaultsync.server.ledger.SqlSnapshotStore snapshots =
        new io.vaultsync.server.ledger.SqlSnapshotStore(db);
    snapshots.take(NOTES, T0);
    ledger.setMirroredSeq(NOTES, 2);
    assertThat(snapshots.compact(NOTES, null).rowsDeleted()).isEqualTo(2);

    assertThat(history.versions(NOTES, p("a.md"), Long.MAX_VALUE, 10)).hasSize(2);
    assertThat(history.manifestAt(NOTES, 1).entries())
        .containsExactly(new RemoteEntry(p("a.md"), h("1"), 1, 1));
    assertThat(history.seqAt(NOTES, T0.plusSeconds(60))).isEqualTo(1);
  }

  @Test
  void aSeqBelowTheHistoryFloorIsNotFound() throws Exception {
    append(1, NewChange.put(p("a.md"), h("1"), 1));
    append(2, NewChange.put(p("a.md"), h("2"), 1));
    db.transaction(
        c -> {
          try (var s = c.createStatement()) {
            s.execute("UPDATE vaults SET history_floor = 2");
          }
          return null;
        });
    assertThatThrownBy(() -> history.manifestAt(NOTES, 1))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("history before seq 2 was thinned");
    assertThatThrownBy(() -> history.fileIdAt(NOTES, p("a.md"), 1))
        .isInstanceOf(NotFoundException.class);
    assertThat(history.manifestAt(NOTES, 2).entries()).hasSize(1);
    assertThat(history.fileIdAt(NOTES, p("a.md"), 2)).isEqualTo(OptionalLong.of(1));
  }
}
