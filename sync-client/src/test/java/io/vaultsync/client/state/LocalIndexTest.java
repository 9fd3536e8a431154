package io.vaultsync.client.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Building an index from entries in path order (an index file) or in any other order. */
class LocalIndexTest {
  @Test
  void entriesInAnyOrderGiveTheSameIndex() {
    long seed = System.nanoTime();
    List<IndexEntry> sorted = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sorted.add(entry(String.format("f%03d/n%03d.md", i / 10, i)));
    }
    List<IndexEntry> shuffled = new ArrayList<>(sorted);
    Collections.shuffle(shuffled, new Random(seed));

    LocalIndex fromSorted = new LocalIndex(3, sorted);
    LocalIndex fromShuffled = new LocalIndex(3, shuffled);

    assertThat(fromShuffled.entries()).as("seed %d", seed).isEqualTo(fromSorted.entries());
    assertThat(List.copyOf(fromSorted.entries().values())).isEqualTo(sorted);
    assertThat(fromSorted.hasUnsavedChanges()).isTrue(); // seq 3, never saved
  }

  @Test
  void aPartHoldsTheEntriesAtAndUnderItsRootsOnly() {
    // Byte order puts "Daily-old/…" and "Daily.md" between "Daily" and "Daily/…", "Dailyz.md"
    // after them: the walk must skip the first and stop at the last.
    List<String> paths =
        List.of(
            "Daily-old/x.md",
            "Daily.md",
            "Daily/a.md",
            "Daily/sub/b.md",
            "Dailyz.md",
            "Ideas.md",
            "Projects/plan.md");
    LocalIndex index = new LocalIndex(7, paths.stream().map(LocalIndexTest::entry).toList());

    LocalIndex part = index.part(List.of(NotePath.of("Daily"), NotePath.of("Ideas.md")));

    assertThat(part.entries().keySet().stream().map(NotePath::value))
        .containsExactly("Daily/a.md", "Daily/sub/b.md", "Ideas.md");
    assertThat(part.lastSeq()).isEqualTo(7);
    assertThat(part.hasUnsavedChanges()).isFalse();
    part.remove(NotePath.of("Ideas.md"));
    assertThat(index.get(NotePath.of("Ideas.md"))).isNotNull();
    assertThat(index.part(List.of(NotePath.of("Nothing"))).size()).isZero();
    assertThat(index.holdsAnythingUnder(NotePath.of("Daily"))).isTrue();
    assertThat(index.holdsAnythingUnder(NotePath.of("Daily/sub"))).isTrue();
    assertThat(index.holdsAnythingUnder(NotePath.of("Ideas.md"))).isFalse();
    assertThat(index.holdsAnythingUnder(NotePath.of("Dail"))).isFalse();
  }

  @Test
  void aPathListedTwiceIsRefusedByName() {
    IndexEntry a = entry("a.md");
    assertThatThrownBy(() -> new LocalIndex(1, List.of(a, entry("b.md"), a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index lists \"a.md\" twice");
    assertThatThrownBy(() -> new LocalIndex(1, List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index lists \"a.md\" twice");
  }

  private static IndexEntry entry(String path) {
    return new IndexEntry(
        NotePath.of(path), 1, 0, ContentHash.digestOf(path.getBytes(StandardCharsets.UTF_8)), null);
  }
}
