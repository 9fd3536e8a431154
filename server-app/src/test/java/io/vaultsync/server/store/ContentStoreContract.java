package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContentStore} promises, stated once: each implementation's test extends this
 * and says only how to open a store ({@link PackContentStore} here, the S3 store in server-s3). The
 * store is closed by the subclass (or with its fixture).
 */
public abstract class ContentStoreContract {
  /** A new, empty store. */
  protected abstract ContentStore store() throws Exception;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] read(StoredObject o) throws IOException {
    try (InputStream in = o.stream()) {
      return in.readAllBytes();
    }
  }

  @Test
  void stagedContentIsInvisibleUntilCommitThenReadableWithItsSize() throws Exception {
    ContentStore store = store();
    ContentHash h;
    try (StagingBatch batch = store.newBatch()) {
      Staged s = batch.stage(out -> out.write(bytes("hello")));
      h = s.hash();
      assertThat(h).isEqualTo(ContentHash.digestOf(bytes("hello")));
      assertThat(s.size()).isEqualTo(5);
      assertThat(store.has(h)).isFalse();
      assertThat(store.size(h)).isEmpty();
      batch.commit();
    }
    assertThat(store.has(h)).isTrue();
    assertThat(store.size(h)).contains(5L);
    StoredObject o = store.open(h);
    assertThat(o.hash()).isEqualTo(h);
    assertThat(o.size()).isEqualTo(5);
    assertThat(read(o)).isEqualTo(bytes("hello"));
  }

  @Test
  void aClosedUncommittedBatchAndAFailingSourceLeaveNothing() throws Exception {
    ContentStore store = store();
    ContentHash kept;
    try (StagingBatch batch = store.newBatch()) {
      assertThatThrownBy(
              () ->
                  batch.stage(
                      out -> {
                        out.write(bytes("partial"));
                        throw new IOException("source failed");
                      }))
          .hasMessage("source failed");
      kept = batch.stage(out -> out.write(bytes("after the failure"))).hash();
      assertThat(read(batch.open(kept))).isEqualTo(bytes("after the failure"));
      batch.stage(out -> out.write(bytes("never committed")));
    }
    assertThat(store.has(kept)).isFalse();
    assertThat(store.has(ContentHash.digestOf(bytes("partial")))).isFalse();
    assertThatThrownBy(() -> store.open(ContentHash.digestOf(bytes("never committed"))))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void contentStagedTwiceOrStoredBeforeReadsBackTheSame() throws Exception {
    ContentStore store = store();
    ContentHash a;
    try (StagingBatch batch = store.newBatch()) {
      a = batch.stage(out -> out.write(bytes("same"))).hash();
      assertThat(batch.stage(out -> out.write(bytes("same"))).hash()).isEqualTo(a);
      batch.commit();
    }
    try (StagingBatch batch = store.newBatch()) {
      assertThat(batch.stage(out -> out.write(bytes("same"))).hash()).isEqualTo(a);
      assertThat(read(batch.open(a))).isEqualTo(bytes("same"));
      batch.commit();
    }
    assertThat(read(store.open(a))).isEqualTo(bytes("same"));
  }

  @Test
  void aBatchOpensStoredContentAsABase() throws Exception {
    ContentStore store = store();
    ContentHash base;
    try (StagingBatch batch = store.newBatch()) {
      base = batch.stage(out -> out.write(bytes("base version"))).hash();
      batch.commit();
    }
    try (StagingBatch batch = store.newBatch()) {
      assertThat(read(batch.open(base))).isEqualTo(bytes("base version"));
      assertThatThrownBy(() -> batch.open(ContentHash.digestOf(bytes("nowhere"))))
          .isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void emptyAndLargeContentReadBackWithRandomAccess() throws Exception {
    ContentStore store = store();
    byte[] large = new byte[3 << 20];
    new Random(42).nextBytes(large);
    ContentHash empty;
    ContentHash big;
    try (StagingBatch batch = store.newBatch()) {
      assertThat(batch.isEmpty()).isTrue();
      empty = batch.stage(out -> {}).hash();
      big = batch.stage(out -> out.write(large)).hash();
      assertThat(batch.isEmpty()).isFalse();
      batch.commit();
    }
    assertThat(read(store.open(empty))).isEmpty();
    StoredObject o = store.open(big);
    assertThat(read(o)).isEqualTo(large);
    byte[] part = new byte[100];
    o.basis().readFully(2_000_000, part, 0, 100);
    assertThat(part).isEqualTo(java.util.Arrays.copyOfRange(large, 2_000_000, 2_000_100));
  }

  @Test
  void aBatchIsDoneOnceCommittedAndAnEmptyCommitDoesNothing() throws Exception {
    ContentStore store = store();
    try (StagingBatch batch = store.newBatch()) {
      batch.commit();
    }
    try (StagingBatch batch = store.newBatch()) {
      batch.stage(out -> out.write(bytes("once")));
      batch.commit();
      assertThatThrownBy(() -> batch.stage(out -> out.write(bytes("twice"))))
          .isInstanceOf(IllegalStateException.class);
    }
    assertThat(store.has(ContentHash.digestOf(bytes("once")))).isTrue();
  }
}
