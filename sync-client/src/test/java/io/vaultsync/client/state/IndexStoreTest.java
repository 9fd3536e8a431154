package io.vaultsync.client.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snapshot + journal store: saves cost the change, crashes never leave a misread index. */
class IndexStoreTest {
  @TempDir Path dir;

  private static IndexEntry entry(String path, String content, boolean signature) {
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    return new IndexEntry(
        NotePath.of(path),
        data.length,
        1_700_000_000_000L + data.length,
        ContentHash.digestOf(data),
        signature
            ? KeptSignature.of(
                SignatureBuilder.of(data, SignatureParams.forBasisLength(data.length)))
            : null);
  }

  private static LocalIndex vault(int notes) {
    List<IndexEntry> entries = new ArrayList<>();
    for (int i = 0; i < notes; i++) {
      entries.add(
          entry("f" + (i % 20) + "/note " + i + ".md", ("note " + i + "\n").repeat(30), true));
    }
    return new LocalIndex(notes, entries);
  }

  private byte[] bytes(String name) throws IOException {
    Path f = dir.resolve(name);
    return Files.exists(f) ? Files.readAllBytes(f) : new byte[0];
  }

  private static void assertSame(LocalIndex actual, LocalIndex expected) {
    assertThat(actual.lastSeq()).isEqualTo(expected.lastSeq());
    assertThat(actual.entries()).isEqualTo(expected.entries());
  }

  @Test
  void aSaveWithNothingChangedWritesNothing() throws IOException {
    IndexStore.write(dir, vault(200));
    byte[] snapshot = bytes(IndexStore.SNAPSHOT);
    byte[] journal = bytes(IndexStore.JOURNAL);
    long modified = Files.getLastModifiedTime(dir.resolve(IndexStore.JOURNAL)).toMillis();

    LocalIndex read = IndexStore.read(dir);
    read.put(read.get(read.entries().firstKey())); // the same entry again is no change
    read.setLastSeq(read.lastSeq());
    IndexStore.write(dir, read);

    assertThat(bytes(IndexStore.SNAPSHOT)).isEqualTo(snapshot);
    assertThat(bytes(IndexStore.JOURNAL)).isEqualTo(journal);
    assertThat(Files.getLastModifiedTime(dir.resolve(IndexStore.JOURNAL)).toMillis())
        .isEqualTo(modified);
    assertThat(read.hasUnsavedChanges()).isFalse();
  }

  @Test
  void aSaveOfOneChangeAppendsOneSmallRecordAndLeavesTheSnapshotAlone() throws IOException {
    IndexStore.write(dir, vault(2000));
    byte[] snapshot = bytes(IndexStore.SNAPSHOT);
    long journal = bytes(IndexStore.JOURNAL).length;

    LocalIndex read = IndexStore.read(dir);
    IndexEntry edited = entry("f3/note 3.md", "note 3, edited\n".repeat(30), true);
    read.put(edited);
    read.remove(NotePath.of("f4/note 4.md"));
    read.setLastSeq(5000);
    IndexStore.write(dir, read);

    long appended = bytes(IndexStore.JOURNAL).length - journal;
    assertThat(appended).isPositive().isLessThan(200 + edited.signature().length());
    assertThat(bytes(IndexStore.SNAPSHOT)).isEqualTo(snapshot);
    assertSame(IndexStore.read(dir), read);
  }

  /** A crash while appending: every cut of the journal reads as the state after a whole record. */
  @Test
  void aTornJournalTailIsDroppedAtEveryCutAndNeverMisread() throws IOException {
    LocalIndex index = vault(5);
    IndexStore.write(dir, index);
    List<LocalIndex> states = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    states.add(copy(index));
    ends.add((long) bytes(IndexStore.JOURNAL).length);
    for (int r = 0; r < 3; r++) {
      index.put(entry("new " + r + ".md", "record " + r + "\n", r != 1));
      index.remove(NotePath.of("f" + r + "/note " + r + ".md"));
      index.setLastSeq(100 + r);
      IndexStore.write(dir, index);
      states.add(copy(index));
      ends.add((long) bytes(IndexStore.JOURNAL).length);
    }
    byte[] whole = bytes(IndexStore.JOURNAL);
    for (int cut = IndexJournal.HEADER_BYTES; cut <= whole.length; cut++) {
      Files.write(dir.resolve(IndexStore.JOURNAL), Arrays.copyOf(whole, cut));
      int last = 0;
      while (last + 1 < ends.size() && ends.get(last + 1) <= cut) {
        last++;
      }
      assertSame(IndexStore.read(dir), states.get(last));
    }
  }

