package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder renames between replicas (issue 16): one {@code MoveFolder} up and one change down when
 * the rename is whole, per-file moves when it is partial, and never a lost note.
 */
class FolderMoveSyncTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  private Replica[] pairWithFolder(int notes) throws IOException {
    return Replica.pair(
        tmp,
        server,
        a -> {
          for (int i = 0; i < notes; i++) {
            a.write("Old/Sub " + (i % 3) + "/n" + i + ".md", "note " + i + "\n");
          }
          a.write("Inbox.md", "stays\n");
        });
  }

  private List<Change> folderFeed(long after) throws IOException {
    return server.changesSince(Replica.VAULT, after, 1000, true).changes();
  }

  @Test
  void aWholeFolderRenameIsOneFolderMoveOnTheFeedAndTheOtherReplicaFollows() throws IOException {
    Replica[] r = pairWithFolder(30);
    long before = server.changesSince(Replica.VAULT, 0, 1).headSeq();
    Files.move(r[0].dir.resolve("Old"), r[0].dir.resolve("New"));
    long commits = r[0].wire.commitCalls();

    SyncReport up = r[0].sync();
    SyncReport down = r[1].sync();

    assertThat(folderFeed(before)).extracting(Change::op).containsExactly(Change.Op.MOVE_FOLDER);
    assertThat(r[0].wire.commitCalls()).as("one commit call").isEqualTo(commits + 1);
    assertThat(up.notSynced()).isEmpty();
    assertThat(down.notSynced()).isEmpty();
    assertThat(r[1].files()).isEqualTo(r[0].files());
    assertThat(r[1].dir.resolve("Old")).doesNotExist();
    assertThat(r[1].read("New/Sub 1/n4.md")).isEqualTo("note 4\n");
    assertThat(r[1].sync().notSynced()).as("nothing left over").isEmpty();
    assertThat(r[0].files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void aRenameWithOneNoteEditedAndOneDeletedConvergesWithEveryNote() throws IOException {
    Replica[] r = pairWithFolder(12);
    Files.move(r[0].dir.resolve("Old"), r[0].dir.resolve("New"));
    r[0].write("New/Sub 0/n0.md", "note 0 edited while moving\n");
    r[0].delete("New/Sub 1/n1.md");

    r[0].sync();
    r[1].sync();

    assertThat(r[1].files()).isEqualTo(r[0].files());
    assertThat(r[0].files()).isEqualTo(Replica.serverFiles(server));
    assertThat(r[1].read("New/Sub 0/n0.md")).isEqualTo("note 0 edited while moving\n");
    assertThat(r[1].files()).doesNotContainKey("New/Sub 1/n1.md").hasSize(12);
  }

  @Test
  void aNoteEditedOnTheOtherReplicaDuringTheRenameIsKept() throws IOException {
    Replica[] r = pairWithFolder(10);
    Files.move(r[0].dir.resolve("Old"), r[0].dir.resolve("New"));
    r[1].write("Old/Sub 2/n2.md", "note 2 edited on the phone\n");

    r[0].sync();
    r[1].sync();
    r[0].sync();

    assertThat(r[1].files()).isEqualTo(r[0].files());
    assertThat(r[0].files()).isEqualTo(Replica.serverFiles(server));
    assertThat(r[0].files().keySet()).noneMatch(p -> p.startsWith("Old/") && !p.contains("n2"));
    assertThat(
            r[0].files().keySet().stream()
                .filter(p -> p.endsWith("n2.md") || p.contains("n2 ("))
                .map(
                    p -> {
                      try {
                        return r[0].read(p);
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }))
        .contains("note 2 edited on the phone\n");
  }
}
