package io.vaultsync.server.vault;

import static io.vaultsync.server.TestDeltas.patch;
import static io.vaultsync.server.vault.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterWatcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, item 1: "a full disk became a delete on every device". The master folder's disk runs
 * out of space ({@link FullDisk}) while the commits themselves succeed; a write the server failed
 * to make into its own master folder must never reach the ledger as an edit made there (a DELETE, a
 * PUT of the old content, a MOVE back), and must be written once there is room: by a retry while
 * the server runs, or at the next start.
 */
class DiskFullMirrorTest extends NotesVaultTest {
  private static final long SEED = 12L;

  /** Fits a few thousand bytes of notes; a 4 KiB attachment or a new folder does not fit. */
  private static final long LITTLE_ROOM = 2000;

  private final FullDisk disk = new FullDisk(Long.MAX_VALUE);
  private final Random random = new Random(SEED);

  /** What the client uploaded: the content every replica must end with. */
  private final Map<NotePath, byte[]> uploaded = new TreeMap<>();

  @BeforeEach
  void useTheFakeDisk() {
    System.out.println("seed " + SEED);
    f.vaults.setMasterDisk(disk);
  }

  /**
   * The scenario: 100 files in four commits, the first and third carrying attachments that
   * do not fit, the second and fourth notes that do. Every commit is acknowledged; after a restart
   * with room again the ledger holds no edit by the server's disk, the master folder every file,
   * and a fresh clone every file.
   */
  @Test
  void filesTheMirrorCouldNotWriteAreNotRecordedAsDeletesAndAreWrittenAtTheNextStart()
      throws IOException {
    disk.setFree(LITTLE_ROOM);

    List<NotePath> attachments = commitHundredFiles();
    f.vaults.awaitMirrored("notes");
    assertThat(attachments).hasSize(20);
    for (NotePath p : attachments) {
      assertThat(p.toFile(folder())).as("%s was not written (no room)", p).doesNotExist();
    }
    f.close();
    f = null;

    try (ServerData restarted = ServerData.open(dir, Clock.systemUTC())) {
      ServerVaults vaults = restarted.vaults();
      assertThat(changesBy(vaults, TokenStore.SERVER_DEVICE)).isEmpty();
      assertThat(vaults.manifest("notes").headSeq()).isEqualTo(100);
      assertFolderHoldsHead(vaults);
      assertThat(restarted.ledger().mirroredSeq(NOTES)).isEqualTo(100);
      assertThat(restarted.ledger().mirrorPending(NOTES)).isEmpty();
      assertCloneHasEveryFile(vaults);
    }
  }

