package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackContentStoreTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void stagedContentIsInvisibleUntilCommitAndReadableAfterReopen() throws IOException {
    ContentHash h;
    try (PackContentStore store = PackContentStore.open(dir);
        StagingBatch batch = store.newBatch()) {
      Staged s = batch.stage(out -> out.write(bytes("hello")));
      h = s.hash();
      assertThat(h).isEqualTo(ContentHash.digestOf(bytes("hello")));
      assertThat(store.has(h)).isFalse();
      batch.commit();
      assertThat(store.has(h)).isTrue();
    }
    try (PackContentStore store = PackContentStore.open(dir);
        InputStream in = store.open(h).stream()) {
      assertThat(in.readAllBytes()).isEqualTo(bytes("hello"));
      assertThat(store.size(h)).contains(5L);
    }
  }

  /** What the batch leaves on disk; what it leaves visible is in {@link ContentStoreContract}. */
  @Test
  void closedUncommittedBatchAndFailedSourceLeaveNoFile() throws IOException {
    try (PackContentStore store = PackContentStore.open(dir)) {
      try (StagingBatch batch = store.newBatch()) {
        batch.stage(out -> out.write(bytes("never committed")));
        assertThatThrownBy(() -> batch.stage(out -> failAfter(out, bytes("partial"))))
            .hasMessage("source failed");
      }
    }
    try (Stream<Path> s = Files.list(dir.resolve("packs"))) {
      assertThat(s).isEmpty();
    }
  }

  private static void failAfter(java.io.OutputStream out, byte[] written) throws IOException {
    out.write(written);
    throw new IOException("source failed");
  }

  /** Commits each content in its own batch (its own pack); returns their hashes. */
  private List<ContentHash> commitEach(String... contents) throws IOException {
    List<ContentHash> hashes = new ArrayList<>();
    try (PackContentStore store = PackContentStore.open(dir)) {
      for (String c : contents) {
        try (StagingBatch batch = store.newBatch()) {
          hashes.add(batch.stage(out -> out.write(bytes(c))).hash());
          batch.commit();
        }
      }
    }
    return hashes;
  }

  /** The pack files (or index files) in commit order. */
  private List<Path> files(String extension) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("packs"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(extension)).sorted().toList();
    }
  }

  private static String read(PackContentStore store, ContentHash h) throws IOException {
    try (InputStream in = store.open(h).stream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void packWithoutIndexIsRemovedOnlyWhenItsTemporaryIndexShowsTheCommitNeverHappened()
      throws IOException {
    Files.createDirectories(dir.resolve("packs"));
    Files.writeString(dir.resolve("packs/p1.pack"), "an unframed pack whose index is lost");
    Files.writeString(dir.resolve("packs/p2.pack"), "renamed, but its index never was");
    Files.writeString(dir.resolve("packs/.vstmp-p2.idx"), "the index, still temporary");
    Files.writeString(dir.resolve("packs/.vstmp-p3.pack"), "a pack never renamed");
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.packCount()).isZero();
      assertThat(store.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.kind()).isEqualTo(StoreProblem.Kind.INDEX_MISSING);
                assertThat(p.file()).isEqualTo(dir.resolve("packs/p1.pack"));
                assertThat(p.describe()).contains("p1.pack has no index", "not served");
              });
    }
    try (Stream<Path> s = Files.list(dir.resolve("packs"))) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("p1.pack");
    }
  }

  @Test
  void corruptIndexIsReportedByNameAndItsFramedPackIsServedFromItsRecordHeaders()
      throws IOException {
    List<ContentHash> h = commitEach("first note", "second note");
    Path idx = files(".idx").get(0);
    byte[] data = Files.readAllBytes(idx);
    for (int i = 0; i < data.length; i++) {
      byte[] flipped = data.clone();
      flipped[i] ^= 0x40;
      assertThatThrownBy(() -> PackIndexFormat.read(flipped)).isInstanceOf(FormatException.class);
      byte[] cut = java.util.Arrays.copyOf(data, i);
      assertThatThrownBy(() -> PackIndexFormat.read(cut)).isInstanceOf(FormatException.class);
    }
    data[data.length - 1] ^= 1;
    Files.write(idx, data);
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.kind()).isEqualTo(StoreProblem.Kind.INDEX_CORRUPT);
                assertThat(p.file()).isEqualTo(idx);
                assertThat(p.describe())
                    .startsWith("store index " + idx + " is corrupt (pack index checksum")
                    .contains("serving the 1 objects its record headers name");
              });
      assertThat(read(store, h.get(0))).isEqualTo("first note");
      assertThat(read(store, h.get(1))).isEqualTo("second note");
    }
    assertThat(idx).exists(); // evidence stays for server check
  }

  @Test
  void deletedIndexOfAFramedPackLosesNothing() throws IOException {
    List<ContentHash> h = commitEach("first note", "second note");
    Files.delete(files(".idx").get(1));
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems())
          .singleElement()
          .satisfies(p -> assertThat(p.kind()).isEqualTo(StoreProblem.Kind.INDEX_MISSING));
      assertThat(read(store, h.get(1))).isEqualTo("second note");
    }
    assertThat(files(".pack")).hasSize(2);
  }

  @Test
  void deletedPackIsReportedWithWhatItHeldAndTheRestIsServed() throws IOException {
    List<ContentHash> h = commitEach("first note", "second note");
    Path pack = files(".pack").get(0);
    Files.delete(pack);
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.kind()).isEqualTo(StoreProblem.Kind.PACK_MISSING);
                assertThat(p.describe())
                    .isEqualTo(
                        "store pack "
                            + pack
                            + " is missing (1 of its 1 objects are stored nowhere else, e.g. "
                            + h.get(0).hex()
                            + ")");
              });
      assertThat(store.has(h.get(0))).isFalse();
      assertThat(read(store, h.get(1))).isEqualTo("second note");
    }
  }

  @Test
  void flippedByteInAPackIsNeverServedAndIsReportedOnce() throws IOException {
    List<ContentHash> h = commitEach("first note", "second note");
    Path pack = files(".pack").get(0);
    byte[] data = Files.readAllBytes(pack);
    data[data.length - 3] ^= 0x01; // inside "first note"
    Files.write(pack, data);
    List<String> reported = new ArrayList<>();
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems()).isEmpty(); // opening hashes nothing
      store.listen(
          new StoreEvents() {
            @Override
            public void damaged(ContentHash hash, long size, String where, String why) {
              reported.add(hash.hex() + " " + size + " " + where);
            }

            @Override
            public void stored(java.util.Collection<ContentHash> hashes) {}
          });
      assertThatThrownBy(() -> store.open(h.get(0)))
          .isInstanceOf(DamagedContentException.class)
          .hasMessageContaining("is damaged in the server's store");
      assertThat(store.has(h.get(0))).isFalse();
      assertThatThrownBy(() -> store.open(h.get(0))).isInstanceOf(NoSuchFileException.class);
      assertThat(read(store, h.get(1))).isEqualTo("second note");
      assertThat(reported).containsExactly(h.get(0).hex() + " 10 pack " + pack + " at offset 68");
      assertThat(store.problems())
          .singleElement()
          .satisfies(p -> assertThat(p.kind()).isEqualTo(StoreProblem.Kind.OBJECT_DAMAGED));
    }
  }

  @Test
  void contentStoredAgainAfterDamageIsTheCopyServedAfterARestart() throws IOException {
    List<ContentHash> h = commitEach("first note");
    Path pack = files(".pack").get(0);
    byte[] data = Files.readAllBytes(pack);
    data[data.length - 1] ^= 0x01;
    Files.write(pack, data);
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThatThrownBy(() -> store.open(h.get(0))).isInstanceOf(DamagedContentException.class);
      try (StagingBatch batch = store.newBatch()) {
        assertThat(batch.stage(out -> out.write(bytes("first note"))).hash()).isEqualTo(h.get(0));
        batch.commit();
      }
      assertThat(read(store, h.get(0))).isEqualTo("first note");
    }
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(read(store, h.get(0))).isEqualTo("first note"); // the newer pack wins
    }
    assertThat(files(".pack")).hasSize(2); // the damaged pack is kept for server check
  }

  @Test
  void truncatedPackServesTheObjectsBeforeTheCut() throws IOException {
    ContentHash first;
    ContentHash second;
    try (PackContentStore store = PackContentStore.open(dir);
        StagingBatch batch = store.newBatch()) {
      first = batch.stage(out -> out.write(bytes("first note"))).hash();
      second = batch.stage(out -> out.write(bytes("second note"))).hash();
      batch.commit();
    }
    Path pack = files(".pack").get(0);
    try (var ch =
        java.nio.channels.FileChannel.open(pack, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 4);
    }
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(read(store, first)).isEqualTo("first note");
      assertThat(store.has(second)).isFalse();
      assertThat(store.problems())
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p.describe())
                      .contains("is shorter than its index", "1 of its 2 objects are cut off"));
    }
  }

  /**
   * A repack (or a content GC, whose dropped objects are in no other pack) that crashed after it
   * committed and renamed a replaced pack's index to its marker: the next start removes that pack
   * by its marker, quietly, instead of keeping it as a pack that lost its index.
   */
  @Test
  void packLeftByAnInterruptedRepackIsRemovedByItsReplacedMarker() throws IOException {
    commitEach("first note", "second note");
    Path oldPack = files(".pack").get(0);
    String oldId = oldPack.getFileName().toString().replace(".pack", "");
    byte[] saved = Files.readAllBytes(oldPack);
    try (PackContentStore store = PackContentStore.open(dir)) {
      store.repack(DeltaPlan.NONE);
    }
    Files.write(oldPack, saved); // the crash came after the marker, before the pack went
    Files.writeString(dir.resolve("packs/" + oldId + ".replaced"), "");
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems()).isEmpty();
      assertThat(store.packCount()).isEqualTo(1);
    }
    assertThat(oldPack).doesNotExist();
    assertThat(dir.resolve("packs/" + oldId + ".replaced")).doesNotExist();
  }

  @Test
  void indexLeftByAnInterruptedRepackIsRemovedWhenItsObjectsAreInTheNewPack() throws IOException {
    commitEach("first note", "second note");
    Path oldIndex = files(".idx").get(0);
    byte[] saved = Files.readAllBytes(oldIndex);
    try (PackContentStore store = PackContentStore.open(dir)) {
      store.repack(DeltaPlan.NONE);
    }
    Files.write(oldIndex, saved); // a crash after the old pack was deleted, before its index
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems()).isEmpty();
    }
    assertThat(oldIndex).doesNotExist();
  }
}
