package io.vaultsync.model.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class SortedMapsTest {
  @Test
  void treeOfSortedItemsEqualsTheTreeOfInsertsAndIsAFullTreeMap() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    TreeMap<Integer, String> inserted = new TreeMap<>();
    for (int i = 0; i < 5000; i++) {
      int k = random.nextInt(100_000);
      inserted.put(k, "v" + k);
    }
    List<Integer> keys = new ArrayList<>(inserted.keySet());

    TreeMap<Integer, String> built = SortedMaps.treeOf(keys, Function.identity(), k -> "v" + k);

    assertThat(built).as("seed %d", seed).isEqualTo(inserted);
    assertThat(built.firstKey()).isEqualTo(inserted.firstKey());
    assertThat(built.lastKey()).isEqualTo(inserted.lastKey());
    int probe = keys.get(keys.size() / 2);
    assertThat(built.headMap(probe)).isEqualTo(inserted.headMap(probe));
    built.put(-1, "new"); // an ordinary, mutable, balanced tree map
    assertThat(built.firstKey()).isEqualTo(-1);
  }

  @Test
  void treeOfRefusesKeysOutOfOrderOrRepeatedNamingThem() {
    assertThatThrownBy(() -> SortedMaps.treeOf(List.of(1, 3, 2), Function.identity(), k -> k))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key 2 after 3");
    assertThatThrownBy(() -> SortedMaps.treeOf(List.of(1, 1), Function.identity(), k -> k))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key 1 after 1");
  }

  @Test
  void strictlyIncreasingIsFalseForDisorderAndDuplicates() {
    assertThat(SortedMaps.strictlyIncreasing(List.of(), Function.<Integer>identity())).isTrue();
    assertThat(SortedMaps.strictlyIncreasing(List.of(1, 2, 5), Function.<Integer>identity()))
        .isTrue();
    assertThat(SortedMaps.strictlyIncreasing(List.of(1, 2, 2), Function.<Integer>identity()))
        .isFalse();
    assertThat(SortedMaps.strictlyIncreasing(List.of(2, 1), Function.<Integer>identity()))
        .isFalse();
  }
}
