package io.vaultsync.client.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.tree.NotePath;
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
