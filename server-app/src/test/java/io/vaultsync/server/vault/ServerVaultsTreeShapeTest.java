package io.vaultsync.server.vault;

import static io.vaultsync.server.TestDeltas.delta;
import static io.vaultsync.server.vault.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.store.Staged;
import io.vaultsync.server.store.StagingBatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 5: the server refuses, per item, a write that would make a tree no client can hold
 * (a file below a file, a file where a folder of files is, a client-internal name); a batch's other
 * files are applied and the ledger gets nothing for the refused ones. Trees stored before are found
 * and named.
 */
class ServerVaultsTreeShapeTest extends NotesVaultTest {
  @Test
  void aBatchWithFilesNoClientCanHoldAppliesTheOthersAndRecordsNothingForThem() throws IOException {
    commit("A", putNew("dir1", "a file"), putNew("notes/a.md", "a"), putNew("a.md", "neighbour"));
    long seq = f.vaults.changesSince("notes", 0, 100).headSeq();

    List<Outcome> outcomes =
        commit(
            "B",
            putNew("dir1/child.md", "below a file"),
            putNew("notes", "where a folder of files is"),
            putNew(".vaultsync/token", "a client's token"),
            putNew("sub/.vstmp-123-x.md", "a temporary file"),
            putNew("a", "a file named like the start of a.md"),
            putNew("ok.md", "fine"));

    assertThat(outcomes.subList(0, 4)).allMatch(o -> o instanceof Outcome.Refused);
    assertThat(((Outcome.Refused) outcomes.get(0)).reason())
        .isEqualTo(
            "\"dir1\" is a file on the server, and a file cannot also be a folder: rename"
                + " one of them");
    assertThat(((Outcome.Refused) outcomes.get(1)).reason())
        .startsWith("\"notes\" is a folder of other files on the server");
    assertThat(((Outcome.Refused) outcomes.get(2)).reason()).contains(".vaultsync");
    assertThat(((Outcome.Refused) outcomes.get(3)).reason()).contains(".vstmp-");
    assertThat(outcomes.subList(4, 6)).allMatch(o -> o instanceof Outcome.Applied);
    assertThat(headPaths()).containsExactly("a", "a.md", "dir1", "notes/a.md", "ok.md");
    assertThat(f.vaults.changesSince("notes", seq, 100).changes()).hasSize(2);
    assertThat(f.vaults.history().versions(NOTES, NotePath.of("dir1/child.md"), Long.MAX_VALUE, 10))
        .isEmpty();
  }

  /** A folder that the same batch empties may become a file; a file moved away frees its name. */
  @Test
  void theBatchSoFarCountsFileReplacedByFolderAndFolderByFile() throws IOException {
    commit("A", putNew("n", "n"), putNew("f/x.md", "x"), putNew("f/y.md", "y"));

    List<Outcome> outcomes =
        commit(
            "A",
            new Mutation.Move(NotePath.of("n"), NotePath.of("n/n.md"), hash("n")),
            new Mutation.Delete(NotePath.of("f/x.md"), hash("x")),
            putNew("f", "not yet: f/y.md is still there"),
            new Mutation.Delete(NotePath.of("f/y.md"), hash("y")),
            putNew("f", "now f is free"),
            putNew("n/n.md/deeper.md", "below the file just moved in"));

    assertThat(outcomes.get(0)).isInstanceOf(Outcome.Applied.class);
    assertThat(outcomes.get(1)).isInstanceOf(Outcome.Applied.class);
    assertThat(outcomes.get(2)).isInstanceOf(Outcome.Refused.class);
    assertThat(outcomes.get(3)).isInstanceOf(Outcome.Applied.class);
    assertThat(outcomes.get(4)).isInstanceOf(Outcome.Applied.class);
    assertThat(outcomes.get(5)).isInstanceOf(Outcome.Refused.class);
    assertThat(headPaths()).containsExactly("f", "n/n.md");
  }

  @Test
  void aPushBelowAFileIsRefusedBeforeItsContentIsStored() throws IOException {
    commit("A", putNew("dir1", "a file"));

    assertThatThrownBy(
            () ->
                f.vaults.push(
                    "notes",
                    NotePath.of("dir1/child.md"),
                    null,
                    new ByteArrayInputStream(delta(new byte[0], text("below"))),
                    "B"))
        .isInstanceOfSatisfying(
            PathRefusedException.class,
            e -> {
              assertThat(e.path()).isEqualTo("dir1/child.md");
              assertThat(e.getMessage()).contains("dir1/child.md", "\"dir1\" is a file");
            });
    assertThat(headPaths()).containsExactly("dir1");
    assertThat(f.store.has(ContentHash.digestOf(text("below")))).isFalse();
  }

  /** Many files below one folder: the ledger is asked one page at a time, batch deletes count. */
  @Test
  void aFolderOfManyFilesBecomesFreeOnlyWhenTheBatchRemovedThemAll() throws IOException {
    Mutation[] puts = new Mutation[150];
    Mutation[] deletes = new Mutation[150];
    for (int i = 0; i < puts.length; i++) {
      puts[i] = putNew("big/n" + i + ".md", "n" + i);
      deletes[i] = new Mutation.Delete(NotePath.of("big/n" + i + ".md"), hash("n" + i));
    }
    commit("A", puts);
    assertThat(commit("A", putNew("big", "file")).get(0)).isInstanceOf(Outcome.Refused.class);
    List<Mutation> all = new java.util.ArrayList<>(List.of(deletes).subList(0, 149));
    all.add(putNew("big", "file"));
    assertThat(
            f.vaults
                .commit("notes", all, "A", io.vaultsync.protocol.CommitOptions.ALLOW_MASS_DELETE)
                .get(149))
        .isInstanceOf(Outcome.Refused.class);
    all.add(deletes[149]);
    all.add(putNew("big", "file"));
    List<Outcome> last =
        f.vaults.commit("notes", all, "A", io.vaultsync.protocol.CommitOptions.ALLOW_MASS_DELETE);
    assertThat(last.get(last.size() - 1)).isInstanceOf(Outcome.Applied.class);
    assertThat(headPaths()).containsExactly("big");
  }

  /**
   * A tree stored before the server refused such trees (written straight into the ledger here) is
   * found and named: each path below a file and each internal name.
   */
  @Test
  void clashesStoredEarlierAreFoundInTheHead() throws IOException {
    storeAnyway("dir1", "a file");
    storeAnyway("dir1/child.md", "below it");
    storeAnyway(".vaultsync/token", "secret");

    List<TreeShape.Clash> clashes = new HeadShapes().check(NOTES, f.vaults.manifest("notes"));

    assertThat(clashes)
        .extracting(c -> c.path().value())
        .containsExactly(".vaultsync/token", "dir1/child.md");
  }

  /** Writes {@code path} into the ledger and store without the commit's checks. */
  private void storeAnyway(String path, String content) throws IOException {
    try (StagingBatch batch = f.store.newBatch()) {
      Staged s = batch.stage(out -> out.write(text(content)));
      f.vaults
          .recorder()
          .record(
              NOTES,
              batch,
              List.of(NewChange.put(NotePath.of(path), s.hash(), s.size())),
              "old",
              false);
    }
    f.vaults.awaitMirrored("notes");
  }

  private static ContentHash hash(String content) {
    return ContentHash.digestOf(text(content));
  }
}
