package io.vaultsync.server.s3;

import static io.vaultsync.server.s3.S3Fixture.put;
import static io.vaultsync.server.s3.S3Fixture.random;
import static io.vaultsync.server.s3.S3Fixture.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.StagingBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Content GC and the orphan sweep of {@link S3ContentStore}, with two stores standing for two
 * server processes on one database and bucket.
 */
class S3ContentGcTest extends S3TestBase {
  @Test
  void anOrphanPackIsDeletedOnlyAfterTheGraceAndACommittedPackNever() throws Exception {
    S3ContentStore a = f.store();
    ContentHash kept = put(a, random(10_000, 1));
    a.commitHook =
        step -> {
          if (step.equals("after-put")) {
            f.db.down.set(true); // the database fails between the PUT and the index rows
          }
        };
    byte[] lost = random(10_000, 2);
    assertThatThrownBy(() -> put(a, lost)).isInstanceOf(IOException.class);
    f.db.down.set(false);
    a.commitHook = step -> {};
    assertThat(f.packKeys(a)).hasSize(2);
    assertThat(a.has(ContentHash.digestOf(lost))).isFalse();

    OrphanStats early = a.deleteOrphans(S3ContentStore.DEFAULT_ORPHAN_GRACE);
    assertThat(early.deleted()).isZero();
    assertThat(f.packKeys(a)).hasSize(2);

    f.clock.advance(S3ContentStore.DEFAULT_ORPHAN_GRACE.plusMinutes(1));
    OrphanStats late = a.deleteOrphans(S3ContentStore.DEFAULT_ORPHAN_GRACE);
    assertThat(late.deleted()).isEqualTo(1);
    assertThat(f.packKeys(a)).hasSize(1);
    assertThat(read(a, kept)).hasSize(10_000);
  }

