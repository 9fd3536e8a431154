package io.vaultsync.server.vault;

import static io.vaultsync.server.vault.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.server.ledger.Compaction;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Snapshots in SQLite and ledger compaction bounded by them, over the real server backend. */
class SnapshotsAndCompactionTest extends NotesVaultTest {
  /** Pushes {@code content} to {@code path} over what the head holds there, if anything. */
  private RemoteEntry put(String path, String content) throws IOException {
    NotePath p = NotePath.of(path);
    RemoteEntry current = f.vaults.ledger().head(NOTES, p).orElse(null);
    return push(p, current == null ? null : fetch(current.hash(), null), text(content));
  }

  @Test
  void snapshotCopiesTheHeadWithItsMerkleRootAndStaysAsTakenAfterLaterChanges() throws IOException {
    put("a.md", "a");
    put("b/c.md", "c");
    RemoteManifest atTwo = f.vaults.manifest("notes");
    SnapshotInfo snap = f.vaults.snapshot("notes", true);
    assertThat(snap.seq()).isEqualTo(2);
    assertThat(snap.files()).isEqualTo(2);
    assertThat(snap.asRoot()).isEqualTo(VaultRoot.of(atTwo));
    assertThat(f.vaults.root("notes")).isEqualTo(snap.asRoot());
    assertThat(f.vaults.snapshot("notes", true))
        .as("already at head: the same one")
        .isEqualTo(snap);

    put("a.md", "a2");
    assertThat(f.vaults.snapshotManifest("notes", 2)).isEqualTo(atTwo);
    assertThat(f.vaults.snapshot("notes", false)).isEqualTo(snap);
    assertThat(f.vaults.root("notes").root()).isNotEqualTo(snap.root());
    assertThatThrownBy(() -> f.vaults.snapshotManifest("notes", 3))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no snapshot at seq 3");
  }

  @Test
  void noSnapshotYetIsNotFoundAndCompactionThenDoesNothing() throws IOException {
    put("a.md", "a");
    assertThatThrownBy(() -> f.vaults.snapshot("notes", false))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("notes");
    Compaction c = f.vaults.compact(NOTES, null);
    assertThat(c.horizonAfter()).isZero();
    assertThat(c.oldestSnapshotSeq()).isEqualTo(-1);
    assertThat(f.vaults.changesSince("notes", 0, 10).changes()).hasSize(1);
  }

  @Test
  void compactionNeverPassesTheOldestKeptSnapshotKeepsHeadAndContent() throws IOException {
    RemoteEntry gone = put("gone.md", "deleted later");
    put("a.md", "a");
    put("b.md", "b");
    SnapshotInfo first = f.vaults.snapshot("notes", true); // seq 3
    f.vaults.delete("notes", gone.path(), gone.hash(), "laptop"); // 4
    put("a.md", "a2"); // 5
    f.vaults.snapshot("notes", true); // seq 5
    put("c.md", "c"); // 6
    f.vaults.awaitMirrored("notes");
    RemoteManifest head = f.vaults.manifest("notes");

    Compaction c = f.vaults.compact(NOTES, null);

    assertThat(c.oldestSnapshotSeq()).isEqualTo(first.seq());
    assertThat(c.horizonAfter()).isEqualTo(3);
    assertThat(c.rowsDeleted()).isEqualTo(3);
    assertThat(f.vaults.manifest("notes")).isEqualTo(head);
    ChangePage behind = f.vaults.changesSince("notes", 2, 100);
    assertThat(behind.changes()).isEmpty();
    assertThat(behind.compactedAfter(2)).isTrue();
    assertThat(behind.horizonSeq()).isEqualTo(3);
    assertThat(f.vaults.changesSince("notes", 3, 100).changes())
        .extracting(ch -> ch.seq())
        .containsExactly(4L, 5L, 6L);
    for (RemoteEntry e : head.entries()) {
      assertThat(fetch(e.hash(), null)).as("head content %s", e.path()).isNotNull();
    }
    for (RemoteEntry e : f.vaults.snapshotManifest("notes", 3).entries()) {
      assertThat(fetch(e.hash(), null)).as("snapshot content %s", e.path()).isNotNull();
    }
    assertThat(new String(fetch(gone.hash(), null), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("deleted later");
    assertThat(f.vaults.listVaults().get(0).lastChange()).isNotNull();

    assertThat(f.snapshots.prune(NOTES, 1)).isEqualTo(1);
    Compaction again = f.vaults.compact(NOTES, null);
    assertThat(again.horizonAfter()).isEqualTo(5);
    assertThat(again.oldestSnapshotSeq()).isEqualTo(5);
  }

  @Test
  void compactionKeepsRowsYoungerThanTheAgeLimitAndChangesNotYetMirrored() throws IOException {
    put("a.md", "a");
    put("b.md", "b");
    put("c.md", "c");
    f.vaults.snapshot("notes", true);
    f.vaults.awaitMirrored("notes");

    assertThat(f.vaults.compact(NOTES, Instant.EPOCH).horizonAfter())
        .as("every row is younger than the epoch cut-off")
        .isZero();

    f.vaults.ledger().setMirroredSeq(NOTES, 2);
    assertThat(f.vaults.compact(NOTES, Instant.now().plusSeconds(60)).horizonAfter())
        .as("capped at the mirrored seq")
        .isEqualTo(2);
    f.vaults.ledger().setMirroredSeq(NOTES, 3);
    assertThat(f.vaults.compact(NOTES, Instant.now().plusSeconds(60)).horizonAfter()).isEqualTo(3);
    assertThat(f.snapshots.horizon(NOTES)).isEqualTo(3);
  }

  @Test
  void pruneKeepsTheNewestAndRefusesKeepingNone() throws IOException {
    for (int i = 0; i < 4; i++) {
      put("n" + i + ".md", "x" + i);
      f.vaults.snapshot("notes", true);
    }
    assertThat(f.snapshots.prune(NOTES, 2)).isEqualTo(2);
    assertThat(f.snapshots.list(NOTES)).extracting(SnapshotInfo::seq).containsExactly(3L, 4L);
    assertThatThrownBy(() -> f.snapshots.entries(NOTES, 1)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> f.snapshots.prune(NOTES, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keeping 0 snapshots");
  }

  @Test
  void snapshotsOfAnUnknownVaultAreNotFound() {
    assertThatThrownBy(() -> f.vaults.snapshot("nope", true))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> f.snapshots.compact(VaultName.of("nope"), null))
        .isInstanceOf(NotFoundException.class);
  }
}
