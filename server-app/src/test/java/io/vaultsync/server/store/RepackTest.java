package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.TestDeltas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepackTest {
  @TempDir Path dir;

  /** 30 versions of one note, each an append to the previous, in one batch each. */
  private static List<byte[]> history(long seed) {
    Random random = new Random(seed);
    List<byte[]> versions = new ArrayList<>();
    StringBuilder note = new StringBuilder("# Note\n");
    for (int i = 0; i < 120; i++) {
      note.append("line ").append(i).append(' ').append(random.nextInt(1_000_000)).append('\n');
    }
    for (int v = 0; v < 30; v++) {
      note.append("- edit ").append(v).append(' ').append(random.nextLong()).append('\n');
      versions.add(note.toString().getBytes(StandardCharsets.UTF_8));
    }
    return versions;
  }

  private static List<ContentHash> store(PackContentStore store, List<byte[]> versions)
      throws IOException {
    List<ContentHash> hashes = new ArrayList<>();
    for (byte[] v : versions) {
      try (StagingBatch batch = store.newBatch()) {
        hashes.add(batch.stage(out -> out.write(v)).hash());
        batch.commit();
      }
    }
    return hashes;
  }

  private List<Path> packFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("packs"))) {
      return s.filter(p -> p.toString().endsWith(".pack")).toList();
    }
  }

  /** old version i → newer version i + 1; the last is the head. */
  private static DeltaPlan chainPlan(List<ContentHash> hashes) {
    Map<ContentHash, ContentHash> newer = new HashMap<>();
    for (int i = 0; i + 1 < hashes.size(); i++) {
      newer.put(hashes.get(i), hashes.get(i + 1));
    }
    return new DeltaPlan(newer, Set.of(hashes.get(hashes.size() - 1)));
  }

  private static void assertAllReadBack(
      PackContentStore store, List<ContentHash> hashes, List<byte[]> versions) throws IOException {
    for (int i = 0; i < hashes.size(); i++) {
      StoredObject o = store.open(hashes.get(i));
      assertThat(o.size()).isEqualTo(versions.get(i).length);
      try (InputStream in = o.stream()) {
        assertThat(in.readAllBytes()).as("version %d", i).isEqualTo(versions.get(i));
      }
      byte[] some = new byte[10];
      o.basis().readFully(5, some, 0, 10);
      assertThat(some).isEqualTo(java.util.Arrays.copyOfRange(versions.get(i), 5, 15));
    }
  }

  private int depth(PackContentStore store, ContentHash h) {
    int d = 0;
    for (ObjectLocation l = store.location(h); l.base() != null; d++) {
      l = store.location(l.base());
    }
    return d;
  }

  @Test
  void oldVersionsBecomeDeltasReadBackIdenticalAndTheHeadStaysWhole() throws IOException {
    List<byte[]> versions = history(11);
    try (PackContentStore store = PackContentStore.open(dir)) {
      List<ContentHash> hashes = store(store, versions);
      RepackStats stats = store.repack(chainPlan(hashes));
      assertThat(stats.packsBefore()).isEqualTo(30);
      assertThat(stats.objects()).isEqualTo(30);
      assertThat(stats.deltas()).isGreaterThanOrEqualTo(25);
      assertThat(stats.bytesAfter()).isLessThan(stats.bytesBefore() / 4);
      assertThat(store.packCount()).isEqualTo(1);
      assertThat(store.location(hashes.get(29)).base()).isNull();
      for (ContentHash h : hashes) {
        assertThat(depth(store, h)).isLessThanOrEqualTo(DeltaChains.MAX_DEPTH);
      }
      assertAllReadBack(store, hashes, versions);
    }
    try (PackContentStore store = PackContentStore.open(dir)) {
      List<ContentHash> hashes = versions.stream().map(ContentHash::digestOf).toList();
      assertAllReadBack(store, hashes, versions);
      RepackStats again = store.repack(chainPlan(hashes));
      assertThat(again.encoded()).as("existing deltas are copied, not re-encoded").isZero();
      assertAllReadBack(store, hashes, versions);
    }
    try (Stream<Path> files = Files.list(dir.resolve("packs"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .hasSize(2)
          .noneMatch(n -> n.startsWith(".vstmp"));
    }
  }

  @Test
  void anObjectOpenedBeforeTwoRepacksStillReadsItsBytes() throws IOException {
    List<byte[]> versions = history(14);
    try (PackContentStore store = PackContentStore.open(dir)) {
      List<ContentHash> hashes = store(store, versions);
      ContentHash head = hashes.get(hashes.size() - 1);
      StoredObject opened = store.open(head); // e.g. a commit's base, or a fetch in progress
      store.repack(chainPlan(hashes));
      store.repack(chainPlan(hashes)); // closes the channels the first repack retired
      try (java.io.InputStream in = opened.stream()) {
        assertThat(in.readAllBytes()).isEqualTo(versions.get(versions.size() - 1));
      }
      byte[] part = new byte[5];
      opened.basis().readFully(3, part, 0, 5);
      assertThat(part)
          .isEqualTo(java.util.Arrays.copyOfRange(versions.get(versions.size() - 1), 3, 8));
    }
  }

  @Test
  void cyclicPlanIsCutAndEverythingStillReads() throws IOException {
    List<byte[]> versions = history(12).subList(0, 3);
    try (PackContentStore store = PackContentStore.open(dir)) {
      List<ContentHash> h = store(store, versions);
      DeltaPlan cycle =
          new DeltaPlan(
              Map.of(h.get(0), h.get(1), h.get(1), h.get(2), h.get(2), h.get(0)), Set.of());
      store.repack(cycle);
      assertThat(h).anyMatch(x -> store.location(x).base() == null);
      assertAllReadBack(store, h, versions);
    }
  }

  @Test
  void crashAfterTheNewIndexButBeforeOldPacksWereDeletedLosesNothing() throws IOException {
    List<byte[]> versions = history(13);
    Path saved = Files.createDirectories(dir.resolve("saved"));
    List<ContentHash> hashes;
    try (PackContentStore store = PackContentStore.open(dir.resolve("s"))) {
      hashes = store(store, versions);
      try (Stream<Path> files = Files.list(dir.resolve("s/packs"))) {
        for (Path p : files.toList()) {
          Files.copy(p, saved.resolve(p.getFileName()));
        }
      }
      store.repack(chainPlan(hashes));
    }
    // the old packs are back, as if the process died right after the new index was renamed
    try (Stream<Path> files = Files.list(saved)) {
      for (Path p : files.toList()) {
        Files.copy(p, dir.resolve("s/packs").resolve(p.getFileName()));
      }
    }
    Files.writeString(dir.resolve("s/packs/.vstmp-p0000000000000-0.pack"), "half a repack");
    try (PackContentStore store = PackContentStore.open(dir.resolve("s"))) {
      assertAllReadBack(store, hashes, versions);
      store.repack(chainPlan(hashes));
      assertThat(store.packCount()).isEqualTo(1);
      assertAllReadBack(store, hashes, versions);
    }
  }

  @Test
  void commitsDuringAndAfterARepackStayReadable() throws IOException {
    List<byte[]> versions = history(14);
    try (PackContentStore store = PackContentStore.open(dir)) {
      List<ContentHash> hashes = store(store, versions.subList(0, 20));
      try (StagingBatch open = store.newBatch()) {
        ContentHash staged = open.stage(out -> out.write(versions.get(20))).hash();
        store.repack(chainPlan(hashes));
        open.commit();
        assertThat(store.has(staged)).isTrue();
      }
      List<ContentHash> later = store(store, versions.subList(21, 30));
      List<ContentHash> all = new ArrayList<>(hashes);
      all.add(ContentHash.digestOf(versions.get(20)));
      all.addAll(later);
      assertAllReadBack(store, all, versions);
      assertThat(store.packCount()).isEqualTo(11);
    }
  }

  /** Writes a pack of {@code data} with a hand-made index, as a corrupt or hostile disk might. */
  private void craftedPack(byte[] data, List<PackIndexFormat.Entry> entries) throws IOException {
    Path packs = Files.createDirectories(dir.resolve("packs"));
    Files.write(packs.resolve("p1.pack"), data);
    java.io.ByteArrayOutputStream idx = new java.io.ByteArrayOutputStream();
    PackIndexFormat.write(entries, data.length, false, idx);
    Files.write(packs.resolve("p1.idx"), idx.toByteArray());
  }

  @Test
  void deltaCycleOnDiskIsACorruptDataErrorNotAHang() throws IOException {
    ContentHash a = ContentHash.digestOf(new byte[] {1});
    ContentHash b = ContentHash.digestOf(new byte[] {2});
    craftedPack(
        new byte[8],
        List.of(
            new PackIndexFormat.Entry(a, 0, 4, b, 1), new PackIndexFormat.Entry(b, 4, 4, a, 1)));
    try (PackContentStore store = PackContentStore.open(dir)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.open(a))
          .isInstanceOf(DamagedContentException.class)
          .hasCauseInstanceOf(io.vaultsync.core.format.CorruptDataException.class)
          .hasMessageContaining("longer than 8");
    }
  }

  @Test
  void deltaThatPatchesToOtherContentIsRefused() throws IOException {
    byte[] base = "the base content of a note\n".getBytes(StandardCharsets.UTF_8);
    byte[] other = "some other content entirely\n".getBytes(StandardCharsets.UTF_8);
    byte[] d = TestDeltas.delta(base, other);
    byte[] pack = new byte[base.length + d.length];
    System.arraycopy(base, 0, pack, 0, base.length);
    System.arraycopy(d, 0, pack, base.length, d.length);
    ContentHash claimed =
        ContentHash.digestOf("what the index claims".getBytes(StandardCharsets.UTF_8));
    ContentHash baseHash = ContentHash.digestOf(base);
    craftedPack(
        pack,
        List.of(
            new PackIndexFormat.Entry(baseHash, 0, base.length),
            new PackIndexFormat.Entry(claimed, base.length, d.length, baseHash, other.length)));
    try (PackContentStore store = PackContentStore.open(dir)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.open(claimed))
          .isInstanceOf(DamagedContentException.class)
          .hasCauseInstanceOf(io.vaultsync.core.format.CorruptDataException.class);
      assertThat(store.has(claimed)).as("a damaged copy is no longer served").isFalse();
    }
  }

  /**
   * A repack that meets a damaged object copies nothing of it: the pack holding it is left in place
   * (evidence for server check), reported once, and every other pack is repacked.
   */
  @Test
  void repackLeavesAPackWithADamagedObjectAloneAndRepacksTheRest() throws IOException {
    List<byte[]> versions = history(15);
    List<ContentHash> hashes = new ArrayList<>();
    Path damagedPack = null;
    try (PackContentStore store = PackContentStore.open(dir)) {
      for (int i = 0; i < 5; i++) {
        List<Path> before = packFiles();
        hashes.addAll(store(store, versions.subList(i, i + 1)));
        if (i == 2) { // the pack this batch wrote (names sort by time only across milliseconds)
          List<Path> after = new ArrayList<>(packFiles());
          after.removeAll(before);
          damagedPack = after.get(0);
        }
      }
    }
    byte[] bytes = Files.readAllBytes(damagedPack);
    bytes[bytes.length - 5] ^= 0x10;
    Files.write(damagedPack, bytes);
    List<String> reported = new ArrayList<>();
    try (PackContentStore store = PackContentStore.open(dir)) {
      store.listen(
          new StoreEvents() {
            @Override
            public void damaged(ContentHash hash, long size, String where, String why) {
              reported.add(hash.hex());
            }

            @Override
            public void stored(java.util.Collection<ContentHash> stored) {}
          });
      RepackStats stats = store.repack(DeltaPlan.NONE);
      assertThat(stats.objects()).isEqualTo(4);
      assertThat(reported).containsExactly(hashes.get(2).hex());
      assertThat(store.has(hashes.get(2))).isFalse();
      assertThat(store.packCount()).isEqualTo(2);
      for (int i : new int[] {0, 1, 3, 4}) {
        try (InputStream in = store.open(hashes.get(i)).stream()) {
          assertThat(in.readAllBytes()).isEqualTo(versions.get(i));
        }
      }
    }
    assertThat(damagedPack).exists();
  }

  @Test
  void emptyStoreRepacksToNothing() throws IOException {
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.repack(DeltaPlan.NONE).objects()).isZero();
      assertThat(store.packCount()).isZero();
    }
  }
}
