package io.vaultsync.server.s3;

import static io.vaultsync.server.s3.S3Fixture.put;
import static io.vaultsync.server.s3.S3Fixture.random;
import static io.vaultsync.server.s3.S3Fixture.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.DamagedContentException;
import io.vaultsync.server.store.MissingContentException;
import io.vaultsync.server.store.StagingBatch;
import io.vaultsync.server.store.StoreEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link S3ContentStore} against s3proxy and SQLite: storing, reading, dedup, damage, the cache.
 */
class S3ContentStoreTest extends S3TestBase {
  @Test
  void aBatchOfManyNotesIsOnePutAndItsNotesReadBackInAnotherProcess() throws IOException {
    S3ContentStore a = f.store();
    List<byte[]> notes = new ArrayList<>();
    List<ContentHash> hashes = new ArrayList<>();
    try (StagingBatch batch = a.newBatch()) {
      for (int i = 0; i < 500; i++) {
        byte[] note = ("# note " + i + "\n" + "text ".repeat(i)).getBytes();
        notes.add(note);
        hashes.add(batch.stage(out -> out.write(note)).hash());
      }
      assertThat(a.has(hashes.get(0))).as("invisible before commit").isFalse();
      batch.commit();
    }
    assertThat(a.bucket().puts.get()).as("one PUT for 500 notes").isEqualTo(1);
    assertThat(f.packKeys(a)).hasSize(1);

    S3ContentStore b = f.store(); // another process: same database and bucket, its own cache
    for (int i = 0; i < notes.size(); i++) {
      assertThat(b.has(hashes.get(i))).isTrue();
      assertThat(b.size(hashes.get(i))).contains((long) notes.get(i).length);
    }
    for (int i = 0; i < notes.size(); i += 10) { // a GET each: a sample keeps the test quick
      assertThat(read(b, hashes.get(i))).isEqualTo(notes.get(i));
    }
  }

  @Test
  void aReadFetchesOnlyTheObjectsBytesWithARangedGet() throws IOException {
    S3ContentStore a = f.store(0); // no cache: every read goes to the object store
    byte[] big1 = random(3 << 20, 1);
    byte[] small = random(1000, 2);
    byte[] big2 = random(3 << 20, 3);
    ContentHash hs;
    try (StagingBatch batch = a.newBatch()) {
      batch.stage(out -> out.write(big1));
      hs = batch.stage(out -> out.write(small)).hash();
      batch.stage(out -> out.write(big2));
      batch.commit();
    }
    assertThat(read(a, hs)).isEqualTo(small);
    assertThat(a.bucket().bytesRead.get()).isEqualTo(1000);
  }

  @Test
  void contentStoredBeforeIsNotUploadedAgain() throws IOException {
    S3ContentStore a = f.store();
    byte[] x = random(50_000, 4);
    byte[] y = random(70_000, 5);
    ContentHash hx = put(a, x);
    assertThat(put(a, x)).isEqualTo(hx);
    assertThat(f.packKeys(a)).as("nothing new: no second pack").hasSize(1);

    ContentHash hy = put(a, x, y, y); // one old, one new staged twice
    List<String> keys = f.packKeys(a);
    assertThat(keys).hasSize(2);
    long newest =
        keys.stream()
            .mapToLong(k -> f.s3.file(S3Fixture.BUCKET, k).toFile().length())
            .min()
            .orElseThrow();
    assertThat(newest).as("the new pack holds y once, not x").isLessThan(71_000);
    assertThat(read(a, hx)).isEqualTo(x);
    assertThat(read(a, hy)).isEqualTo(y);
  }

  @Test
  void aBatchClosedWithoutCommitOrAFailingSourceLeavesNothing() throws IOException {
    S3ContentStore a = f.store();
    ContentHash h;
    try (StagingBatch batch = a.newBatch()) {
      h = batch.stage(out -> out.write(random(10_000, 6))).hash();
      assertThat(readStaged(batch, h)).hasSize(10_000);
      assertThatThrownBy(
              () ->
                  batch.stage(
                      out -> {
                        out.write(random(5000, 7));
                        throw new IOException("source failed");
                      }))
          .hasMessage("source failed");
    }
    assertThat(a.has(h)).isFalse();
    assertThat(f.packKeys(a)).isEmpty();
    assertThat(a.gcIndex().pinned()).isEmpty();
    try (Stream<Path> tmp = Files.list(dir.resolve("cache-1").resolve("tmp"))) {
      assertThat(tmp).as("the batch's local file is gone").isEmpty();
    }
    assertThatThrownBy(() -> a.open(h)).isInstanceOf(MissingContentException.class);
  }

