package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 2 and 5, one client and the in-process reference server: names in decomposed
 * Unicode (NFD) sync under their NFC note path and keep their name on the disk that has them; two
 * names of one note path are a named clash; a tree the server refuses is named by the client that
 * sent it, and the rest of its sync goes through.
 */
class NamesAndShapesTest {
  /** "Café.md" as macOS writes it: e + U+0301. */
  static final String NFD = "Cafe\u0301.md";

  /** "Café.md" composed: the note path. */
  static final String NFC = "Caf\u00e9.md";

  static final String NFD_FOLDER = "Re\u0301sume\u0301";
  static final String NFC_FOLDER = "R\u00e9sum\u00e9";

  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  private Replica replica(String name) {
    return new Replica(tmp.resolve(name), name, server);
  }

  /** Whether this file system keeps both Unicode forms of a name as two names (Linux does). */
  static boolean keepsBothForms(Path dir) throws IOException {
    Path probe = Files.createDirectories(dir).resolve("probe-e\u0301");
    Files.writeString(probe, "x");
    boolean distinct = !Files.exists(dir.resolve("probe-\u00e9"));
    Files.delete(probe);
    return distinct;
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals(".vaultsync"))
          .sorted()
          .toList();
    }
  }

  static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  /**
   * The case: a note named in NFD (as macOS writes it) is uploaded under its NFC path, a
   * second client receives it in NFC, edits flow both ways, and the first client's file keeps its
   * NFD name on disk: no duplicate, no delete. A new note in a folder named in NFD goes into that
   * folder.
   */
  @Test
  void nfdNoteSyncsInNfcAndKeepsItsNameOnTheDiskThatHasIt() throws Exception {
    Replica mac = replica("mac");
    Files.createDirectories(mac.dir.resolve(NFD_FOLDER));
    Files.writeString(mac.dir.resolve(NFD), "written on a Mac\n");
    Files.writeString(mac.dir.resolve(NFD_FOLDER).resolve("cv.md"), "cv\n");
    SyncReport init = mac.init();
    assertThat(init.notSynced()).isEmpty();
    assertThat(init.filesUp()).isEqualTo(2);
    assertThat(Replica.serverFiles(server)).containsOnlyKeys(NFC, NFC_FOLDER + "/cv.md");

    Replica linux = replica("linux");
    linux.cloneVault();
    assertThat(names(linux.dir)).containsExactly(NFC, NFC_FOLDER);
    assertThat(read(linux.dir.resolve(NFC))).isEqualTo("written on a Mac\n");

    // An edit on the second client reaches the first one's NFD file.
    Files.writeString(linux.dir.resolve(NFC), "edited on Linux\n");
    Files.writeString(linux.dir.resolve(NFC_FOLDER).resolve("new.md"), "new\n");
    assertThat(linux.sync().filesUp()).isEqualTo(2);
    SyncReport down = mac.sync();
    assertThat(down.filesDown()).isEqualTo(2);
    assertThat(down.notSynced()).isEmpty();
    assertThat(read(mac.dir.resolve(NFD))).isEqualTo("edited on Linux\n");
    assertThat(read(mac.dir.resolve(NFD_FOLDER).resolve("new.md"))).isEqualTo("new\n");
    if (keepsBothForms(tmp.resolve("probe"))) {
      assertThat(names(mac.dir)).containsExactly(NFD, NFD_FOLDER); // no NFC twin appeared
    }

    // And back: an edit of the NFD file is an upload of the NFC note, not a new file.
    Files.writeString(mac.dir.resolve(NFD), "edited on the Mac again\n");
    SyncReport up = mac.sync();
    assertThat(up.filesUp()).isEqualTo(1);
    assertThat(up.deleted()).isZero();
    linux.sync();
    assertThat(read(linux.dir.resolve(NFC))).isEqualTo("edited on the Mac again\n");
    assertThat(Replica.serverFiles(server))
        .containsOnlyKeys(NFC, NFC_FOLDER + "/cv.md", NFC_FOLDER + "/new.md");

    // Nothing left to do, nothing left out, the same root on both sides.
    assertThat(mac.status().lines()).isEmpty();
    assertThat(new Verifier(mac.wire).verify(mac.dir).inSync()).isTrue();

    // A delete on the other side removes the NFD file.
    Files.delete(linux.dir.resolve(NFC));
    linux.sync();
    assertThat(mac.sync().deleted()).isEqualTo(1);
    assertThat(Files.exists(mac.dir.resolve(NFD))).isFalse();
    assertThat(Replica.serverFiles(server)).doesNotContainKey(NFC);
  }

  /**
   * Two names in one folder that normalize to one note path (NFC and NFD side by side, possible on
   * Linux): both are named as a clash, neither is uploaded, downloaded or deleted, until one is
   * renamed.
   */
  @Test
  void nfcAndNfdTwinsAreNamedAsAClashAndNeitherSyncedNorDeleted() throws Exception {
    Replica a = replica("a");
    Files.createDirectories(a.dir);
    assumeThat(keepsBothForms(tmp.resolve("probe"))).as("two names for both forms").isTrue();
    Files.writeString(a.dir.resolve(NFC), "composed\n");
    Files.writeString(a.dir.resolve("other.md"), "other\n");
    a.init();
    Replica b = replica("b");
    b.cloneVault();
    ContentHash synced = Replica.serverFiles(server).get(NFC);

    Files.writeString(a.dir.resolve(NFD), "decomposed twin\n");
    Files.writeString(a.dir.resolve(NFC), "composed, edited\n");
    SyncReport r = a.sync();

    assertThat(r.notSynced()).extracting(NotSynced::path).containsExactlyInAnyOrder(NFC, NFD);
    assertThat(r.notSynced())
        .allSatisfy(
            n -> {
              assertThat(n.kind()).isEqualTo(NotSynced.Kind.NAME);
              assertThat(n.reason())
                  .startsWith("two files here normalize to the same name " + NFC)
                  .contains("rename one");
            });
    assertThat(r.filesUp() + r.deleted()).isZero();
    assertThat(Replica.serverFiles(server)).containsEntry(NFC, synced);
    // The other side edits the note meanwhile: this folder does not touch either file.
    Files.writeString(b.dir.resolve(NFC), "edited on b\n");
    b.sync();
    SyncReport again = a.sync();
    assertThat(again.filesDown() + again.deleted() + again.filesUp()).isZero();
    assertThat(again.notSynced()).hasSize(2);
    assertThat(read(a.dir.resolve(NFC))).isEqualTo("composed, edited\n");
    assertThat(read(a.dir.resolve(NFD))).isEqualTo("decomposed twin\n");
    assertThat(a.status().leftOut()).hasSize(2);

    // Renamed: both sync, and b's edit is merged or kept beside a's, never lost.
    Files.move(a.dir.resolve(NFD), a.dir.resolve("Cafe twin.md"));
    SyncReport resolved = a.sync();
    assertThat(resolved.notSynced()).isEmpty();
    assertThat(Replica.serverFiles(server)).containsKey("Cafe twin.md");
    b.sync();
    assertThat(b.files()).isEqualTo(a.files());
  }

  /**
   * Item 5, the race of two well-behaved clients: a uploads a file "notes", b (which had no such
   * file) a folder "notes" of notes. The server refuses b's "notes/…" files one by one; b names
   * each (and the server's file "notes", which cannot be written here) and its other files go
   * through.
   */
  @Test
  void aFileAndAFolderOfOneNameRaceAndTheSecondClientNamesWhatWasRefused() throws Exception {
    Replica a = replica("a");
    Files.createDirectories(a.dir);
    Files.writeString(a.dir.resolve("start.md"), "start\n");
    a.init();
    Replica b = replica("b");
    b.cloneVault();

    Files.writeString(a.dir.resolve("notes"), "a file\n");
    a.sync();
    Files.createDirectories(b.dir.resolve("notes"));
    Files.writeString(b.dir.resolve("notes/one.md"), "one\n");
    Files.writeString(b.dir.resolve("other.md"), "other\n");
    SyncReport r = b.sync();

    assertThat(r.filesUp()).isEqualTo(1);
    assertThat(Replica.serverFiles(server)).containsOnlyKeys("start.md", "notes", "other.md");
    assertThat(r.notSynced())
        .extracting(NotSynced::path, NotSynced::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("notes", NotSynced.Kind.NAME),
            org.assertj.core.groups.Tuple.tuple("notes/one.md", NotSynced.Kind.SERVER));
    assertThat(r.notSynced())
        .filteredOn(n -> n.path().equals("notes/one.md"))
        .singleElement()
        .satisfies(
            n -> assertThat(n.reason()).startsWith("the server refused it: \"notes\" is a file"));
    assertThat(read(b.dir.resolve("notes/one.md"))).isEqualTo("one\n");
  }
}
