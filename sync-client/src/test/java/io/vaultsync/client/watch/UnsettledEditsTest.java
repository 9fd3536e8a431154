package io.vaultsync.client.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: with a 3 ms debounce, a cycle must still not upload the empty note an in-place save
 * leaves between its truncate and its write, nor send a delete for the first half of a rename.
 */
class UnsettledEditsTest {
  @TempDir Path root;

  private final LocalIndex index = new LocalIndex();

  private void synced(String path, String content) throws IOException {
    EchoFilterTest.synced(root, index, path, content);
  }

  private Duration settle(String... paths) throws IOException {
    Set<NotePath> edited = new java.util.TreeSet<>();
    for (String p : paths) {
      edited.add(NotePath.of(p));
    }
    return UnsettledEdits.settle(root, index, edited, WatchOptions.DEFAULTS);
  }

  @Test
  void aSyncedNoteTruncatedByAnInPlaceSaveWaitsForItsWrite() throws IOException {
    synced("a.md", "a note\n");
    Files.write(root.resolve("a.md"), new byte[0]); // the truncate; the write comes next
    assertThat(settle("a.md")).isEqualTo(UnsettledEdits.EMPTIED_SETTLE);
    assertThat(UnsettledEdits.EMPTIED_SETTLE).isGreaterThan(WatchOptions.DEFAULTS.debounce());
  }

  @Test
  void aVanishedNoteWaitsForTheRestOfARename() throws IOException {
    synced("a.md", "a note\n");
    Files.delete(root.resolve("a.md"));
    assertThat(settle("a.md")).isEqualTo(WatchOptions.DEFAULTS.deleteSettle());
  }

  @Test
  void anEditedNewOrDeliberatelyEmptyNoteGoesAtOnce() throws IOException {
    synced("a.md", "a note\n");
    Files.writeString(root.resolve("a.md"), "a note, edited\n");
    synced("empty.md", ""); // synced empty: nothing to lose
    Files.writeString(root.resolve("new.md"), "");
    assertThat(settle("a.md", "empty.md", "new.md")).isZero();
  }
}
