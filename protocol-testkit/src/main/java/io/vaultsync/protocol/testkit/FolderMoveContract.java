package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Folder moves ({@link Mutation.MoveFolder}): one mutation and, for a reader that asks, one change
 * whatever the folder holds; per-file moves for every other reader; all or nothing.
 */
public interface FolderMoveContract extends ProtocolFixture {
  /** The Merkle root of {@code entries} (in path order), as a client names a folder's content. */
  static MerkleRoot rootOf(List<RemoteEntry> entries) {
    MerkleTree tree = new MerkleTree();
    entries.forEach(e -> tree.add(e.path(), e.hash()));
    return tree.root();
  }

  /** Pushes {@code n} notes below {@code folder}, returning them in path order. */
  private List<RemoteEntry> folder(String folder, int n) throws IOException {
    List<RemoteEntry> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(push(folder + "/n" + i + ".md", "note " + i + " of " + folder + "\n"));
    }
    out.sort((a, b) -> a.path().compareTo(b.path()));
    return out;
  }

  private List<Outcome> moveFolder(String from, String to, List<RemoteEntry> files)
      throws IOException {
    return laptop()
        .commit(
            VAULT,
            List.of(new Mutation.MoveFolder(path(from), path(to), files.size(), rootOf(files))),
            LAPTOP);
  }

  @Test
  default void aFolderMoveIsOneChangeForAReaderOfFolderMovesAndMovesEveryFile() throws IOException {
    List<RemoteEntry> files = folder("Projects", 5);
    push("Other.md", "stays");
    List<Outcome> out = moveFolder("Projects", "Archive/Projects", files);

    assertThat(out).hasSize(1).first().isInstanceOf(Outcome.Applied.class);
    Change moved = ((Outcome.Applied) out.get(0)).change();
    assertThat(moved.op()).isEqualTo(Change.Op.MOVE_FOLDER);
    assertThat(moved.previousPath()).isEqualTo(path("Projects"));
    assertThat(moved.path()).isEqualTo(path("Archive/Projects"));
    assertThat(moved.size()).isEqualTo(5);
    assertThat(moved.seq()).isEqualTo(11);
    assertThat(moved.firstSeq()).isEqualTo(7);
    ChangePage page = phone().changesSince(VAULT, 6, 100, true);
    assertThat(page.changes()).containsExactly(moved);
    assertThat(page.headSeq()).isEqualTo(11);
    assertThat(phone().manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly(
            "Archive/Projects/n0.md",
            "Archive/Projects/n1.md",
            "Archive/Projects/n2.md",
            "Archive/Projects/n3.md",
            "Archive/Projects/n4.md",
            "Other.md");
  }

  @Test
  default void aReaderThatDidNotAskGetsTheFolderMoveAsPerFileMoves() throws IOException {
    List<RemoteEntry> files = folder("A", 3);
    moveFolder("A", "B", files);

    List<Change> perFile = phone().changesSince(VAULT, 3, 100).changes();
    assertThat(perFile)
        .extracting(Change::op, c -> c.previousPath().value(), c -> c.path().value(), Change::hash)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Change.Op.MOVE, "A/n0.md", "B/n0.md", files.get(0).hash()),
            org.assertj.core.groups.Tuple.tuple(
                Change.Op.MOVE, "A/n1.md", "B/n1.md", files.get(1).hash()),
            org.assertj.core.groups.Tuple.tuple(
                Change.Op.MOVE, "A/n2.md", "B/n2.md", files.get(2).hash()));
    assertThat(phone().changesSince(VAULT, 4, 100, true).changes())
        .as("a reader that saw part of the run gets the rest per file")
        .extracting(Change::seq)
        .containsExactly(5L, 6L);
  }

  @Test
  default void aStaleFolderMoveIsRefusedAndMovesNothing() throws IOException {
    List<RemoteEntry> files = folder("A", 3);
    push("A/late.md", "another device added this one");
    List<Outcome> out = moveFolder("A", "B", files);

    assertThat(out).hasSize(1).first().isInstanceOf(Outcome.Stale.class);
    assertThat(((Outcome.Stale) out.get(0)).path()).isEqualTo(path("A"));
    assertThat(phone().manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .allMatch(p -> p.startsWith("A/"));
    assertThat(phone().changesSince(VAULT, 0, 100).headSeq()).isEqualTo(4);
  }

  @Test
  default void aFolderMoveOntoAnOccupiedNameOrIntoItselfIsRefusedWhole() throws IOException {
    List<RemoteEntry> files = folder("A", 2);
    push("B/n1.md", "already here");
    List<Outcome> occupied = moveFolder("A", "B", files);
    List<Outcome> intoItself = moveFolder("A", "A/Sub", files);

    assertThat(occupied.get(0)).isInstanceOf(Outcome.Stale.class);
    assertThat(((Outcome.Stale) occupied.get(0)).path()).isEqualTo(path("B/n1.md"));
    assertThat(intoItself.get(0)).isInstanceOf(Outcome.Refused.class);
    assertThat(phone().manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("A/n0.md", "A/n1.md", "B/n1.md");
  }

  @Test
  default void aSubscriberOfFolderMovesGetsOneChangeAndOthersEachFile() throws IOException {
    List<RemoteEntry> files = folder("A", 4);
    ChangeRecorder folders = new ChangeRecorder(4);
    ChangeRecorder perFile = new ChangeRecorder(4);
    try (Subscription s1 = phone().subscribe(VAULT, 4, folders, true);
        Subscription s2 = phone().subscribe(VAULT, 4, perFile, false)) {
      moveFolder("A", "B", files);
      await().atMost(Duration.ofSeconds(30)).until(() -> folders.last() == 8);
      await().atMost(Duration.ofSeconds(30)).until(() -> perFile.last() == 8);
      assertThat(folders.error.get()).isNull();
      assertThat(perFile.error.get()).isNull();
      assertThat(folders.changes).extracting(Change::op).containsExactly(Change.Op.MOVE_FOLDER);
      assertThat(perFile.changes).extracting(Change::seq).containsExactly(5L, 6L, 7L, 8L);
    }
  }

  @Test
  default void theHistoryOfAFileFollowsItThroughAFolderMove() throws IOException {
    List<RemoteEntry> files = folder("A", 2);
    moveFolder("A", "B", files);

    List<Change> history = phone().history(VAULT, path("B/n1.md"), Long.MAX_VALUE, 10);
    assertThat(history).first().extracting(Change::op).isEqualTo(Change.Op.MOVE);
    assertThat(history.get(0).previousPath()).isEqualTo(path("A/n1.md"));
    assertThat(phone().history(VAULT, path("A/n1.md"), Long.MAX_VALUE, 10))
        .extracting(Change::op)
        .containsExactly(Change.Op.MOVE, Change.Op.PUT);
  }
}