  private static byte[] readStaged(StagingBatch batch, ContentHash h) throws IOException {
    try (var in = batch.open(h).stream()) {
      return in.readAllBytes();
    }
  }

  @Test
  void aDamagedObjectIsNeverServedAndReadsAsMissingUntilStoredAgain() throws IOException {
    S3ContentStore writer = f.store();
    byte[] x = random(20_000, 8);
    ContentHash hx = put(writer, x);
    String key = f.packKeys(writer).get(0);
    S3ProxyServer.flipByte(f.s3.file(S3Fixture.BUCKET, key), 5000);

    S3ContentStore reader = f.store(0);
    List<ContentHash> damaged = new ArrayList<>();
    reader.listen(
        new StoreEvents() {
          @Override
          public void damaged(ContentHash hash, long size, String where, String why) {
            damaged.add(hash);
          }

          @Override
          public void stored(Collection<ContentHash> hashes) {}
        });
    assertThatThrownBy(() -> reader.open(hx))
        .isInstanceOf(DamagedContentException.class)
        .hasMessageContaining(hx.hex());
    assertThat(damaged).containsExactly(hx);
    assertThat(reader.has(hx)).as("every process now sees it missing").isFalse();
    assertThat(writer.has(hx)).isFalse();

    assertThat(put(writer, x)).isEqualTo(hx); // a device gives it back
    assertThat(read(reader, hx)).isEqualTo(x);
  }

  @Test
  void theCacheStaysWithinItsBoundAndServesRepeatReads() throws IOException {
    S3ContentStore a = f.store();
    List<byte[]> all = new ArrayList<>();
    List<ContentHash> hashes = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      byte[] b = random(100_000, 10 + i);
      all.add(b);
      hashes.add(put(a, b));
    }
    long bound = 250_000;
    S3ContentStore b = f.store(bound);
    for (int i = 0; i < 6; i++) {
      assertThat(read(b, hashes.get(i))).isEqualTo(all.get(i));
      assertThat(b.cachedBytes()).isLessThanOrEqualTo(bound);
    }
    try (Stream<Path> files = Files.list(dir.resolve("cache-2").resolve("objects"))) {
      assertThat(files.mapToLong(p -> p.toFile().length()).sum()).isLessThanOrEqualTo(bound);
    }
    long before = b.bucket().bytesRead.get();
    assertThat(read(b, hashes.get(5))).isEqualTo(all.get(5));
    assertThat(b.bucket().bytesRead.get()).as("served from the cache").isEqualTo(before);
    assertThat(read(b, hashes.get(0))).isEqualTo(all.get(0));
    assertThat(b.bucket().bytesRead.get()).as("evicted: fetched again").isGreaterThan(before);
  }

  @Test
  void aDamagedCachedCopyIsDroppedAndFetchedAgain() throws IOException {
    S3ContentStore a = f.store();
    byte[] x = random(3 << 20, 20); // large: served from the cache file
    byte[] y = random(2000, 21); // small: read into memory
    ContentHash hx = put(a, x);
    ContentHash hy = put(a, y);
    S3ContentStore b = f.store();
    read(b, hx);
    read(b, hy);
    b.close();
    Path objects = dir.resolve("cache-2").resolve("objects");
    S3ProxyServer.flipByte(objects.resolve(hx.hex()), 100);
    S3ProxyServer.flipByte(objects.resolve(hy.hex()), 100);

    S3ContentStore again = S3ContentStore.open(f.settings(64L << 20, dir.resolve("cache-2")), f.db);
    try {
      assertThat(read(again, hx)).isEqualTo(x);
      assertThat(read(again, hy)).isEqualTo(y);
      assertThat(again.bucket().bytesRead.get()).isEqualTo(x.length + y.length);
    } finally {
      again.close();
    }
  }

  @Test
  void anIndexRowClaimingAHugeLengthIsRefusedBeforeAnythingIsAllocated() throws IOException {
    S3ContentStore a = f.store();
    ContentHash h = put(a, random(1000, 30));
    f.db.transaction(
        c -> {
          try (var s =
              c.prepareStatement(
                  "UPDATE s3_objects SET stored_length = ?, content_size = ? WHERE hash = ?")) {
            s.setLong(1, Long.MAX_VALUE - 10);
            s.setLong(2, Long.MAX_VALUE - 10);
            s.setString(3, h.hex());
            s.executeUpdate();
          }
          return null;
        });
    assertThatThrownBy(() -> a.open(h))
        .isInstanceOf(DamagedContentException.class)
        .hasMessageContaining("index row of " + h.hex())
        .hasMessageContaining("length " + (Long.MAX_VALUE - 10));
  }
}