  @Test
  void aBitFlipInTheLastRecordDropsThatRecordOnly() throws IOException {
    long seed = new Random().nextLong();
    System.out.println("IndexStoreTest seed=" + seed);
    Random rnd = new Random(seed);
    LocalIndex index = vault(5);
    IndexStore.write(dir, index);
    index.put(entry("first.md", "one\n", true));
    index.setLastSeq(50);
    IndexStore.write(dir, index);
    LocalIndex afterFirst = copy(index);
    int firstEnd = bytes(IndexStore.JOURNAL).length;
    index.put(entry("second.md", "two\n", true));
    index.setLastSeq(51);
    IndexStore.write(dir, index);
    byte[] whole = bytes(IndexStore.JOURNAL);
    for (int i = 0; i < 200; i++) {
      byte[] bad = whole.clone();
      bad[firstEnd + rnd.nextInt(bad.length - firstEnd)] ^= (byte) (1 << rnd.nextInt(8));
      Files.write(dir.resolve(IndexStore.JOURNAL), bad);
      assertSame(IndexStore.read(dir), afterFirst);
    }
  }

  /** After a torn tail, the next save cuts it off first, so later records are never lost. */
  @Test
  void aSaveAfterATornTailCutsItOffAndItsRecordIsRead() throws IOException {
    LocalIndex index = vault(5);
    IndexStore.write(dir, index);
    index.put(entry("a.md", "a\n", false));
    IndexStore.write(dir, index);
    byte[] whole = bytes(IndexStore.JOURNAL);
    Files.write(dir.resolve(IndexStore.JOURNAL), Arrays.copyOf(whole, whole.length - 3));

    LocalIndex read = IndexStore.read(dir);
    assertThat(read.get(NotePath.of("a.md"))).isNull();
    read.put(entry("b.md", "b\n", false));
    read.setLastSeq(77);
    IndexStore.write(dir, read);

    assertSame(IndexStore.read(dir), read);
  }

  /**
   * A crash after a compaction wrote the new snapshot but before it replaced the journal: the old
   * journal names the old generation and is ignored (the new snapshot holds all of it).
   */
  @Test
  void aJournalOfAnOlderSnapshotIsIgnored() throws IOException {
    LocalIndex index = vault(5);
    IndexStore.write(dir, index);
    index.remove(NotePath.of("f1/note 1.md"));
    index.setLastSeq(60);
    IndexStore.write(dir, index); // a record in the journal of generation 1
    index.put(entry("z.md", "z\n", true));
    IndexFile.write(dir.resolve(IndexStore.SNAPSHOT), index, 0x5eedL); // generation 2, no journal

    LocalIndex read = IndexStore.read(dir);
    assertSame(read, index);
    IndexStore.write(dir, read); // the stale journal makes the next save write a fresh pair
    assertSame(IndexStore.read(dir), index);
    assertThat(IndexStore.read(dir).stamp().compactDue()).isFalse();
  }

  @Test
  void aVersion1IndexIsReadAndMigratedOnTheNextSave() throws IOException {
    LocalIndex index = vault(50);
    IndexFile.writeVersion1(dir.resolve(IndexStore.SNAPSHOT), index);
    assertThat(bytes(IndexStore.SNAPSHOT)[4]).isEqualTo((byte) 1);

    LocalIndex read = IndexStore.read(dir);
    assertSame(read, index);
    IndexStore.write(dir, read);

    assertThat(bytes(IndexStore.SNAPSHOT)[4]).isEqualTo((byte) IndexFile.VERSION);
    assertThat(bytes(IndexStore.JOURNAL)).hasSize(IndexJournal.HEADER_BYTES);
    assertSame(IndexStore.read(dir), index);
  }

  @Test
  void theJournalIsCompactedIntoANewSnapshotWhenItOutgrowsTheBound() throws IOException {
    LocalIndex index = vault(20);
    IndexStore.write(dir, index);
    long generation = index.stamp().generation();
    for (int save = 0; save < 4; save++) { // ~100 KB of records each: over the bound
      for (int i = 0; i < 1500; i++) {
        index.put(entry("batch " + save + "/" + i + ".md", "note " + i + "\n", false));
      }
      IndexStore.write(dir, index);
    }
    assertThat((long) bytes(IndexStore.JOURNAL).length)
        .isLessThanOrEqualTo(IndexStore.MIN_COMPACT_BYTES);
    assertThat(index.stamp().generation()).isNotEqualTo(generation);
    assertSame(IndexStore.read(dir), index);
  }

  @Test
  void aCachedIndexIsCurrentUntilAnotherWriterSaves() throws IOException {
    IndexStore.write(dir, vault(5));
    LocalIndex mine = IndexStore.read(dir);
    assertThat(IndexStore.isCurrent(dir, mine)).isTrue();
    LocalIndex theirs = IndexStore.read(dir);
    theirs.setLastSeq(999);
    IndexStore.write(dir, theirs);
    assertThat(IndexStore.isCurrent(dir, mine)).isFalse();
    assertThat(IndexStore.isCurrent(dir, theirs)).isTrue();
  }

  private static LocalIndex copy(LocalIndex index) {
    return new LocalIndex(index.lastSeq(), index.entries().values());
  }
}
