package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content GC in the pack store ({@link PackContentStore#collect}): what no root names goes, what a
 * root names or a kept delta needs stays, and a batch racing the collection (deduplicating against
 * an object being dropped, or staging it anew) never loses the content it relies on. Issue 12 item
 * 9.
 */
class ContentGcTest {
  @TempDir Path dir;

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static ContentHash put(PackContentStore store, byte[] content) throws IOException {
    try (StagingBatch batch = store.newBatch()) {
      ContentHash h = batch.stage(out -> out.write(content)).hash();
      batch.commit();
      return h;
    }
  }

  private static byte[] read(PackContentStore store, ContentHash h) throws IOException {
    try (InputStream in = store.open(h).stream()) {
      return in.readAllBytes();
    }
  }

  @Test
  void unnamedObjectsAreDroppedAndNamedOnesAndTheBasesOfKeptDeltasStay() throws IOException {
    try (PackContentStore store = PackContentStore.open(dir)) {
      Map<ContentHash, byte[]> all = new HashMap<>();
      List<ContentHash> hashes = new ArrayList<>();
      // a note in three versions: v0 and v1 become deltas against their newer version
      StringBuilder note = new StringBuilder();
      for (int i = 0; i < 400; i++) {
        note.append("line ").append(i).append('\n');
      }
      for (int v = 0; v < 3; v++) {
        note.append("edit ").append(v).append('\n');
        byte[] b = note.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ContentHash h = put(store, b);
        all.put(h, b);
        hashes.add(h);
      }
      store.repack(
          new DeltaPlan(
              Map.of(hashes.get(0), hashes.get(1), hashes.get(1), hashes.get(2)),
              Set.of(hashes.get(2))));
      assertThat(store.location(hashes.get(0)).base()).isEqualTo(hashes.get(1));
      byte[] orphan = random(200_000, 1);
      ContentHash orphanHash = put(store, orphan);
      long before = store.packBytes();

      // Only v0 is named: v1 (its delta base) and v2 (v1's base) must stay; the orphan goes.
      GcStats gc = store.collect(() -> Set.of(hashes.get(0)), DeltaPlan.NONE);

      assertThat(gc.dropped()).isEqualTo(1);
      assertThat(gc.droppedBytes()).isEqualTo(200_000);
      assertThat(store.has(orphanHash)).isFalse();
      assertThat(store.packBytes()).isLessThan(before - 190_000);
      for (ContentHash h : hashes) {
        assertThat(read(store, h)).isEqualTo(all.get(h));
      }
    }
    try (PackContentStore reopened = PackContentStore.open(dir)) {
      assertThat(reopened.packCount()).isEqualTo(1);
      assertThat(reopened.hashes()).hasSize(3);
    }
  }

  /**
   * Batches racing a collection: one open since before it began (deduplicated Z, its ledger rows
   * still pending), one that deduplicates X after the roots were read and the kept objects were
   * written (a "late" pin), one that stages Y after Y was condemned (it must write its own copy).
   * None of X, Y, Z is named by the roots; all three stay readable, now and after a reopen; W,
   * which nobody touched, goes.
   */
  @Test
  void contentABatchDeduplicatesOrStagesWhileTheCollectionRunsIsNeverLost() throws Exception {
    byte[] x = random(10_000, 2);
    byte[] y = random(10_000, 3);
    byte[] z = random(10_000, 4);
    byte[] w = random(10_000, 5);
    byte[] named = random(10_000, 6);
    Set<ContentHash> roots = new HashSet<>();
    try (PackContentStore store = PackContentStore.open(dir)) {
      ContentHash hx = put(store, x);
      ContentHash hy = put(store, y);
      ContentHash hz = put(store, z);
      ContentHash hw = put(store, w);
      roots.add(put(store, named));

      StagingBatch early = store.newBatch(); // opened before the collection, still open
      assertThat(early.stage(out -> out.write(z)).hash()).isEqualTo(hz);
      early.commit(); // deduplicated: nothing new, the batch stays open until closed

      List<StagingBatch> racing = new ArrayList<>();
      store.gcHook =
          step -> {
            try {
              StagingBatch b = store.newBatch();
              racing.add(b);
              if (step.equals("rewritten")) {
                assertThat(b.stage(out -> out.write(x)).hash()).isEqualTo(hx); // dedup: pinned
              } else if (step.equals("condemned")) {
                assertThat(b.stage(out -> out.write(y)).hash()).isEqualTo(hy); // written anew
                assertThat(b.isEmpty()).as("a condemned object is not deduplicated").isFalse();
              }
              b.commit();
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          };

      GcStats gc = store.collect(() -> Set.copyOf(roots), DeltaPlan.NONE);
      store.gcHook = step -> {};
      early.close();
      for (StagingBatch b : racing) {
        b.close();
      }

      assertThat(gc.dropped()).as("W and Y (whose old copy went; Y lives on anew)").isEqualTo(2);
      assertThat(gc.pinned()).as("X, pinned after the roots were read").isEqualTo(1);
      assertThat(store.has(hw)).isFalse();
      assertThat(read(store, hx)).isEqualTo(x);
      assertThat(read(store, hy)).isEqualTo(y);
      assertThat(read(store, hz)).isEqualTo(z);
    }
    try (PackContentStore reopened = PackContentStore.open(dir)) {
      assertThat(read(reopened, ContentHash.digestOf(x))).isEqualTo(x);
      assertThat(read(reopened, ContentHash.digestOf(y))).isEqualTo(y);
      assertThat(read(reopened, ContentHash.digestOf(z))).isEqualTo(z);
      assertThat(reopened.has(ContentHash.digestOf(w))).isFalse();
    }
  }

  @Test
  void aStoreWhoseEveryObjectIsGarbageEndsEmptyAndReopens() throws IOException {
    try (PackContentStore store = PackContentStore.open(dir)) {
      put(store, random(1000, 7));
      put(store, random(1000, 8));
      GcStats gc = store.collect(Set::of, DeltaPlan.NONE);
      assertThat(gc.dropped()).isEqualTo(2);
      assertThat(store.hashes()).isEmpty();
    }
    try (PackContentStore reopened = PackContentStore.open(dir)) {
      assertThat(reopened.hashes()).isEmpty();
    }
  }
}
