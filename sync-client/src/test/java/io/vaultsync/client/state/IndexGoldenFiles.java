package io.vaultsync.client.state;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The worked example of docs/FORMAT.md section 10 and the tool that writes its golden files ({@code
 * sync-client/src/test/resources/golden/index*}). Tests only compare; they never regenerate. Run
 * {@code main} with the golden folder to write them again after a deliberate format change.
 */
final class IndexGoldenFiles {
  static final long GENERATION = 0x0123456789abcdefL;

  private IndexGoldenFiles() {}

  static IndexEntry note(String path, String content) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    return new IndexEntry(
        NotePath.of(path), data.length, 1_700_000_000_000L, ContentHash.digestOf(data), null);
  }

  /** The snapshot: {@code a.md} = "hi\n" at seq 7. */
  static LocalIndex snapshot() {
    return new LocalIndex(7, List.of(note("a.md", "hi\n")));
  }

  /**
   * The state after the journal's one record: {@code b.md} = "yo\n" put, {@code a.md} removed, seq
   * 9.
   */
  static LocalIndex afterJournal() {
    return new LocalIndex(9, List.of(note("b.md", "yo\n")));
  }

  /** Writes index-v1, index (v2) and index.journal into {@code folder}. */
  static void write(Path folder) throws IOException {
    Files.createDirectories(folder);
    IndexFile.writeVersion1(folder.resolve("index-v1"), snapshot());
    LocalIndex index = snapshot();
    IndexFile.write(folder.resolve("index"), index, GENERATION);
    Files.write(folder.resolve("index.journal"), IndexJournal.header(GENERATION));
    index.saved(null);
    index.put(note("b.md", "yo\n"));
    index.remove(NotePath.of("a.md"));
    index.setLastSeq(9);
    byte[] record = IndexJournal.record(index);
    Files.write(folder.resolve("index.journal"), record, java.nio.file.StandardOpenOption.APPEND);
  }

  public static void main(String[] args) throws IOException {
    write(Path.of(args.length > 0 ? args[0] : "sync-client/src/test/resources/golden"));
  }
}