  @Test
  void aGraceShorterThanTwiceTheLongestCommitIsRefused() throws IOException {
    S3ContentStore a = f.store();
    assertThatThrownBy(() -> a.deleteOrphans(Duration.ofMinutes(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT5M");
  }

  @Test
  void aCommitSlowerThanTheLongestCommitIsRefusedAndLeavesOnlyAnOrphan() throws IOException {
    S3ContentStore a = f.store();
    a.commitHook =
        step -> {
          if (step.equals("after-put")) {
            f.clock.advance(S3ContentStore.MAX_COMMIT.plusSeconds(1));
          }
        };
    byte[] x = random(1000, 3);
    assertThatThrownBy(() -> put(a, x)).hasMessageContaining("orphan");
    assertThat(a.has(ContentHash.digestOf(x))).isFalse();
  }

  @Test
  void contentGcKeepsEveryRootAndDropsAndReclaimsTheRest() throws IOException {
    S3ContentStore a = f.store();
    byte[] root1 = random(40_000, 10);
    byte[] dead1 = random(40_000, 11);
    byte[] root2 = random(10_000, 12);
    byte[] dead2 = random(90_000, 13);
    ContentHash r1 = put(a, root1);
    ContentHash d1 = put(a, dead1);
    ContentHash r2;
    ContentHash d2;
    try (StagingBatch b = a.newBatch()) {
      r2 = b.stage(out -> out.write(root2)).hash();
      d2 = b.stage(out -> out.write(dead2)).hash();
      b.commit();
    }
    assertThat(f.packKeys(a)).hasSize(3);

    S3GcStats gc = a.collect(() -> Set.of(r1, r2));

    assertThat(gc.dropped()).isEqualTo(2);
    assertThat(gc.droppedBytes()).isEqualTo(130_000);
    assertThat(gc.packsDeleted()).as("dead1's pack").isEqualTo(1);
    assertThat(gc.packsRewritten()).as("root2 + dead2: mostly dead").isEqualTo(1);
    assertThat(a.has(d1)).isFalse();
    assertThat(a.has(d2)).isFalse();
    S3ContentStore b = f.store(0); // another process, nothing cached
    assertThat(read(b, r1)).isEqualTo(root1);
    assertThat(read(b, r2)).isEqualTo(root2);
    List<String> keys = f.packKeys(a);
    assertThat(keys).hasSize(2);
    long total = 0;
    for (String k : keys) {
      total += f.s3.file(S3Fixture.BUCKET, k).toFile().length();
    }
    assertThat(total).as("what is left holds the roots and little else").isLessThan(51_000);
  }

  /**
   * The race the pins and generations close: process B deduplicates against content no root names
   * while process A collects. X: B's batch committed (deduplicated) before the collection began and
   * is not closed yet (its ledger rows pending). Y: B deduplicates after A read its roots. Z: B
   * stages it after A dropped it, so B uploads its own copy. W: nobody touches it: dropped.
   */
  @Test
  void contentACommitInAnotherProcessReliesOnIsNeverDropped() throws IOException {
    S3ContentStore a = f.store();
    S3ContentStore b = f.store();
    byte[] x = random(10_000, 20);
    byte[] y = random(10_000, 21);
    byte[] z = random(10_000, 22);
    byte[] w = random(10_000, 23);
    ContentHash hx = put(a, x);
    ContentHash hy = put(a, y);
    ContentHash hz = put(a, z);
    ContentHash hw = put(a, w);

    StagingBatch early = b.newBatch();
    early.stage(out -> out.write(x));
    early.commit();
    assertThat(early.isEmpty()).isFalse();
    int packsBefore = f.packKeys(a).size();
    assertThat(packsBefore).as("x deduplicated: no new pack").isEqualTo(4);

    List<StagingBatch> racing = new ArrayList<>();
    a.gcForTests().hook =
        step -> {
          try {
            if (step.equals("roots")) {
              StagingBatch late = b.newBatch();
              racing.add(late);
              late.stage(out -> out.write(y));
              late.commit();
              late.close(); // its ledger rows committed after the roots were read
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    S3GcStats gc = a.collect(() -> Set.of());
    a.gcForTests().hook = step -> {};

    assertThat(gc.kept()).as("x pinned, y touched").isEqualTo(2);
    assertThat(gc.dropped()).as("z and w").isEqualTo(2);
    assertThat(a.has(hw)).isFalse();
    assertThat(a.has(hz)).isFalse();
    assertThat(read(a, hx)).isEqualTo(x);
    assertThat(read(a, hy)).isEqualTo(y);

    assertThat(put(b, z)).isEqualTo(hz); // no row: uploaded anew
    assertThat(read(a, hz)).isEqualTo(z);
    early.close();

    // Nothing pins x or y any more: a next collection with the same roots drops them.
    Set<ContentHash> roots = new HashSet<>(Set.of(hz));
    S3GcStats next = a.collect(() -> roots);
    assertThat(next.dropped()).isEqualTo(2);
    assertThat(next.kept()).isZero();
    assertThat(read(b, hz)).isEqualTo(z);
  }

  /**
   * A read in another process that looked up an object's place just before a GC rewrote its pack
   * finds the old key gone, looks the row up again and reads the new place; one that looked up an
   * object the GC dropped reads it as missing, not as damaged.
   */
  @Test
  void aReadRacingARewriteFollowsTheObjectToItsNewPack() throws IOException {
    S3ContentStore a = f.store();
    byte[] live = random(10_000, 40);
    byte[] dead = random(90_000, 41);
    ContentHash hl;
    ContentHash hd;
    try (StagingBatch batch = a.newBatch()) {
      hl = batch.stage(out -> out.write(live)).hash();
      hd = batch.stage(out -> out.write(dead)).hash();
      batch.commit();
    }
    String oldPack = f.packKeys(a).get(0);
    S3ContentStore reader = f.store(0);
    reader.readsForTests().lookedUp =
        h -> {
          reader.readsForTests().lookedUp = x -> {};
          try {
            assertThat(a.collect(() -> Set.of(hl)).packsRewritten()).isEqualTo(1);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    assertThat(read(reader, hl)).isEqualTo(live);
    assertThat(f.packKeys(a)).hasSize(1).doesNotContain(oldPack);
    assertThatThrownBy(() -> reader.open(hd))
        .isInstanceOf(io.vaultsync.server.store.MissingContentException.class);
  }
}
