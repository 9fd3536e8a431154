package io.vaultsync.server.vault;

import static io.vaultsync.server.vault.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reconcile step, run directly (deterministic; the watcher only triggers it). */
class ReconcilerTest extends NotesVaultTest {
  /**
   * Editors' temp and swap files, a stray .vaultsync folder and paths the vault's .vaultsyncignore
   * names are never recorded from the server's disk; a head file at a path that became ignored is
   * not recorded as deleted either.
   */
  @Test
  void ignoredFilesOnTheServersDiskAreNeverRecorded() throws IOException {
    pushNew("drafts/old.md", text("uploaded before the rule\n"));
    pushNew(".vaultsyncignore", text("drafts/\n"));
    f.vaults.awaitMirrored("notes");
    Files.delete(f.file("notes", "drafts/old.md"));
    Files.writeString(f.file("notes", ".note.md.swp"), "vim swap");
    Files.writeString(f.file("notes", "note.md~"), "backup");
    Files.createDirectories(f.file("notes", "sub/.vaultsync"));
    Files.writeString(f.file("notes", "sub/.vaultsync/token"), "secret");
    Files.writeString(f.file("notes", "drafts/new.md"), "private");
    Files.writeString(f.file("notes", "real.md"), "a note\n");

    List<Change> recorded = f.reconciler.reconcile(NOTES);

    assertThat(recorded).extracting(c -> c.path().value()).containsExactly("real.md");
    assertThat(f.vaults.manifest("notes").entries())
        .extracting(e -> e.path().value())
        .containsExactlyInAnyOrder(".vaultsyncignore", "drafts/old.md", "real.md");
  }

