package io.vaultsync.model.tree;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Builds a {@link TreeMap} from items already in strictly increasing key order in O(n) key
 * comparisons (one per item, to check the order), where n inserts cost O(n log n): manifests and
 * indexes of 50,000 notes are built several times per sync, and their sources (a sorted map, an
 * index file in path order) are sorted already.
 */
public final class SortedMaps {
  private SortedMaps() {}

  /** Whether the keys of {@code items}, in iteration order, strictly increase. */
  public static <T, K extends Comparable<? super K>> boolean strictlyIncreasing(
      Collection<? extends T> items, Function<? super T, ? extends K> key) {
    K previous = null;
    for (T item : items) {
      K k = key.apply(item);
      if (previous != null && previous.compareTo(k) >= 0) {
        return false;
      }
      previous = k;
    }
    return true;
  }

  /**
   * A tree map of {@code items} by {@code key}, in natural key order.
   *
   * @throws IllegalArgumentException if the keys do not strictly increase (naming the first two out
   *     of order)
   */
  public static <T, K extends Comparable<? super K>, V> TreeMap<K, V> treeOf(
      Collection<? extends T> items,
      Function<? super T, ? extends K> key,
      Function<? super T, ? extends V> value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return new TreeMap<>(new SortedView<T, K, V>(items, key, value));
  }

  /**
   * The items seen as the one thing {@link TreeMap#TreeMap(SortedMap)} reads (comparator, size,
   * entry iterator), checking the order as it goes. Nothing else is supported.
   */
  private static final class SortedView<T, K extends Comparable<? super K>, V>
      extends AbstractMap<K, V> implements SortedMap<K, V> {
    private final Collection<? extends T> items;
    private final Function<? super T, ? extends K> key;
    private final Function<? super T, ? extends V> value;

    SortedView(
        Collection<? extends T> items,
        Function<? super T, ? extends K> key,
        Function<? super T, ? extends V> value) {
      this.items = items;
      this.key = key;
      this.value = value;
    }

    @Override
    public Comparator<? super K> comparator() {
      return null; // natural order, as the tree map built from this
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Map.Entry<K, V>> iterator() {
          Iterator<? extends T> it = items.iterator();
          return new Iterator<>() {
            private K previous;

            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Map.Entry<K, V> next() {
              if (!it.hasNext()) {
                throw new NoSuchElementException();
              }
              T item = it.next();
              K k = Objects.requireNonNull(key.apply(item), "key");
              if (previous != null && previous.compareTo(k) >= 0) {
                throw new IllegalArgumentException(
                    "key " + k + " after " + previous + "; expected strictly increasing keys");
              }
              previous = k;
              return new AbstractMap.SimpleImmutableEntry<>(k, value.apply(item));
            }
          };
        }

        @Override
        public int size() {
          return items.size();
        }
      };
    }

    @Override
    public SortedMap<K, V> subMap(K fromKey, K toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<K, V> headMap(K toKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public SortedMap<K, V> tailMap(K fromKey) {
      throw new UnsupportedOperationException();
    }

    @Override
    public K firstKey() {
      throw new UnsupportedOperationException();
    }

    @Override
    public K lastKey() {
      throw new UnsupportedOperationException();
    }
  }
}
