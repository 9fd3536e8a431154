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

  @Test
  void closedUncommittedBatchAndFailedSourceLeaveNothing() throws IOException {
    try (PackContentStore store = PackContentStore.open(dir)) {
      try (StagingBatch batch = store.newBatch()) {
        assertThatThrownBy(
                () ->
                    batch.stage(
                        out -> {
                          out.write(bytes("partial"));
                          throw new IOException("source failed");
                        }))
            .hasMessage("source failed");
        batch.stage(out -> out.write(bytes("never committed")));
      }
      assertThatThrownBy(() -> store.open(ContentHash.digestOf(bytes("never committed"))))
          .isInstanceOf(NoSuchFileException.class);
    }
    try (Stream<Path> s = Files.list(dir.resolve("packs"))) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void packWithoutIndexAndTemporaryFilesAreRemovedOnOpen() throws IOException {
    Files.createDirectories(dir.resolve("packs"));
    Files.writeString(dir.resolve("packs/p1.pack"), "orphan");
    Files.writeString(dir.resolve("packs/.vstmp-p2.idx"), "partial");
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.packCount()).isZero();
    }
    try (Stream<Path> s = Files.list(dir.resolve("packs"))) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void corruptIndexFailsOpenWithAFormatErrorInsteadOfLosingContent() throws IOException {
    try (PackContentStore store = PackContentStore.open(dir);
        StagingBatch batch = store.newBatch()) {
      batch.stage(out -> out.write(bytes("x")));
      batch.commit();
    }
    Path idx;
    try (Stream<Path> s = Files.list(dir.resolve("packs"))) {
      idx = s.filter(p -> p.toString().endsWith(".idx")).findFirst().orElseThrow();
    }
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
    assertThatThrownBy(() -> PackContentStore.open(dir)).isInstanceOf(FormatException.class);
  }
}