  /**
   * The same while the server keeps running: the watcher (and a reconcile run directly) sees the
   * folder without the attachments and records nothing for them, only a real edit made beside them;
   * once there is room, the mirror's retry writes them.
   */
  @Test
  void
      whileTheServerRunsReconcilesRecordNothingForUnwrittenFilesAndARetryWritesThemWhenThereIsRoom()
          throws IOException {
    f.vaults.setMirrorRetry(Duration.ofMillis(100), Duration.ofMillis(400));
    disk.setFree(LITTLE_ROOM);
    List<NotePath> attachments = commitHundredFiles();
    f.vaults.awaitMirrored("notes");

    try (MasterWatcher watcher =
        new MasterWatcher(
            dir.resolve("vaults"),
            new MasterWatcher.Target() {
              @Override
              public void reconcile(String folderName) throws IOException {
                f.reconciler.reconcile(VaultName.of(folderName));
              }

              @Override
              public void reconcileAll() throws IOException {
                f.reconciler.reconcileAll();
              }
            },
            Duration.ofMillis(50),
            f.vaults.ownWrites())) {
      watcher.start();
      Files.writeString(folder().resolve("typed on the server.md"), "a real edit\n");
      uploaded.put(NotePath.of("typed on the server.md"), text("a real edit\n"));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !changesBy(f.vaults, TokenStore.SERVER_DEVICE).isEmpty());
      assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
      assertThat(changesBy(f.vaults, TokenStore.SERVER_DEVICE))
          .extracting(c -> c.op() + " " + c.path())
          .containsExactly("PUT typed on the server.md");
      assertThat(f.vaults.ledger().mirrorPending(NOTES)).containsOnlyKeys(attachments);

      disk.setFree(Long.MAX_VALUE);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> f.vaults.ledger().mirrorPending(NOTES).isEmpty());
      f.vaults.awaitMirrored("notes");
      assertFolderHoldsHead(f.vaults);
      assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
      assertThat(changesBy(f.vaults, TokenStore.SERVER_DEVICE)).hasSize(1);
      assertThat(f.vaults.ledger().mirroredSeq(NOTES)).isEqualTo(101);
      assertCloneHasEveryFile(f.vaults);
    }
  }

  /**
   * A batch whose writes all succeed does not move the mirrored seq past an earlier batch whose
   * writes failed unless those paths are remembered as pending: every change at or below the
   * mirrored seq is in the folder or pending, and the next reconcile finishes them.
   */
  @Test
  void aBatchThatMirrorsCleanlyDoesNotCarryTheMirroredSeqPastAnEarlierBatchThatFailed()
      throws IOException {
    disk.setFree(0);
    commit(notes("first-", 5));
    f.vaults.awaitMirrored("notes");
    disk.setFree(Long.MAX_VALUE);
    commit(notes("second-", 5));
    f.vaults.awaitMirrored("notes");

    LedgerStore ledger = f.vaults.ledger();
    assertEveryChangeUpToTheMirroredSeqIsInTheFolderOrPending(f.vaults);
    for (int i = 0; i < 5; i++) {
      NotePath p = NotePath.of("first-" + i + ".md");
      assertThat(p.toFile(folder())).doesNotExist();
      assertThat(ledger.mirroredSeq(NOTES) < 1 || ledger.mirrorPending(NOTES).containsKey(p))
          .as("%s is below the mirrored seq %s only if pending", p, ledger.mirroredSeq(NOTES))
          .isTrue();
    }

    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertFolderHoldsHead(f.vaults);
    assertThat(ledger.mirrorPending(NOTES)).isEmpty();
    assertThat(ledger.mirroredSeq(NOTES)).isEqualTo(10);
  }

  /**
   * A new version that could not be written leaves the old one in the folder; that old content is
   * not an edit on the server's disk (recording it would revert every client).
   */
  @Test
  void aNewVersionThatCouldNotBeWrittenIsNotReadAsAnEditRevertingIt() throws IOException {
    RemoteEntry v1 = push("report.md", null, text("version 1\n"));
    f.vaults.awaitMirrored("notes");
    disk.setFree(LITTLE_ROOM);
    byte[] v2 = attachment();
    push("report.md", text("version 1\n"), v2);
    push("small.md", null, text("fits\n"));
    f.vaults.awaitMirrored("notes");
    assertThat(Files.readString(folder().resolve("report.md"))).isEqualTo("version 1\n");

    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(f.vaults.ledger().head(NOTES, NotePath.of("report.md")).orElseThrow().hash())
        .isEqualTo(ContentHash.digestOf(v2))
        .isNotEqualTo(v1.hash());

    disk.setFree(Long.MAX_VALUE);
    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(Files.readAllBytes(folder().resolve("report.md"))).isEqualTo(v2);
    assertThat(changesBy(f.vaults, TokenStore.SERVER_DEVICE)).isEmpty();
  }

  /** A move that could not be made (no room for the new folder) is not recorded as a move back. */
  @Test
  void aMoveThatCouldNotBeWrittenIsNotReadAsAMoveBack() throws IOException {
    RemoteEntry note = push("idea.md", null, text("an idea\n"));
    f.vaults.awaitMirrored("notes");
    disk.setFree(LITTLE_ROOM);
    List<Outcome> moved =
        f.vaults.commit(
            "notes",
            List.of(
                new Mutation.Move(
                    NotePath.of("idea.md"), NotePath.of("Archive/idea.md"), note.hash())),
            "laptop");
    assertThat(moved.get(0)).isInstanceOf(Outcome.Applied.class);
    push("small.md", null, text("fits\n"));
    f.vaults.awaitMirrored("notes");
    assertThat(folder().resolve("idea.md")).exists();
    assertThat(folder().resolve("Archive")).doesNotExist();

    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();

    disk.setFree(Long.MAX_VALUE);
    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(folder().resolve("idea.md")).doesNotExist();
    assertThat(Files.readString(folder().resolve("Archive/idea.md"))).isEqualTo("an idea\n");
    assertThat(changesBy(f.vaults, TokenStore.SERVER_DEVICE)).isEmpty();
  }

  /**
   * An emptied master folder is restored from the store; what the restore could not write is
   * pending, not deleted by the next reconcile (which sees a folder that is no longer empty).
   */
  @Test
  void aRestoreOfAnEmptiedFolderThatRunsOutOfRoomDoesNotTurnWhatItCouldNotWriteIntoDeletes()
      throws IOException {
    List<Mutation> batch = notes("note-", 3);
    batch.add(put("scan.pdf", attachment()));
    commit(batch);
    f.vaults.awaitMirrored("notes");
    try (Stream<Path> files = Files.list(folder())) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    disk.setFree(LITTLE_ROOM);

    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(folder().resolve("note-0.md")).exists();
    assertThat(folder().resolve("scan.pdf")).doesNotExist();
    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();

    disk.setFree(Long.MAX_VALUE);
    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertFolderHoldsHead(f.vaults);
    assertThat(changesBy(f.vaults, TokenStore.SERVER_DEVICE)).isEmpty();
  }

  /**
   * A batch the mirror worker abandoned half-way (an error between two files) is caught up before a
   * later batch moves the mirrored seq on; its unwritten files are never read as deletes.
   */
  @Test
  void aBatchCutShortByAnErrorIsCaughtUpBeforeALaterBatchMovesTheMirroredSeqOn()
      throws IOException {
    f.vaults.setMirrorHook(
        c -> {
          if (c.seq() == 2) {
            throw new IllegalStateException("injected failure after the second file");
          }
        });
    commit(notes("first-", 5));
    f.vaults.awaitMirrored("notes");
    f.vaults.setMirrorHook(c -> {});
    commit(notes("second-", 5));
    f.vaults.awaitMirrored("notes");

    assertEveryChangeUpToTheMirroredSeqIsInTheFolderOrPending(f.vaults);
    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertFolderHoldsHead(f.vaults);
  }

  /**
   * Someone writes a file on the server's disk at a path the folder still owes: the next attempt to
   * write the path moves that edit aside as a conflict copy, which is recorded like any edit the
   * server would overwrite (even while the path itself still cannot be written), and the path is
   * written once there is room. Nothing is lost and the owed path is never compared.
   */
  @Test
  void anEditOnTheServersDiskAtAPathStillOwedIsKeptAsAConflictCopy() throws IOException {
    disk.setFree(LITTLE_ROOM);
    byte[] scan = attachment();
    push("scan.pdf", null, scan);
    f.vaults.awaitMirrored("notes");
    Files.writeString(folder().resolve("scan.pdf"), "typed on the server\n");

    List<Change> recorded = f.reconciler.reconcile(NOTES);
    assertThat(recorded).hasSize(1);
    assertThat(recorded.get(0).op()).isEqualTo(Change.Op.PUT);
    assertThat(recorded.get(0).path().value()).startsWith("scan (server-disk conflict");
    assertThat(recorded.get(0).hash())
        .isEqualTo(ContentHash.digestOf(text("typed on the server\n")));
    assertThat(f.vaults.ledger().mirrorPending(NOTES)).containsOnlyKeys(NotePath.of("scan.pdf"));

    disk.setFree(Long.MAX_VALUE);
    assertThat(f.reconciler.reconcile(NOTES)).isEmpty();
    assertThat(Files.readAllBytes(folder().resolve("scan.pdf"))).isEqualTo(scan);
    assertFolderHoldsHead(f.vaults);
  }

  // ---- helpers ----

  private Path folder() {
    return dir.resolve("vaults/notes");
  }

  /** Four commits of 25 files; the first and third carry 10 attachments each. */
  private List<NotePath> commitHundredFiles() throws IOException {
    List<NotePath> attachments = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      List<Mutation> batch = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        int n = c * 25 + i;
        if (c % 2 == 0 && i < 10) {
          NotePath p = NotePath.of("attachment-" + n + ".pdf");
          batch.add(put(p.value(), attachment()));
          attachments.add(p);
        } else {
          batch.add(put("note-" + n + ".md", text("note " + n + "\n")));
        }
      }
      commit(batch);
    }
    return attachments;
  }

  private void commit(List<Mutation> batch) throws IOException {
    List<Outcome> outcomes = f.vaults.commit("notes", batch, "laptop");
    assertThat(outcomes).allMatch(o -> o instanceof Outcome.Applied, "acknowledged");
  }

  private List<Mutation> notes(String prefix, int n) throws IOException {
    List<Mutation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(put(prefix + i + ".md", text(prefix + i + "\n")));
    }
    return out;
  }

  private Mutation put(String path, byte[] content) throws IOException {
    uploaded.put(NotePath.of(path), content);
    return putNew(path, content);
  }

  private RemoteEntry push(String path, byte[] base, byte[] content) throws IOException {
    uploaded.put(NotePath.of(path), content);
    return push(NotePath.of(path), base, content);
  }

  private byte[] attachment() {
    byte[] b = new byte[4096];
    random.nextBytes(b);
    return b;
  }

  private static List<Change> changesBy(VaultTransport vaults, String device) throws IOException {
    return vaults.changesSince("notes", 0, 10_000).changes().stream()
        .filter(c -> c.device().equals(device))
        .toList();
  }

  /** Every head file is in the master folder with its content, and nothing else is. */
  private void assertFolderHoldsHead(ServerVaults vaults) throws IOException {
    Map<String, ContentHash> inFolder = new TreeMap<>();
    try (Stream<Path> files = Files.walk(folder())) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        inFolder.put(
            folder().relativize(p).toString().replace('\\', '/'),
            ContentHash.digestOf(Files.readAllBytes(p)));
      }
    }
    Map<String, ContentHash> head = new TreeMap<>();
    for (RemoteEntry e : vaults.manifest("notes").entries()) {
      head.put(e.path().value(), e.hash());
    }
    assertThat(inFolder).isEqualTo(head);
  }

  /** What a client cloning now gets: every uploaded file, byte for byte. */
  private void assertCloneHasEveryFile(ServerVaults vaults) throws IOException {
    Map<NotePath, byte[]> cloned = new TreeMap<>();
    for (RemoteEntry e : vaults.manifest("notes").entries()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      vaults.fetch("notes", e.hash(), null, out);
      cloned.put(e.path(), patch(new byte[0], out.toByteArray()));
    }
    assertThat(cloned.keySet()).containsExactlyElementsOf(uploaded.keySet());
    for (var e : uploaded.entrySet()) {
      assertThat(cloned.get(e.getKey())).as("%s", e.getKey()).isEqualTo(e.getValue());
    }
  }

  /**
   * The mirror's invariant: each change at or below the mirrored seq is in the folder or pending.
   */
  private void assertEveryChangeUpToTheMirroredSeqIsInTheFolderOrPending(ServerVaults vaults)
      throws IOException {
    LedgerStore ledger = vaults.ledger();
    long mirrored = ledger.mirroredSeq(NOTES);
    Set<NotePath> pending = ledger.mirrorPending(NOTES).keySet();
    for (Change c : vaults.changesSince("notes", 0, 10_000).changes()) {
      if (c.seq() > mirrored) {
        continue;
      }
      List<NotePath> paths = new ArrayList<>(List.of(c.path()));
      if (c.previousPath() != null) {
        paths.add(c.previousPath());
      }
      for (NotePath p : paths) {
        if (pending.contains(p)) {
          continue;
        }
        Path file = p.toFile(folder());
        var head = ledger.head(NOTES, p);
        if (head.isPresent()) {
          assertThat(file).as("%s at or below mirrored seq %s", p, mirrored).exists();
          assertThat(ContentHash.digestOf(Files.readAllBytes(file))).isEqualTo(head.get().hash());
        } else {
          assertThat(file).as("%s at or below mirrored seq %s", p, mirrored).doesNotExist();
        }
      }
    }
  }
}
