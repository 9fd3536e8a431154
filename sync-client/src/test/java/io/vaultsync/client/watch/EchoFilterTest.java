package io.vaultsync.client.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EchoFilterTest {
  @TempDir Path root;

  private final LocalIndex index = new LocalIndex();

  /** Writes {@code content} at {@code path} and records it in the index as synced. */
  private void synced(String path, String content) throws IOException {
    synced(root, index, path, content);
  }

  /** Writes {@code content} at {@code path} under {@code root}; {@code index} records it synced. */
  static void synced(Path root, LocalIndex index, String path, String content) throws IOException {
    Path f = root.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content, StandardCharsets.UTF_8);
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    index.put(
        new IndexEntry(
            NotePath.of(path),
            bytes.length,
            Files.getLastModifiedTime(f).toMillis(),
            ContentHash.digestOf(bytes),
            null));
  }

  private Path write(String path, String content) throws IOException {
    Path f = root.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void theClientsOwnDownloadIsAnEchoNotAnEdit() throws IOException {
    synced("Daily/today.md", "# Today\n- from the server\n");

    EchoFilter.Result r =
        EchoFilter.filter(root, index, IgnoreRules.DEFAULT, List.of(Path.of("Daily/today.md")));

    assertThat(r.any()).isFalse();
  }

  @Test
  void sameSizeEditWithTheSameMtimeIsStillAnEdit() throws IOException {
    synced("a.md", "version one\n");
    Path f = root.resolve("a.md");
    FileTime mtime = Files.getLastModifiedTime(f);
    Files.writeString(f, "version two\n", StandardCharsets.UTF_8); // same length
    Files.setLastModifiedTime(f, mtime);

    EchoFilter.Result r =
        EchoFilter.filter(root, index, IgnoreRules.DEFAULT, List.of(Path.of("a.md")));

    assertThat(r.edited()).containsExactly(NotePath.of("a.md"));
  }

  @Test
  void newChangedAndDeletedFilesAreEdits() throws IOException {
    synced("keep.md", "same\n");
    synced("edit.md", "old\n");
    synced("gone.md", "bye\n");
    write("edit.md", "new content\n");
    write("new.md", "hello\n");
    Files.delete(root.resolve("gone.md"));

    EchoFilter.Result r =
        EchoFilter.filter(
            root,
            index,
            IgnoreRules.DEFAULT,
            List.of(Path.of("keep.md"), Path.of("edit.md"), Path.of("new.md"), Path.of("gone.md")));

    assertThat(r.edited())
        .containsExactly(NotePath.of("edit.md"), NotePath.of("gone.md"), NotePath.of("new.md"));
    assertThat(r.needsScan()).isFalse();
  }

  @Test
  void aFolderEventNamesTheFolderToScanAndAVanishedSyncedFolderIsAnEdit() throws IOException {
    synced("Projects/plan.md", "plan\n");
    Files.createDirectories(root.resolve("Inbox"));

    EchoFilter.Result folder =
        EchoFilter.filter(root, index, IgnoreRules.DEFAULT, List.of(Path.of("Inbox")));
    assertThat(folder.folders()).containsExactly(NotePath.of("Inbox"));
    assertThat(folder.any()).isTrue();

    Files.delete(root.resolve("Projects/plan.md"));
    Files.delete(root.resolve("Projects"));
    assertThat(
            EchoFilter.filter(root, index, IgnoreRules.DEFAULT, List.of(Path.of("Projects")))
                .edited())
        .containsExactly(NotePath.of("Projects"));
  }

  @Test
  void editorSwapFilesAndDeviceLocalFilesAreNotEdits() throws IOException {
    write("Daily/.today.md.swp", "swap");
    write(".obsidian/workspace.json", "{}");
    write("Daily/today.md~", "backup");

    EchoFilter.Result r =
        EchoFilter.filter(
            root,
            index,
            IgnoreRules.DEFAULT,
            List.of(
                Path.of("Daily/.today.md.swp"),
                Path.of(".obsidian/workspace.json"),
                Path.of("Daily/today.md~")));

    assertThat(r.any()).isFalse();
  }

  @Test
  void anEventForAFileThatCameAndWentIsNothing() throws IOException {
    EchoFilter.Result r =
        EchoFilter.filter(root, index, IgnoreRules.DEFAULT, List.of(Path.of("short-lived.md")));

    assertThat(r.any()).isFalse();
  }
}
