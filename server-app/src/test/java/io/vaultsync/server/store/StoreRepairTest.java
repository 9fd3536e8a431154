package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repairs of {@code server check --repair} on the store's files; nothing is ever deleted. */
class StoreRepairTest {
  @TempDir Path dir;

  private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private List<Path> files(String extension) throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("packs"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(extension)).sorted().toList();
    }
  }

  /** An unframed (version 1) pack of {@code contents} and its index, as an old server wrote. */
  private Map<ContentHash, Long> unframedPack(String id, String... contents) throws IOException {
    Path packs = Files.createDirectories(dir.resolve("packs"));
    java.io.ByteArrayOutputStream pack = new java.io.ByteArrayOutputStream();
    List<PackIndexFormat.Entry> entries = new ArrayList<>();
    Map<ContentHash, Long> named = new HashMap<>();
    for (String c : contents) {
      byte[] b = bytes(c);
      entries.add(new PackIndexFormat.Entry(ContentHash.digestOf(b), pack.size(), b.length));
      named.put(ContentHash.digestOf(b), (long) b.length);
      pack.write(b);
    }
    Files.write(packs.resolve(id + ".pack"), pack.toByteArray());
    java.io.ByteArrayOutputStream idx = new java.io.ByteArrayOutputStream();
    PackIndexFormat.write(entries, pack.size(), false, idx);
    Files.write(packs.resolve(id + ".idx"), idx.toByteArray());
    return named;
  }

  @Test
  void walkOfAnUnframedPackStopsWhereNoNamedContentFitsAndKeepsTheRest() throws IOException {
    Map<ContentHash, Long> named = unframedPack("p1", "alpha note\n", "beta\n", "gamma gamma\n");
    named.remove(ContentHash.digestOf(bytes("beta\n"))); // the database does not name it
    Files.delete(dir.resolve("packs/p1.idx"));

    List<String> done = new StoreRepair(dir, clock).rebuildIndexes(named);

    assertThat(done)
        .containsExactly(
            "rebuilt the index of "
                + dir.resolve("packs/p1.pack")
                + " by matching the database's contents at each offset: 1 objects, 17 bytes"
                + " from offset 11 unidentified (kept in the pack)");
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems()).isEmpty();
      try (InputStream in = store.open(ContentHash.digestOf(bytes("alpha note\n"))).stream()) {
        assertThat(in.readAllBytes()).isEqualTo(bytes("alpha note\n"));
      }
      assertThat(store.has(ContentHash.digestOf(bytes("gamma gamma\n")))).isFalse();
    }
    assertThat(Files.size(dir.resolve("packs/p1.pack"))).isEqualTo(28);
  }

  @Test
  void indexOfAPackCutShortIsRewrittenWithoutTheObjectsCutOff() throws IOException {
    unframedPack("p1", "alpha note\n", "beta\n", "gamma gamma\n");
    try (var ch =
        java.nio.channels.FileChannel.open(
            dir.resolve("packs/p1.pack"), java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(16);
    }

    List<String> done = new StoreRepair(dir, clock).rebuildIndexes(Map.of());

    assertThat(done)
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("rewrote the index of " + dir.resolve("packs/p1.pack"))
                    .contains(
                        "without the 1 objects cut off (old index moved to "
                            + dir.resolve("damaged/p1.idx.20261207-100000")));
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems()).isEmpty();
      assertThat(store.has(ContentHash.digestOf(bytes("beta\n")))).isTrue();
    }
  }

  @Test
  void packAnInterruptedRepackReplacedIsLeftForTheStoreToRemoveNotReindexed() throws IOException {
    Map<ContentHash, Long> named = unframedPack("p1", "alpha note\n");
    Files.move(dir.resolve("packs/p1.idx"), dir.resolve("packs/p1.replaced"));

    assertThat(new StoreRepair(dir, clock).rebuildIndexes(named)).isEmpty();

    assertThat(dir.resolve("packs/p1.idx")).doesNotExist();
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems()).isEmpty();
    }
    assertThat(dir.resolve("packs/p1.pack")).doesNotExist();
  }

  @Test
  void indexWhosePackIsGoneIsMovedAsideNotDeleted() throws IOException {
    unframedPack("p1", "alpha note\n");
    Files.delete(dir.resolve("packs/p1.pack"));
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems()).hasSize(1);
    }

    List<String> done = new StoreRepair(dir, clock).rebuildIndexes(Map.of());

    assertThat(done)
        .containsExactly(
            "moved the index "
                + dir.resolve("packs/p1.idx")
                + " of a missing pack to "
                + dir.resolve("damaged/p1.idx.20261207-100000")
                + " (1 objects it named are stored nowhere else)");
    assertThat(dir.resolve("damaged/p1.idx.20261207-100000")).exists();
    try (PackContentStore store = PackContentStore.open(dir)) {
      assertThat(store.problems()).isEmpty();
    }
    assertThat(files(".idx")).isEmpty();
  }
}
