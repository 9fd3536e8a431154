package io.vaultsync.benchmarks.crash;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The folder the kill loops' writer syncs from, and what the test wrote there: seeded notes (words,
 * links, tasks), an edit round of new notes, edits and a delete, and 4.5 MB files that stream as
 * pushes and single fetches. {@link #written} is what the folder must hold whatever was killed.
 */
public final class WriterFolder {
  private static final int LARGE_BYTES = 4_500_000;

  private final Path dir;
  private final Random random;
  private final int changes;
  private final boolean large;

  /** What the writer's folder holds: every file the test wrote, with its last content. */
  private final Map<String, ContentHash> written = new TreeMap<>();

  private int nextNote;

  /**
   * @param changes new notes per round (plus a third as many edits)
   * @param large whether to write 4.5 MB files
   */
  public WriterFolder(Path dir, Random random, int changes, boolean large) {
    this.dir = dir;
    this.random = random;
    this.changes = changes;
    this.large = large;
  }

  public Path dir() {
    return dir;
  }

  /** Every file the test wrote, with its last content (a live view). */
  Map<String, ContentHash> written() {
    return written;
  }

  /** Seeded note text of {@code length} bytes. */
  public byte[] note(int length) {
    String[] words = {"vault", "note", "sync", "the", "a", "[[link]]", "- [ ] task", "# Title"};
    StringBuilder sb = new StringBuilder(length + 16);
    while (sb.length() < length) {
      sb.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? '\n' : ' ');
    }
    return sb.substring(0, length).getBytes(StandardCharsets.UTF_8);
  }

  /** A note of 1 to 7 KB at {@code path}. */
  public void writeNote(String path) throws IOException {
    write(path, note(1000 + random.nextInt(6000)));
  }

  public void write(String path, byte[] content) throws IOException {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.write(f, content);
    written.put(path, ContentHash.digestOf(content));
  }

  private void writeLarge(String path) throws IOException {
    byte[] big = new byte[LARGE_BYTES];
    random.nextBytes(big);
    write(path, big);
  }

  private void newNotes(int count) throws IOException {
    for (int i = 0; i < count; i++) {
      writeNote("Notes/" + (i % 9) + "/n" + nextNote++ + ".md");
    }
  }

  /** The first vault: {@code notes} notes in a few folders and two large files. */
  public void firstVault(int notes) throws IOException {
    newNotes(notes);
    for (int i = 0; i < (large ? 2 : 0); i++) {
      writeLarge("Attachments/scan-" + i + ".pdf");
    }
  }

  /** One round of the writer's changes: new notes, edits, a delete, sometimes a large file. */
  void change(int round) throws IOException {
    newNotes(changes);
    List<String> notesNow = written.keySet().stream().filter(p -> p.endsWith(".md")).toList();
    for (int i = 0; i < changes / 3; i++) {
      String p = notesNow.get(random.nextInt(notesNow.size()));
      write(p, note(500 + random.nextInt(6000)));
    }
    String gone = notesNow.get(random.nextInt(notesNow.size()));
    Files.deleteIfExists(dir.resolve(gone));
    written.remove(gone);
    if (round % 3 == 0 && large) {
      writeLarge("Attachments/round-" + round + ".bin");
    }
  }
}
