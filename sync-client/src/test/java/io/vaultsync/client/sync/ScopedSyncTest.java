package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sync limited to a {@link LocalScope} (a watch cycle) looks only at the named paths and at the
 * server's changes; the rest of the folder is taken to be as the index has it, and a full sync
 * still finds what the scope left out.
 */
class ScopedSyncTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  /** The vault both replicas start from. */
  private static final Map<String, String> FILES =
      Map.of("Daily/today.md", "today\n", "Ideas.md", "ideas\n", "Projects/plan.md", "plan\n");

  private Replica[] pair() throws Exception {
    return Replica.pair(tmp, server, FILES);
  }

  private static SyncReport sync(Syncer s, Replica r, LocalScope scope) throws Exception {
    return s.sync(r.dir, SyncOptions.DEFAULTS, Set.of(), scope);
  }

  @Test
  void aScopedSyncUploadsTheNamedEditOnlyAndAFullSyncFindsTheOther() throws Exception {
    Replica[] r = pair();
    Syncer syncer = r[0].syncer().keepingIndex();
    r[0].write("Ideas.md", "ideas, edited\n");
    r[0].write("Daily/today.md", "today, edited where no event told\n");

    SyncReport scoped = sync(syncer, r[0], LocalScope.of(Set.of(NotePath.of("Ideas.md"))));
    assertThat(scoped.filesUp()).isEqualTo(1);
    assertThat(Replica.serverFiles(server).get("Daily/today.md"))
        .isNotEqualTo(r[0].files().get("Daily/today.md"));

    SyncReport full = sync(syncer, r[0], LocalScope.ALL);
    assertThat(full.filesUp()).isEqualTo(1);
    assertThat(Replica.serverFiles(server)).isEqualTo(r[0].files());
  }

  @Test
  void aScopedSyncNamingAFolderSeesEveryFileUnderItAndNothingBeside() throws Exception {
    Replica[] r = pair();
    Syncer syncer = r[0].syncer().keepingIndex();
    r[0].delete("Projects/plan.md");
    r[0].write("Projects/new.md", "new\n");
    r[0].write("Ideas.md", "ideas, edited where no event told\n");

    SyncReport scoped = sync(syncer, r[0], LocalScope.of(Set.of(NotePath.of("Projects"))));

    assertThat(scoped.filesUp()).isEqualTo(1);
    assertThat(scoped.deleted()).isEqualTo(1);
    assertThat(Replica.serverFiles(server)).containsKey("Projects/new.md");
    assertThat(Replica.serverFiles(server)).doesNotContainKey("Projects/plan.md");
    assertThat(Replica.serverFiles(server).get("Ideas.md"))
        .isNotEqualTo(r[0].files().get("Ideas.md"));
    SyncReport other = sync(r[1].syncer(), r[1], LocalScope.of(Set.of()));
    assertThat(other.filesDown()).isEqualTo(1);
    assertThat(r[1].files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void aScopedSyncWithNoLocalPathsStillAppliesTheServersChanges() throws Exception {
    Replica[] r = pair();
    r[0].write("Projects/plan.md", "plan v2\n");
    r[0].delete("Ideas.md");
    r[0].sync();
    Syncer syncer = r[1].syncer().keepingIndex();

    SyncReport rep = sync(syncer, r[1], LocalScope.of(Set.of()));

    assertThat(rep.filesDown()).isEqualTo(1);
    assertThat(rep.deleted()).isEqualTo(1);
    assertThat(r[1].files()).isEqualTo(Replica.serverFiles(server));
  }

  /** A local edit to a file the server also changed is seen, though no event named it. */
  @Test
  void aServerChangeToALocallyEditedFileIsMergedNeverOverwritten() throws Exception {
    Replica[] r = pair();
    r[0].write("Projects/plan.md", "plan\nfrom laptop\n");
    r[0].sync();
    r[1].write("Projects/plan.md", "from phone\nplan\n");
    Syncer syncer = r[1].syncer().keepingIndex();

    sync(syncer, r[1], LocalScope.of(Set.of()));

    assertThat(r[1].read("Projects/plan.md")).contains("from laptop");
    try (var files = Files.walk(r[1].dir)) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .filter(f -> !f.startsWith(r[1].dir.resolve(".vaultsync")))
                  .anyMatch(f -> contains(f, "from phone")))
          .as("the phone's edit is kept (merged or as a conflict copy)")
          .isTrue();
    }
  }

  private static boolean contains(Path f, String text) {
    try {
      return Files.readString(f).contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void aNamedFolderIsScannedWithEverythingUnderIt() throws Exception {
    Replica[] r = pair();
    Syncer syncer = r[0].syncer().keepingIndex();
    r[0].write("Inbox/one.md", "one\n");
    r[0].write("Inbox/deep/two.md", "two\n");
    r[0].write("Elsewhere/three.md", "three\n");

    SyncReport rep = sync(syncer, r[0], LocalScope.of(Set.of(NotePath.of("Inbox"))));

    assertThat(rep.filesUp()).isEqualTo(2);
    assertThat(Replica.serverFiles(server))
        .containsKeys("Inbox/one.md", "Inbox/deep/two.md")
        .doesNotContainKey("Elsewhere/three.md");
  }

  @Test
  void theKeptIndexIsReadAgainWhenAnotherSyncChangedIt() throws Exception {
    Replica[] r = pair();
    Syncer kept = r[0].syncer().keepingIndex();
    sync(kept, r[0], LocalScope.ALL);
    r[0].write("Ideas.md", "edited by a one-shot sync\n");
    r[0].sync(); // another syncer (process) saves the index meanwhile

    SyncReport rep = sync(kept, r[0], LocalScope.of(Set.of(NotePath.of("Ideas.md"))));

    assertThat(rep.filesUp()).isZero(); // a stale kept index would upload it again
    assertThat(Replica.serverFiles(server)).isEqualTo(r[0].files());
  }
}