  @Test
  void fileWrittenByAnotherProgramBecomesAPutByServerDisk() throws IOException {
    Files.writeString(f.file("notes", "new.md"), "written on the server\n");

    List<Change> recorded = f.reconciler.reconcile(NOTES);

    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).op()).isEqualTo(Change.Op.PUT);
    assertThat(recorded.get(0).device()).isEqualTo(TokenStore.SERVER_DEVICE);
    assertThat(recorded.get(0).hash())
        .isEqualTo(ContentHash.digestOf(text("written on the server\n")));
    assertThat(f.store.has(recorded.get(0).hash())).isTrue();
  }

  @Test
  void editAndDeleteOnDiskBecomePutAndDelete() throws IOException {
    pushNew("a.md", text("a1\n"));
    pushNew("b.md", text("b1\n"));
    Files.writeString(f.file("notes", "a.md"), "a2\n");
    Files.delete(f.file("notes", "b.md"));

    List<Change> recorded = f.reconciler.reconcile(NOTES);

    assertThat(recorded)
        .extracting(Change::op, c -> c.path().value())
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(Change.Op.PUT, "a.md"),
            org.assertj.core.groups.Tuple.tuple(Change.Op.DELETE, "b.md"));
  }

  @Test
  void renameOnDiskBecomesAMove() throws IOException {
    pushNew("a.md", text("content that moves\n"));
    pushNew("keep.md", text("stays\n"));
    Files.move(f.file("notes", "a.md"), f.file("notes", "b.md"));

    List<Change> recorded = f.reconciler.reconcile(NOTES);

    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).op()).isEqualTo(Change.Op.MOVE);
    assertThat(recorded.get(0).previousPath()).isEqualTo(NotePath.of("a.md"));
  }

  @Test
  void serversOwnWritesAreNotRecordedAgain() throws IOException {
    pushNew("a.md", text("a\n"));
    pushNew("sub/b.md", text("b\n"));

    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(f.vaults.changesSince("notes", 0, 10).headSeq()).isEqualTo(2);
  }

  @Test
  void emptiedVaultFolderIsRestoredNotReadAsDeleteAll() throws IOException {
    pushNew("a.md", text("a\n"));
    pushNew("sub/b.md", text("b\n"));
    Files.delete(f.file("notes", "sub/b.md"));
    Files.delete(f.file("notes", "sub"));
    Files.delete(f.file("notes", "a.md"));

    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(f.vaults.manifest("notes").entries()).hasSize(2);
    assertThat(Files.readString(f.file("notes", "sub/b.md"))).isEqualTo("b\n");
  }

  @Test
  void missingVaultFolderIsRestored() throws IOException {
    pushNew("a.md", text("a\n"));
    Files.delete(f.file("notes", "a.md"));
    Files.delete(dir.resolve("vaults/notes"));

    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(Files.readString(f.file("notes", "a.md"))).isEqualTo("a\n");
  }

  @Test
  void changesNotYetMirroredAreRestoredFromHeadOnStart() throws IOException {
    pushNew("a.md", text("old\n"));
    f.vaults.ledger().setMirroredSeq(NOTES, 1);
    pushNew("b.md", text("new file\n"));
    // simulate a crash after the ledger commit but before the master write of seq 2
    Files.delete(f.file("notes", "b.md"));
    f.vaults.ledger().setMirroredSeq(NOTES, 1);

    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(Files.readString(f.file("notes", "b.md"))).isEqualTo("new file\n");
    assertThat(f.vaults.manifest("notes").entries()).hasSize(2);
  }

  @Test
  void editOnDiskNotYetRecordedIsKeptWhenAClientOverwritesThePath() throws IOException {
    pushNew("a.md", text("v1\n"));
    Files.writeString(f.file("notes", "a.md"), "edited on the server\n");
    push(NotePath.of("a.md"), text("v1\n"), text("v2 from laptop\n"));

    List<Change> recorded = f.reconciler.reconcile(NOTES);

    assertThat(Files.readString(f.file("notes", "a.md"))).isEqualTo("v2 from laptop\n");
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).path().value()).startsWith("a (server-disk conflict");
    assertThat(recorded.get(0).hash())
        .isEqualTo(ContentHash.digestOf(text("edited on the server\n")));
  }

  @Test
  void folderUnderVaultsRootIsAdoptedAsAVault() throws IOException {
    Files.createDirectories(dir.resolve("vaults/imported/sub"));
    Files.writeString(dir.resolve("vaults/imported/sub/x.md"), "x\n");
    Files.createDirectories(dir.resolve("vaults/bad name!"));

    assertThat(f.reconciler.adoptFolders(dir.resolve("vaults")))
        .containsExactly(VaultName.of("imported"));
    f.reconciler.reconcileAll();
    assertThat(f.vaults.manifest("imported").entries())
        .extracting(r -> r.path().value())
        .containsExactly("sub/x.md");
  }

  @Test
  void fileBehindASymlinkedFolderIsNeitherWrittenThroughNorDeleted() throws IOException {
    pushNew("sub/a.md", text("a\n"));
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.delete(f.file("notes", "sub/a.md"));
    Files.delete(f.file("notes", "sub"));
    Files.writeString(f.file("notes", "other.md"), "keeps the folder non-empty\n");
    Files.createSymbolicLink(f.file("notes", "sub"), outside);

    List<Change> recorded = f.reconciler.reconcile(NOTES);
    pushNew("sub/c.md", text("c\n"));

    assertThat(recorded).extracting(Change::op).containsExactly(Change.Op.PUT);
    assertThat(f.vaults.manifest("notes").entries())
        .extracting(r -> r.path().value())
        .contains("sub/a.md", "sub/c.md");
    try (var s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
  }

  private static final String NFD = "Cafe\u0301.md";
  private static final String NFC = "Caf\u00e9.md";

  /** Whether the master folder's file system keeps both Unicode forms as two names (Linux). */
  private boolean twoForms() throws IOException {
    Path probe = f.file("notes", "probe-e\u0301");
    Files.writeString(probe, "x");
    boolean distinct = !Files.exists(f.file("notes", "probe-\u00e9"));
    Files.delete(probe);
    return distinct;
  }

  /**
   * Issue 12: a note created on the server's disk with a decomposed (NFD) name is recorded under
   * its NFC note path, and a later edit from a client is written into that same file: no second
   * file in NFC, no delete.
   */
  @Test
  void nfdFileOnTheServersDiskIsRecordedInNfcAndLaterWritesKeepItsName() throws IOException {
    pushNew("keep.md", text("keeps the folder non-empty\n"));
    Files.writeString(f.file("notes", NFD), "written on a Mac\n");

    List<Change> recorded = f.reconciler.reconcile(NOTES);

    assertThat(recorded).extracting(c -> c.path().value()).containsExactly(NFC);
    RemoteEntry e = f.vaults.manifest("notes").entries().get(0);
    assertThat(e.path().value()).isEqualTo(NFC);
    push(e.path(), text("written on a Mac\n"), text("edited by a client\n"));
    f.vaults.awaitMirrored("notes");

    assertThat(Files.readString(f.file("notes", NFD))).isEqualTo("edited by a client\n");
    try (var s = Files.list(dir.resolve("vaults/notes"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(NFD, "keep.md");
    }
    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(f.vaults.manifest("notes").entries())
        .extracting(r -> r.path().value())
        .containsExactly(NFC, "keep.md");
  }

  /**
   * Issue 12: two names on the server's disk that normalize to one note path are a clash: neither
   * is recorded, and the note already in the head is not deleted.
   */
  @Test
  void nfcAndNfdTwinsOnTheServersDiskAreNeitherRecordedNorDeleted() throws IOException {
    pushNew(NFC, text("composed\n"));
    pushNew("keep.md", text("keep\n"));
    f.vaults.awaitMirrored("notes");
    org.junit.jupiter.api.Assumptions.assumeTrue(twoForms(), "one name for both forms here");
    Files.writeString(f.file("notes", NFD), "decomposed twin\n");
    Files.writeString(f.file("notes", NFC), "composed, edited\n");

    List<Change> recorded = f.reconciler.reconcile(NOTES);

    assertThat(recorded).isEmpty();
    assertThat(f.vaults.manifest("notes").entries())
        .extracting(r -> r.path().value())
        .containsExactly(NFC, "keep.md");
  }
}
